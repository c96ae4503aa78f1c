import { GatewayError } from '../../errors/gateway-error.js';

/** A counted write; given back when its answer turned out to be a replay (replays never count). */
export interface WriteTicket {
  refund(): Promise<void>;
}

/**
 * Per-caller limits (token `sub`), shared by every process with `REDIS_URL`:
 * - writes per sliding minute (`WRITES_PER_MINUTE_PER_CALLER`); while Redis is unreachable they
 *   are counted per process with the same limit and the write proceeds;
 * - purchases in progress at once (`PURCHASES_IN_FLIGHT_PER_CALLER`); while Redis is unreachable
 *   a purchase answers 503 `redis`.
 * A limit of 0 is no limit. Over a limit: 429 RATE_LIMITED with Retry-After.
 */
export interface CallerLimits {
  countWrite(caller: string): Promise<WriteTicket>;
  /** Takes an in-flight purchase slot; call the returned function once the purchase is answered. */
  enterPurchase(caller: string): Promise<() => Promise<void>>;
  /**
   * Counts one login or registration attempt from a client address against
   * `LOGINS_PER_MINUTE_PER_ADDRESS` (a sliding minute; counted per process while Redis is down).
   */
  countLogin(address: string): Promise<void>;
}

export const rateLimited = (limit: 'in_flight' | 'per_minute' | 'per_address', retryAfterSeconds: number): GatewayError =>
  new GatewayError('RATE_LIMITED', {
    details: { limit },
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

export const NO_TICKET: WriteTicket = { refund: async () => {} };
