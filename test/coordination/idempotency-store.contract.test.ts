// One contract for both IdempotencyStore adapters: in the process and in a real Redis.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/coordination/memory/memory-idempotency-store.js';
import { RedisIdempotencyStore } from '../../src/coordination/redis/redis-idempotency-store.js';
import type { IdempotencyStore, PurchaseRecord } from '../../src/domain/ports/idempotency-store.js';
import { UpstreamError } from '../../src/errors/upstream-error.js';
import { connectTo, sleep, useRedisFixture, waitUntilUp } from '../helpers/redis-fixture.js';

const PREFIX = 'idem-contract:';
const fixture = useRedisFixture(PREFIX);

const record = (owner: string, state: PurchaseRecord['state'] = 'in_flight'): PurchaseRecord => ({
  state,
  owner,
  fingerprint: '1x2',
  lines: [{ producto_id: 1, cantidad: 2 }],
  leaseUntil: Date.now() + 5000,
});

let n = 0;
const freshKey = () => `k${++n}`;

describe.each<[string, () => IdempotencyStore]>([
  ['memory', () => new MemoryIdempotencyStore()],
  ['redis', () => new RedisIdempotencyStore(fixture.connection)],
])('IdempotencyStore contract (%s)', (_name, create) => {
  it('claims an absent key once: a second claim sees the first record', async () => {
    const store = create();
    const key = freshKey();
    expect(await store.claim(key, record('a'), 5000)).toEqual({ claimed: true });
    const second = await store.claim(key, record('b'), 5000);
    expect(second).toMatchObject({ claimed: false, existing: { owner: 'a', state: 'in_flight' } });
  });

  it("replaces a record only for its owner, and a failed record may be claimed by a new attempt", async () => {
    const store = create();
    const key = freshKey();
    await store.claim(key, record('a'), 5000);
    expect(await store.replace(key, 'b', record('b', 'succeeded'), 5000)).toBe(false);
    expect(await store.replace(key, 'a', record('a', 'failed'), 5000)).toBe(true);
    expect((await store.get(key))?.state).toBe('failed');
    expect(await store.claim(key, record('c'), 5000)).toEqual({ claimed: true });
    expect((await store.get(key))?.owner).toBe('c');
  });

  it('forgets a record after its TTL', async () => {
    const store = create();
    const key = freshKey();
    await store.claim(key, record('a'), 80);
    expect(await store.get(key)).not.toBeNull();
    await sleep(150);
    expect(await store.get(key)).toBeNull();
    expect(await store.claim(key, record('b'), 5000)).toEqual({ claimed: true });
  });
});

describe('Redis IdempotencyStore only', () => {
  it('writes every record under REDIS_KEY_PREFIX with a TTL', async () => {
    const store = new RedisIdempotencyStore(fixture.connection);
    const raw = new Redis(fixture.redis.url, { maxRetriesPerRequest: 1 });
    try {
      await store.claim('prefixed', record('a'), 4000);
      const ttl = await raw.pttl(`${PREFIX}idem:prefixed`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(4000);
    } finally {
      raw.disconnect();
    }
  });

  it('fails fast with 503 redis when Redis is gone', async () => {
    const conn = await connectTo(fixture.redis, 'idem-outage:');
    const store = new RedisIdempotencyStore(conn);
    await fixture.redis.kill();
    try {
      const started = Date.now();
      const error = await store.claim('x', record('a'), 5000).catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ service: 'redis', kind: 'unavailable' });
    } finally {
      await fixture.redis.restart();
      await conn.close();
    }
    await waitUntilUp(fixture.connection);
  });
});
