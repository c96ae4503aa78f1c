const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A real calendar date written as YYYY-MM-DD (no 2025-02-30). */
export function isIsoCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Not later than tomorrow in UTC: an invoice issued "today" anywhere on Earth (UTC-12..UTC+14)
 * is never rejected for being in the future.
 */
export function isNotAfterTomorrowUtc(value: string, now: Date): boolean {
  const tomorrow = new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10);
  return value <= tomorrow;
}

/** At most two decimals, tolerant of binary floating point (1500.5 and 0.07 pass, 1.005 fails). */
export function hasAtMostTwoDecimals(amount: number): boolean {
  const cents = amount * 100;
  // Only rounding noise of `amount * 100` is tolerated (a few ulps): a tolerance of 1e-6 relative
  // grew to half a cent at 5000 and let 5000.001 through.
  return Math.abs(cents - Math.round(cents)) <= 16 * Number.EPSILON * Math.max(1, Math.abs(cents));
}
