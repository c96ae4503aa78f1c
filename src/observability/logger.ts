import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that hold a person's DNI: masked (`71****67`), never written raw. */
const DNI_FIELDS = ['dni', 'pacienteDNI', 'sub'];

/** Paths pino blanks out wherever they appear: no token or Authorization value is ever logged. */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'jwtSecret',
  'headers.authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.token',
  // Error objects of HTTP clients carry the request they sent (with its Authorization header).
  'err.config',
  'err.request',
  'err.options',
  'err.headers',
  'err.cause.config',
  'err.cause.request',
  'err.cause.options',
  'err.cause.headers',
];

/** DNI fields at the top level and one level down (e.g. `receta.pacienteDNI`). */
export const DNI_PATHS = DNI_FIELDS.flatMap((field) => [field, `*.${field}`]);

const REDACTED = '[redacted]';
const DNI_FIELD_SET: ReadonlySet<string> = new Set(DNI_FIELDS);

/**
 * Keeps the first and last two characters of a DNI and stars the rest (`71234567` -> `71****67`):
 * with the request id, time, products and quantities next to it an operator can find the purchase,
 * while the log alone does not identify the person. Anything too short to mask is starred entirely.
 */
export function maskDni(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return REDACTED;
  const text = String(value);
  if (text.length < 6) return '*'.repeat(text.length);
  return `${text.slice(0, 2)}${'*'.repeat(text.length - 4)}${text.slice(-2)}`;
}

function censor(value: unknown, path: string[]): unknown {
  const field = path.at(-1);
  return field !== undefined && DNI_FIELD_SET.has(field) ? maskDni(value) : REDACTED;
}

/**
 * A last line of defence on every serialized line, whatever field or message a value hides in:
 * compact JWS/JWT strings and `Bearer <credential>` values are replaced.
 */
const COMPACT_JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const BEARER_VALUE = /\bbearer\s+[\w\-.~+/]{8,}=*/gi;

export function scrubCredentials(line: string): string {
  return line.replace(COMPACT_JWT, REDACTED).replace(BEARER_VALUE, REDACTED);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'botica-gateway' },
      redact: { paths: [...REDACTED_PATHS, ...DNI_PATHS], censor },
      hooks: { streamWrite: scrubCredentials },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
