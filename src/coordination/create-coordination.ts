import type { Config } from '../config/config.js';
import type { CoordinationState } from '../domain/health.js';
import type { CallerLimits } from '../domain/ports/caller-limits.js';
import type { IdempotencyStore } from '../domain/ports/idempotency-store.js';
import type { StockLocks } from '../domain/ports/stock-locks.js';
import type { DomainLogger } from '../domain/shared/logger.js';
import type { LockWaitObserver, StoreObserver } from './lock-wait-observer.js';
import { KeyedMutex } from './memory/keyed-mutex.js';
import { MemoryCallerLimits } from './memory/memory-caller-limits.js';
import { MemoryIdempotencyStore } from './memory/memory-idempotency-store.js';
import { RedisCallerLimits } from './redis/redis-caller-limits.js';
import { RedisIdempotencyStore } from './redis/redis-idempotency-store.js';
import { connectRedis } from './redis/redis-connection.js';
import { RedisStockLocks } from './redis/redis-stock-locks.js';

/** A lock outlives its request's budget by this much at most, then expires by itself. */
const LOCK_TTL_MARGIN_MS = 5000;

/** The state every process of a deployment shares, behind the ports the use-cases ask for. */
export interface Coordination {
  state(): CoordinationState;
  stockLocks: StockLocks;
  idempotency: IdempotencyStore;
  limits: CallerLimits;
  close(): Promise<void>;
}

/**
 * Picks the store from the configuration: Redis with `REDIS_URL` (every process and replica
 * shares it), otherwise the embedded in-process store, correct for one process only.
 */
export function createCoordination(
  config: Config,
  logger: DomainLogger,
  observer: StoreObserver & LockWaitObserver,
): Coordination {
  const limitSettings = { ...config.callerLimits, slotTtlMs: config.requestTimeoutMs + LOCK_TTL_MARGIN_MS };
  if (!config.redis) {
    return {
      limits: new MemoryCallerLimits(limitSettings),
      state: () => ({ store: 'memory', status: 'up' }),
      stockLocks: new KeyedMutex(observer),
      idempotency: new MemoryIdempotencyStore(),
      close: async () => {},
    };
  }
  const redis = connectRedis(config.redis.url, config.redis.keyPrefix, logger, observer);
  return {
    state: () => ({ store: 'redis', status: redis.status() }),
    stockLocks: new RedisStockLocks(redis, config.requestTimeoutMs + LOCK_TTL_MARGIN_MS, observer),
    idempotency: new RedisIdempotencyStore(redis),
    limits: new RedisCallerLimits(redis, limitSettings, logger),
    close: () => redis.close(),
  };
}
