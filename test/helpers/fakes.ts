// What every use-case test's fakes share: the seed's people, one "today", the caller's context
// and a logger that keeps its lines. The fakes of each feature's upstream clients build on it
// (purchase-fakes.ts, feature-fakes.ts).
import type { RequestContext } from '../../src/context/request-context.js';
import type { DomainLogger } from '../../src/domain/shared/logger.js';

export { SEED_DNI as DNI } from '../../mocks/index.js';

/** The fakes' "today": what a use-case's `now()` answers. */
export const TODAY = new Date('2025-10-21T12:00:00.000Z');

let requests = 0;

/** A caller's context: a CLIENTE by default, a full budget, the forwarded token naming the caller. */
export function callerContext(dni: string, role: 'CLIENTE' | 'ADMIN' = 'CLIENTE', budgetMs = 30_000): RequestContext {
  return { requestId: `req-${++requests}`, deadline: Date.now() + budgetMs, principal: { dni, role }, authorization: `Bearer token-of-${dni}` };
}

export interface LoggedEntry {
  level: 'error' | 'warn' | 'info';
  fields: Record<string, unknown>;
  message: string;
}

/** A domain logger that keeps every line. */
export class RecordingLogger implements DomainLogger {
  readonly entries: LoggedEntry[] = [];
  error = (fields: Record<string, unknown>, message: string) => void this.entries.push({ level: 'error', fields, message });
  warn = (fields: Record<string, unknown>, message: string) => void this.entries.push({ level: 'warn', fields, message });
  info = (fields: Record<string, unknown>, message: string) => void this.entries.push({ level: 'info', fields, message });
  at = (level: LoggedEntry['level']) => this.entries.filter((entry) => entry.level === level);
}
