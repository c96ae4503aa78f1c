import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear: no token or Authorization value is ever logged. */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'jwtSecret',
  'headers.authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'botica-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
