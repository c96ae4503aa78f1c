import { randomUUID } from 'node:crypto';
import { NO_TICKET, rateLimited, type CallerLimits, type WriteTicket } from '../../domain/ports/caller-limits.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { DomainLogger } from '../../domain/shared/logger.js';
import type { LimitSettings } from '../memory/memory-caller-limits.js';
import { MemoryCallerLimits } from '../memory/memory-caller-limits.js';
import type { RedisConnection } from './redis-connection.js';

const MINUTE_MS = 60_000;

/**
 * A sliding minute as a sorted set of write times: old entries drop out, a full set refuses and
 * says when its oldest entry leaves. Written by hand: rate-limiter-flexible only has fixed
 * windows, and the contract's window slides and its Retry-After is the time until a slot frees.
 */
const SLIDING_WINDOW_SCRIPT = `redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, oldest[2]}
end
redis.call('zadd', KEYS[1], ARGV[1], ARGV[4])
redis.call('pexpire', KEYS[1], ARGV[2])
return {1, '0'}`;

/** In-flight slots scored by their expiry, so a slot of a crashed process frees itself. */
const SLOTS_SCRIPT = `redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('zadd', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

export class RedisCallerLimits implements CallerLimits {
  /** Counts writes per process, with the same limit, while Redis cannot be reached. */
  private readonly fallback: MemoryCallerLimits;

  constructor(
    private readonly redis: RedisConnection,
    private readonly settings: LimitSettings,
    private readonly logger: DomainLogger,
  ) {
    this.fallback = new MemoryCallerLimits(settings);
  }

  async countWrite(caller: string): Promise<WriteTicket> {
    if (this.settings.writesPerMinute <= 0) return NO_TICKET;
    return this.count(`limit:writes:${caller}`, this.settings.writesPerMinute, 'per_minute', () => this.fallback.countWrite(caller));
  }

  async countLogin(address: string): Promise<void> {
    if (this.settings.loginsPerMinute <= 0) return;
    await this.count(`limit:logins:${address}`, this.settings.loginsPerMinute, 'per_address', async () => {
      await this.fallback.countLogin(address);
      return NO_TICKET;
    });
  }

  /** One entry in the sliding minute at `key`; while Redis cannot be reached, `fallback` counts in the process. */
  private async count(
    key: string,
    limit: number,
    name: 'per_minute' | 'per_address',
    fallback: () => Promise<WriteTicket>,
  ): Promise<WriteTicket> {
    const id = randomUUID();
    const now = Date.now();
    let answer: [number, string];
    try {
      answer = (await this.redis.run(name === 'per_minute' ? 'limit_write' : 'limit_login', () =>
        this.redis.client.eval(SLIDING_WINDOW_SCRIPT, 1, key, now, MINUTE_MS, limit, `${now}:${id}`),
      )) as [number, string];
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), limit: name }, 'limit counted in this process: redis unreachable');
      return fallback();
    }
    if (answer[0] === 0) throw rateLimited(name, (Number(answer[1]) + MINUTE_MS - now) / 1000);
    return {
      refund: async () => {
        await this.redis.run('limit_refund', () => this.redis.client.zrem(key, `${now}:${id}`)).catch(() => 0);
      },
    };
  }

  async enterPurchase(caller: string): Promise<() => Promise<void>> {
    if (this.settings.purchasesInFlight <= 0) return async () => {};
    const key = `limit:inflight:${caller}`;
    const id = randomUUID();
    let taken: unknown;
    try {
      taken = await this.redis.run('limit_inflight', () =>
        this.redis.client.eval(SLOTS_SCRIPT, 1, key, Date.now(), this.settings.slotTtlMs, this.settings.purchasesInFlight, id),
      );
    } catch (error) {
      throw new UpstreamError('redis', 'unavailable', { cause: error, message: 'redis: in-flight slot not taken' });
    }
    if (taken !== 1) throw rateLimited('in_flight', 1);
    return async () => {
      await this.redis.run('limit_release', () => this.redis.client.zrem(key, id)).catch(() => 0);
    };
  }
}
