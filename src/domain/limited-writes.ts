import type { CallerLimits } from './ports/caller-limits.js';
import type { RequestContext } from './request-context.js';

/**
 * Counts one write of the caller against `WRITES_PER_MINUTE_PER_CALLER` before `write` runs:
 * over the limit it answers 429 and nothing reaches an upstream. A write that passed counts
 * whatever its outcome. `precheck` runs first: a refusal that needs no upstream call (a role
 * check) neither counts nor is limited.
 */
export function limitedWrite<A extends unknown[], R>(
  limits: CallerLimits,
  write: (...args: [...A, RequestContext]) => Promise<R>,
  precheck?: (...args: [...A, RequestContext]) => void,
): (...args: [...A, RequestContext]) => Promise<R> {
  return async (...args) => {
    precheck?.(...args);
    const ctx = args[args.length - 1] as RequestContext;
    await limits.countWrite(ctx.principal.dni);
    return write(...args);
  };
}
