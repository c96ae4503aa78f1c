// One contract for both StockLocks adapters: the embedded in-process store and Redis (a real
// redis-server). Each case runs against both; Redis-only guarantees (token-checked release,
// expiry, prefix, outage) follow.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/coordination/memory/keyed-mutex.js';
import { RedisStockLocks } from '../../src/coordination/redis/redis-stock-locks.js';
import type { StockLocks } from '../../src/domain/ports/stock-locks.js';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { UpstreamError } from '../../src/errors/upstream-error.js';
import { connectTo, sleep, useRedisFixture, waitUntilUp } from '../helpers/redis-fixture.js';

const PREFIX = 'contract:';
const far = () => Date.now() + 10_000;
const fixture = useRedisFixture(PREFIX);

const adapters: Array<[string, () => StockLocks]> = [
  ['memory', () => new KeyedMutex()],
  ['redis', () => new RedisStockLocks(fixture.connection, 15_000)],
];

describe.each(adapters)('StockLocks contract (%s)', (_name, create) => {
  it('serialises one adapter completely: 40 read-modify-writes, exact count', async () => {
    const locks = create();
    let stock = 100;
    await Promise.all(
      Array.from({ length: 40 }, () =>
        locks.withLocks(['7'], far(), async () => {
          const read = stock;
          await sleep(1);
          stock = read - 1;
        }),
      ),
    );
    expect(stock).toBe(60);
  });

  it('takes several keys in one fixed order, so crossing purchases never deadlock', async () => {
    const locks = create();
    const done: string[] = [];
    await Promise.all([
      locks.withLocks(['1', '5'], far(), async () => void done.push('a')),
      locks.withLocks(['5', '1'], far(), async () => void done.push('b')),
      locks.withLocks(['5', '3', '1', '3'], far(), async () => void done.push('c')),
    ]);
    expect(done.sort()).toEqual(['a', 'b', 'c']);
  });

  it('fails a waiter past its deadline with 504 stage stock_lock, without running its work', async () => {
    const locks = create();
    let release!: () => void;
    const held = locks.withLocks(['9'], far(), () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(10);
    let ran = false;
    const started = Date.now();
    const error = await locks
      .withLocks(['9'], Date.now() + 50, async () => {
        ran = true;
      })
      .catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { stage: 'stock_lock' } });
    // Exactly the stage: no service is named (a lock wait is never an upstream's timeout).
    expect((error as GatewayError).details).toEqual({ stage: 'stock_lock' });
    expect(ran).toBe(false);
    release();
    await held;
  });

  it('frees the keys when the work fails', async () => {
    const locks = create();
    await expect(locks.withLocks(['11'], far(), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await locks.withLocks(['11'], Date.now() + 200, async () => 'next')).toBe('next');
  });
});

describe('Redis StockLocks only', () => {
  const raw = () => new Redis(fixture.redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });

  it('never lets two processes (two adapters on one Redis) overlap on a key: no lost update', async () => {
    const [first, second] = [new RedisStockLocks(fixture.connection, 5000), new RedisStockLocks(fixture.connection, 5000)];
    let stock = 1000;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? first : second).withLocks(['42'], far(), async () => {
          const read = stock;
          await sleep(1);
          stock = read - 1;
        }),
      ),
    );
    expect(stock).toBe(960);
  });

  it('writes every key under REDIS_KEY_PREFIX and with a TTL of at most the configured one', async () => {
    const locks = new RedisStockLocks(fixture.connection, 3000);
    const client = raw();
    try {
      await locks.withLocks(['21', '22'], far(), async () => {
        const keys = await client.keys('*');
        expect(keys.sort()).toEqual([`${PREFIX}lock:stock:21`, `${PREFIX}lock:stock:22`]);
        for (const key of keys) {
          const ttl = await client.pttl(key);
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(3000);
        }
      });
      // Released right after the work (the release is not awaited by the purchase): gone at once.
      for (let i = 0; i < 50 && (await client.keys(`${PREFIX}lock:*`)).length > 0; i += 1) await sleep(10);
      expect(await client.keys(`${PREFIX}lock:*`)).toEqual([]);
    } finally {
      client.disconnect();
    }
  });

  it("lets a lock expire by itself and never lets a late holder release its successor's lock", async () => {
    const shortLived = new RedisStockLocks(fixture.connection, 150);
    const normal = new RedisStockLocks(fixture.connection, 5000);
    const events: string[] = [];
    // The first holder outlives its TTL (a stalled process)...
    const stale = shortLived.withLocks(['31'], far(), async () => {
      await sleep(300);
      events.push('stale done');
    });
    await sleep(20);
    // ...so a second one gets in after ~150 ms and is still holding when the first releases.
    const successor = normal.withLocks(['31'], far(), async () => {
      events.push('successor in');
      await sleep(400);
      events.push('successor out');
    });
    await sleep(250);
    // A third must still wait for the successor: the stale release (at ~300 ms) did not free it.
    const third = normal.withLocks(['31'], far(), async () => void events.push('third in'));
    await Promise.all([stale, successor, third]);
    expect(events).toEqual(['successor in', 'stale done', 'successor out', 'third in']);
  });

  it('answers 503 redis within a second when Redis is unreachable, and runs no work; recovers once it is back', async () => {
    const conn = await connectTo(fixture.redis, 'outage:');
    const locks = new RedisStockLocks(conn, 5000);
    await fixture.redis.kill();
    try {
      let ran = false;
      const started = Date.now();
      const error = await locks.withLocks(['41'], far(), async () => void (ran = true)).catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ service: 'redis', kind: 'unavailable' });
      expect(ran).toBe(false);
      expect(conn.status()).toBe('down');
    } finally {
      await fixture.redis.restart();
    }
    await waitUntilUp(conn);
    expect(await locks.withLocks(['41'], far(), async () => 'again')).toBe('again');
    await waitUntilUp(fixture.connection);
    await conn.close();
  });

  it('answers 503 redis within a second when Redis is frozen (slow, not gone)', async () => {
    const conn = await connectTo(fixture.redis, 'frozen:');
    const locks = new RedisStockLocks(conn, 5000);
    fixture.redis.pause();
    try {
      const started = Date.now();
      const error = await locks.withLocks(['51'], far(), async () => 'never').catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toMatchObject({ service: 'redis' });
    } finally {
      fixture.redis.resume();
    }
    await waitUntilUp(conn);
    await conn.close();
  });
});
