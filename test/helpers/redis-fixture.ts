// One private Redis per contract test file, with a connected client under `prefix`.
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, type RedisConnection } from '../../src/coordination/redis/redis-connection.js';
import { startRedis, type RedisUnderTest } from '../../scripts/dev/redis-server.js';

export const quietLogger = { error: () => {}, warn: () => {}, info: () => {} };
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntilUp(conn: RedisConnection, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (conn.status() !== 'up') {
    if (Date.now() > deadline) throw new Error('redis never came up');
    await sleep(20);
  }
}

/** Opens another connection to the fixture's Redis (a second process, an outage probe), ready to use. */
export async function connectTo(redis: RedisUnderTest, prefix: string): Promise<RedisConnection> {
  const conn = connectRedis(redis.url, prefix, quietLogger);
  await waitUntilUp(conn);
  return conn;
}

export function useRedisFixture(prefix: string): { readonly redis: RedisUnderTest; readonly connection: RedisConnection } {
  let redis: RedisUnderTest | undefined;
  let connection: RedisConnection | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    connection = await connectTo(redis, prefix);
  });
  afterAll(async () => {
    await connection?.close();
    await redis?.stop();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Redis fixture starts in beforeAll');
    return value;
  };
  return {
    get redis() {
      return need(redis);
    },
    get connection() {
      return need(connection);
    },
  };
}
