import { stockLockTimeout, type StockLocks } from '../../domain/ports/stock-locks.js';
import type { LockWaitObserver } from '../lock-wait-observer.js';

/**
 * In-process locks by key, queued fairly (first come, first served): the embedded store's
 * StockLocks. Correct for one process only; `REDIS_URL` shares the locks between processes.
 */
export class KeyedMutex implements StockLocks {
  constructor(private readonly observer?: LockWaitObserver) {}

  private readonly tails = new Map<string, Promise<void>>();

  /** Holds every key (taken in sorted order, so two callers never deadlock) while `work` runs. */
  async withLocks<T>(keys: readonly string[], deadline: number, work: () => Promise<T>): Promise<T> {
    const releases: Array<() => void> = [];
    const started = performance.now();
    try {
      try {
        for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key, deadline));
      } catch (error) {
        this.observer?.onLockWait((performance.now() - started) / 1000, 'timeout');
        throw error;
      }
      this.observer?.onLockWait((performance.now() - started) / 1000, 'acquired');
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string, deadline: number): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    const releaseMine = () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };

    const waitMs = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, waitMs));
    });
    const outcome = await Promise.race([previous.then(() => 'acquired' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Give up our place: whoever queued behind us follows straight after `previous`. The key
      // stays taken until `previous` is done, so it is forgotten only then (and only if nobody
      // queued since); forgetting it now would let a newcomer in beside the current holder.
      release();
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      throw stockLockTimeout();
    }
    return releaseMine;
  }
}
