// Chilean RUT validation for invoice intake: modulo-11 check digit, dots optional, K in either case.
// Every check digit below was computed by hand with the weights 2,3,4,5,6,7,2,... from the right.
import { describe, expect, it } from 'vitest';
import { checkDigit, isValidRut } from '../../src/domain/invoices/rut.js';

describe('checkDigit', () => {
  it.each([
    ['11111111', '1'],
    ['12345678', '5'],
    ['76086428', '5'],
    ['96790240', '3'],
    ['5126663', '3'],
    ['1', '9'],
    ['6', 'K'],
    ['10000013', 'K'],
    ['10000004', '0'],
    ['22222222', '2'],
    // K in upper case, never a "10"; 0 when the remainder is 0, never an "11".
    ['10000027', 'K'],
    ['10000018', '0'],
  ])('gives %s the check digit %s', (body, digit) => {
    expect(checkDigit(body)).toBe(digit);
  });
});

describe('isValidRut accepts', () => {
  it.each([
    ['11.111.111-1', 'the classic test RUT with dots'],
    ['11111111-1', 'the same without dots'],
    ['12.345.678-5', 'an 8-digit body with dots'],
    ['12345678-5', 'an 8-digit body without dots'],
    ['76.086.428-5', 'a company RUT'],
    ['96.790.240-3', 'another company RUT'],
    ['5.126.663-3', 'a 7-digit body with dots'],
    ['5126663-3', 'a 7-digit body without dots'],
    ['1-9', 'a 1-digit body'],
    ['6-K', 'a 1-digit body with check digit K'],
    ['10.000.013-K', 'an upper-case K with dots'],
    ['10000013-k', 'a lower-case k without dots'],
    ['10.000.013-k', 'a lower-case k with dots'],
    ['10.000.004-0', 'check digit 0'],
    ['123.456-0', 'a 6-digit body with a dot'],
  ])('%s (%s)', (rut) => {
    expect(isValidRut(rut)).toBe(true);
  });
});

describe('isValidRut rejects', () => {
  it.each([
    ['11.111.111-2', 'a wrong check digit'],
    ['12345678-4', 'a wrong check digit without dots'],
    ['10000013-0', 'a digit where K is due'],
    ['11111111-K', 'K where a digit is due'],
    ['111111111', 'a missing hyphen'],
    ['12345678 5', 'a space instead of the hyphen'],
    ['12.345.6A8-5', 'a letter in the body'],
    ['K1111111-1', 'a leading letter in the body'],
    ['1.11.111-1', 'a misplaced dot'],
    ['11.11.1111-1', 'dots in the wrong places'],
    ['.11.111.111-1', 'a leading dot'],
    ['11..111.111-1', 'a double dot'],
    ['', 'an empty string'],
    ['-1', 'an empty body'],
    ['11111111-', 'a missing check digit'],
    ['11 111 111-1', 'spaces instead of dots'],
    ['11111111 - 1', 'spaces around the hyphen'],
    [' 11111111-1', 'a leading space (the value is forwarded as sent)'],
    ['11111111-1 ', 'a trailing space'],
    ['11111111-1\n', 'a trailing newline'],
    ['123.456.789-2', 'a 9-digit body with dots (even with its modulo-11 digit)'],
    ['123456789-2', 'a 9-digit body without dots'],
    ['1111111111-3', 'a 10-digit body (even with its modulo-11 digit)'],
    ['11111111-11', 'a two-character check digit'],
    ['11111111-X', 'a check digit other than 0-9 or K'],
    ['11.111.111–1', 'an en dash instead of a hyphen'],
  ])('%j (%s)', (rut) => {
    expect(isValidRut(rut)).toBe(false);
  });
});
