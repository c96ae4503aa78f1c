import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { stockLockTimeout, type StockLocks } from '../../domain/ports/stock-locks.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { LockWaitObserver } from '../lock-wait-observer.js';
import type { RedisConnection } from './redis-connection.js';

/** Deletes the lock only if it still holds our token: a lock that expired and was taken by someone else is theirs. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/**
 * Takes the lock if it is free, or confirms it when it already holds our token (a first attempt
 * that timed out on the way back may have taken it): `SET NX PX` that is safe to repeat.
 */
const ACQUIRE_SCRIPT = `local current = redis.call('get', KEYS[1])
if current == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if current == ARGV[1] then return 1 end
return 0`;
/**
 * A busy lock is polled with a jittered exponential backoff (2 ms doubling to 50 ms): 200 waiters
 * polling every few milliseconds flood Redis and the gateways' own event loops, so that the
 * lock's holder answers late. Waiters take the lock in no guaranteed order.
 */
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 50;

/**
 * The single-instance Redis lock: set-if-absent with a TTL and a random token, released with a
 * compare-and-delete script. Written by hand rather than taken from a library: Redlock's multi-master quorum does not
 * apply to one Redis primary, and the gateway needs its own error mapping (busy past the budget:
 * 504 `stock_lock`; store unreachable: 503 `redis`). Each lock expires by itself `ttlMs` after it
 * was taken (REQUEST_TIMEOUT_MS + 5 s), so a crashed process never blocks a product for longer.
 */
export class RedisStockLocks implements StockLocks {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs: number,
    private readonly observer?: LockWaitObserver,
  ) {}

  async withLocks<T>(keys: readonly string[], deadline: number, work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const held: string[] = [];
    const started = performance.now();
    try {
      for (const key of [...new Set(keys)].sort()) {
        await this.acquire(`lock:stock:${key}`, token, deadline);
        held.push(`lock:stock:${key}`);
      }
    } catch (error) {
      this.observer?.onLockWait((performance.now() - started) / 1000, error instanceof UpstreamError ? 'store_unavailable' : 'timeout');
      void this.release(held, token);
      throw error;
    }
    this.observer?.onLockWait((performance.now() - started) / 1000, 'acquired');
    try {
      return await work();
    } finally {
      // A failed release changes nothing for the purchase: the lock expires by itself.
      void this.release(held, token);
    }
  }

  private async acquire(key: string, token: string, deadline: number): Promise<void> {
    let backoff = RETRY_FIRST_MS;
    for (;;) {
      let answer: unknown;
      try {
        // Safe to repeat: the script recognises a lock a first, timed-out attempt took after all.
        answer = await this.redis.run(
          'lock_acquire',
          () => this.redis.client.eval(ACQUIRE_SCRIPT, 1, key, token, this.ttlMs),
          { retryOnce: true },
        );
      } catch (error) {
        throw new UpstreamError('redis', 'unavailable', { cause: error, message: 'redis: stock lock not taken' });
      }
      if (answer === 1) return;
      const left = deadline - Date.now();
      if (left <= 0) throw stockLockTimeout();
      await sleep(Math.min(left, backoff * (0.5 + Math.random())));
      backoff = Math.min(RETRY_MAX_MS, backoff * 2);
    }
  }

  private async release(keys: readonly string[], token: string): Promise<void> {
    await Promise.all(
      keys.map((key) =>
        this.redis.run('lock_release', () => this.redis.client.eval(RELEASE_SCRIPT, 1, key, token)).catch(() => undefined),
      ),
    );
  }
}
