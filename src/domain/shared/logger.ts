/** The slice of a structured logger the domain needs (pino satisfies it). */
export interface DomainLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}
