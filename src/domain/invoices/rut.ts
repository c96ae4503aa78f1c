const RUT = /^(\d{1,3}(?:\.?\d{3}){0,2})-([\dkK])$/;

/**
 * A Chilean RUT "12.345.678-5" / "12345678-5" (dots optional, K in either case) whose check
 * digit is right: modulo 11 over the body's digits weighted 2,3,4,5,6,7,2,... from the right.
 */
export function isValidRut(value: string): boolean {
  // No trimming: the value is forwarded as sent, so " 11111111-1" must not pass as a RUT.
  const match = RUT.exec(value);
  if (!match) return false;
  const body = (match[1] as string).replaceAll('.', '');
  // A RUT body has at most 8 digits (up to 99.999.999); the pattern alone lets 9 through.
  if (body.length > 8) return false;
  return checkDigit(body) === (match[2] as string).toUpperCase();
}

export function checkDigit(body: string): string {
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const digit = 11 - (sum % 11);
  return digit === 11 ? '0' : digit === 10 ? 'K' : String(digit);
}
