// The invoice field rules behind POST /facturas: calendar dates, "not later than tomorrow (UTC)"
// and amounts with at most two decimals despite binary floating point.
import { describe, expect, it } from 'vitest';
import { hasAtMostTwoDecimals, isIsoCalendarDate, isNotAfterTomorrowUtc } from '../../src/domain/invoices/invoice-rules.js';

describe('isIsoCalendarDate', () => {
  it.each(['2025-08-24', '2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01', '1999-04-30'])(
    'accepts the real calendar date %s',
    (value) => {
      expect(isIsoCalendarDate(value)).toBe(true);
    },
  );

  it.each([
    ['2025-02-29', 'February 29 of a common year'],
    ['1900-02-29', 'February 29 of a century year that is not a leap year'],
    ['2025-02-30', 'February 30'],
    ['2025-04-31', 'April 31'],
    ['2025-13-01', 'month 13'],
    ['2025-00-10', 'month 0'],
    ['2025-01-00', 'day 0'],
    ['2025-01-32', 'day 32'],
    ['2025-8-24', 'a one-digit month'],
    ['2025-08-4', 'a one-digit day'],
    ['25-08-24', 'a two-digit year'],
    ['2025/08/24', 'slashes'],
    ['24-08-2025', 'day-month-year order'],
    ['2025-08-24T00:00:00Z', 'a timestamp'],
    [' 2025-08-24', 'a leading space'],
    ['2025-08-24\n', 'a trailing newline'],
    ['', 'an empty string'],
  ])('rejects %j (%s)', (value) => {
    expect(isIsoCalendarDate(value)).toBe(false);
  });
});

describe('isNotAfterTomorrowUtc', () => {
  const noon = new Date('2025-08-24T12:00:00.000Z');

  it.each([
    ['2025-08-24', 'today'],
    ['2025-08-25', 'tomorrow'],
    ['2025-08-23', 'yesterday'],
    ['2020-01-01', 'a date years ago'],
  ])('accepts %s (%s) at noon UTC', (value) => {
    expect(isNotAfterTomorrowUtc(value, noon)).toBe(true);
  });

  it.each([
    ['2025-08-26', 'the day after tomorrow'],
    ['2025-09-01', 'next month'],
    ['2026-08-24', 'next year'],
  ])('rejects %s (%s) at noon UTC', (value) => {
    expect(isNotAfterTomorrowUtc(value, noon)).toBe(false);
  });

  it('allows tomorrow but not the day after at the first millisecond of a UTC day', () => {
    const midnight = new Date('2025-08-24T00:00:00.000Z');
    expect(isNotAfterTomorrowUtc('2025-08-25', midnight)).toBe(true);
    expect(isNotAfterTomorrowUtc('2025-08-26', midnight)).toBe(false);
  });

  it('allows tomorrow but not the day after at the last millisecond of a UTC day', () => {
    const lastMs = new Date('2025-08-24T23:59:59.999Z');
    expect(isNotAfterTomorrowUtc('2025-08-25', lastMs)).toBe(true);
    expect(isNotAfterTomorrowUtc('2025-08-26', lastMs)).toBe(false);
  });

  it('accepts "today" in UTC+14 while it is still the previous day in UTC', () => {
    // 2025-08-25 13:00 in Kiribati (UTC+14) is 2025-08-24 23:00 UTC.
    expect(isNotAfterTomorrowUtc('2025-08-25', new Date('2025-08-24T23:00:00.000Z'))).toBe(true);
  });

  it('accepts "today" in Chile (UTC-4) when UTC has already moved on a day', () => {
    // 2025-08-24 22:30 in Santiago is 2025-08-25 02:30 UTC.
    expect(isNotAfterTomorrowUtc('2025-08-24', new Date('2025-08-25T02:30:00.000Z'))).toBe(true);
  });

  it('rolls over month and year ends', () => {
    const newYearsEve = new Date('2025-12-31T23:30:00.000Z');
    expect(isNotAfterTomorrowUtc('2026-01-01', newYearsEve)).toBe(true);
    expect(isNotAfterTomorrowUtc('2026-01-02', newYearsEve)).toBe(false);
  });

  it('knows that the day after February 28 of a leap year is February 29', () => {
    const leap = new Date('2024-02-28T10:00:00.000Z');
    expect(isNotAfterTomorrowUtc('2024-02-29', leap)).toBe(true);
    expect(isNotAfterTomorrowUtc('2024-03-01', leap)).toBe(false);
  });
});

describe('hasAtMostTwoDecimals', () => {
  it.each([
    [1500.5],
    [0.07],
    [19.99],
    [1e6],
    [1],
    [0.01],
    // Their products with 100 are not exact in binary floating point.
    [1.15],
    [4.35],
    [1234567.89],
    [99999999.99],
  ])('accepts %d', (amount) => {
    expect(hasAtMostTwoDecimals(amount)).toBe(true);
  });

  it.each([
    [1.005],
    [0.001],
    [19.999],
    [0.015],
    [1e-7],
    [5000.001],
    [10000.123],
    [1234567.891],
    [99999999.999],
  ])('rejects %d', (amount) => {
    expect(hasAtMostTwoDecimals(amount)).toBe(false);
  });
});
