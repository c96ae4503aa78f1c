import type { ClaimResult, IdempotencyStore, PurchaseRecord } from '../../domain/ports/idempotency-store.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { RedisConnection } from './redis-connection.js';

/** Writes the record unless a live one is there (a `failed` record counts as absent); returns the one there. */
const CLAIM_SCRIPT = `local current = redis.call('get', KEYS[1])
if current then
  local ok, record = pcall(cjson.decode, current)
  if ok and record.state ~= 'failed' then return current end
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Replaces the record only while ARGV[1] owns it. */
const REPLACE_SCRIPT = `local current = redis.call('get', KEYS[1])
if not current then return 0 end
local ok, record = pcall(cjson.decode, current)
if not ok or record.owner ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

const unavailable = (error: unknown) =>
  new UpstreamError('redis', 'unavailable', { cause: error, message: 'redis: idempotency record not read or written' });

/**
 * Idempotency records in Redis, one JSON value per key with a TTL, every write one atomic script
 * (so the owner check and the write cannot be split by another process's write).
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(private readonly redis: RedisConnection) {}

  async claim(key: string, record: PurchaseRecord, ttlMs: number): Promise<ClaimResult> {
    const answer = await this.command('record_claim', () =>
      this.redis.client.eval(CLAIM_SCRIPT, 1, `idem:${key}`, JSON.stringify(record), Math.max(1, Math.ceil(ttlMs))),
    );
    if (answer === null) return { claimed: true };
    return { claimed: false, existing: JSON.parse(String(answer)) as PurchaseRecord };
  }

  async replace(key: string, owner: string, record: PurchaseRecord, ttlMs: number): Promise<boolean> {
    const answer = await this.command('record_replace', () =>
      this.redis.client.eval(REPLACE_SCRIPT, 1, `idem:${key}`, owner, JSON.stringify(record), Math.max(1, Math.ceil(ttlMs))),
    );
    return answer === 1;
  }

  async get(key: string): Promise<PurchaseRecord | null> {
    const value = await this.command('record_get', () => this.redis.client.get(`idem:${key}`));
    return value === null ? null : (JSON.parse(value) as PurchaseRecord);
  }

  /**
   * Every command here is safe to repeat (a claim that landed returns our own record, a replace is
   * owner-checked), so a failed one is tried once more before the answer is 503 `redis`.
   */
  private async command<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.redis.run(operation, run, { retryOnce: true });
    } catch (error) {
      throw unavailable(error);
    }
  }
}
