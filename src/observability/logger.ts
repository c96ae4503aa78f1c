import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that hold a person's DNI: masked (`71****67`), never written raw. */
const DNI_FIELDS = ['dni', 'pacienteDNI', 'sub'];

/** Paths pino blanks out wherever they appear: no token or Authorization value is ever logged. */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'jwtSecret',
  // The configuration's `jwt.secret`, a login or register body's password.
  'secret',
  '*.secret',
  'password',
  '*.password',
  'headers.authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.token',
  // Error objects of HTTP clients can carry the request they sent (with its Authorization header).
  'err.config',
  'err.request',
  'err.options',
  'err.headers',
];

/** DNI fields at the top level and one level down (e.g. `receta.pacienteDNI`): masked, not blanked. */
export const DNI_PATHS = DNI_FIELDS.flatMap((field) => [field, `*.${field}`]);

const REDACTED = '[redacted]';
const DNI_FIELD_SET: ReadonlySet<string> = new Set(DNI_FIELDS);
const SECRET_KEYS = /^(?:authorization|proxy-authorization|cookie|set-cookie|token|access_token|jwtsecret|password|secret)$/i;

/**
 * Keeps the first and last two characters of a DNI and stars the rest (`71234567` -> `71****67`):
 * with the request id, time, products and quantities beside it an operator can match the line to
 * the purchase, while the log alone does not identify the person. (A plain hash would not hide an
 * 8-digit number: all 10^8 of them are hashed in seconds.) Short values are starred entirely.
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

/** A run of 8+ digits standing alone: what a DNI looks like inside free text. */
const DNI_IN_TEXT = /(?<![\d.])\d{8,}(?![\d.])/g;
const MAX_ERR_DEPTH = 6;

/**
 * Errors carry free text from elsewhere (upstream 4xx bodies, messages): DNI-looking digit runs
 * in their strings are masked, DNI fields masked and credential fields blanked at any depth.
 */
function sanitizeErrValue(value: unknown, depth: number, key?: string): unknown {
  if (key !== undefined && SECRET_KEYS.test(key)) return REDACTED;
  if (key !== undefined && DNI_FIELD_SET.has(key) && value !== null && typeof value !== 'object') return maskDni(value);
  if (typeof value === 'string') return value.replace(DNI_IN_TEXT, (digits) => maskDni(digits));
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_ERR_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => sanitizeErrValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) result[name] = sanitizeErrValue(inner, depth + 1, name);
  return result;
}

export function serializeErr(err: unknown): unknown {
  return sanitizeErrValue(pino.stdSerializers.err(err as Error), 0);
}

/**
 * A last line of defence on every serialized line, whatever field or message a value hides in:
 * `Bearer <credential>` values (also a JWT cut short, as parser messages quote `"Bearer eyJ"...`;
 * not prose such as "bearer token") and compact JWS/JWT strings are replaced.
 */
const BEARER_VALUE = /\bbearer\s+(?:ey[\w\-.~+/]*|[\w\-.~+/]{8,})=*/gi;
const COMPACT_JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

export function scrubCredentials(line: string): string {
  return line.replace(BEARER_VALUE, REDACTED).replace(COMPACT_JWT, REDACTED);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'botica-gateway' },
      redact: { paths: [...REDACTED_PATHS, ...DNI_PATHS], censor },
      serializers: { err: serializeErr },
      hooks: { streamWrite: scrubCredentials },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
