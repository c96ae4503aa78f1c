import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Mutual exclusion per product for the gateway's read-modify-write of stock (the products
 * service has no compare-and-set). Two adapters: in the process (one process only) and in
 * Redis (every process and replica of a deployment).
 */
export interface StockLocks {
  /**
   * Holds every key while `work` runs. Keys are taken in one fixed order (sorted), so two
   * purchases never deadlock. Waiting spends the request's budget: past `deadline` the call
   * fails with `stockLockTimeout()`. A store that cannot be reached fails it within a second
   * (503 `redis`), before `work` starts.
   */
  withLocks<T>(keys: readonly string[], deadline: number, work: () => Promise<T>): Promise<T>;
}

/** The budget ran out while waiting for a stock lock: no upstream was slow, so no service is named. */
export const stockLockTimeout = (): GatewayError =>
  new GatewayError('UPSTREAM_TIMEOUT', { text: 'lock.wait_timeout', details: { stage: 'stock_lock' } });

/**
 * Whether waiting for a lock is what left a purchase without the budget it needs under it: the
 * budget ran out, or it had `neededMs` when it began to wait (`leftBeforeWaitMs`) and has less
 * now. Such a purchase answers `stockLockTimeout()` at once. Going on would start the products
 * read with what the wait left, and that read's timeout would name the products service, which
 * was never slow (and count against its breaker).
 */
export function lockWaitSpentBudget(deadline: number, leftBeforeWaitMs: number, neededMs: number, now = Date.now()): boolean {
  const left = deadline - now;
  return left <= 0 || (leftBeforeWaitMs >= neededMs && left < neededMs);
}
