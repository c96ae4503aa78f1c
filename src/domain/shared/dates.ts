const DAY_MS = 86_400_000;

/**
 * A prescription counts while its issue date is not in the future and not older than
 * `validityDays` days (both measured against `now`).
 */
export function isWithinValidity(fechaEmision: string, now: Date, validityDays: number): boolean {
  return prescriptionDateProblem(fechaEmision, now, validityDays) === null;
}

export function prescriptionDateProblem(
  fechaEmision: string,
  now: Date,
  validityDays: number,
): 'invalid' | 'future' | 'expired' | null {
  const issued = Date.parse(fechaEmision);
  if (Number.isNaN(issued)) return 'invalid';
  if (issued > now.getTime()) return 'future';
  if (now.getTime() - issued > validityDays * DAY_MS) return 'expired';
  return null;
}
