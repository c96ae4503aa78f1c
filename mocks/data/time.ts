// Date helpers: the seed is relative to the state's clock, and each mocked framework serialises
// date-times its own way, which the gateway's schemas must cope with.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function shiftDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

export function shiftHours(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * HOUR_MS);
}

export function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Java `LocalDateTime` with microseconds and no zone (`2025-10-21T12:30:11.123456`), as the
 * Spring Boot service prints it; the JVM is assumed to run in UTC. `micros` fills the 3 digits a
 * JS Date cannot hold.
 */
export function javaLocalDateTime(date: Date, micros = 0): string {
  const extra = String(Math.abs(Math.trunc(micros)) % 1000).padStart(3, '0');
  return `${date.toISOString().slice(0, 23)}${extra}`;
}

/** Python's naive `datetime.isoformat()`: microseconds only when non-zero, no zone. */
export function pythonDateTime(date: Date): string {
  const base = date.toISOString().slice(0, 19);
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}

/** Django REST framework's aware UTC date-time: microseconds and a `Z`. */
export function djangoDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
