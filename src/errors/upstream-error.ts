import type { ServiceName } from '../config/config.js';

/**
 * How an upstream call failed:
 * - `timeout`: no answer within the call's budget; for a write the outcome is unknown.
 * - `unavailable`: connection refused/reset, or a 5xx; the call definitely did not succeed.
 * - `circuit-open`: the breaker refused the call; nothing was sent.
 * - `bad-response`: a 2xx whose body broke the contract (not JSON, wrong shape).
 * - `rejected`: a 4xx; handed to the use-case, which knows what 404 means for it.
 * - `cancelled`: the client went away and the (read) call was abandoned; not the upstream's fault.
 */
export type UpstreamFailureKind = 'timeout' | 'unavailable' | 'circuit-open' | 'bad-response' | 'rejected' | 'cancelled';

/**
 * A service's circuit breaker (src/upstreams/http/create-breaker.ts), as readiness and the
 * metrics report it. Here because every layer speaks of it and none owns the others.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export class UpstreamError extends Error {
  readonly service: ServiceName | 'jwks' | 'redis';
  readonly kind: UpstreamFailureKind;
  /** The upstream's HTTP status, when it answered. */
  readonly status: number | undefined;
  /** The upstream's parsed body of a 4xx; never shown to clients for 5xx. */
  readonly body: unknown;
  /** Seconds until the breaker may let a trial call through. */
  readonly retryAfterSeconds: number | undefined;
  /** A failure caused by the client's input rather than the service's health (see the breaker). */
  readonly excludedFromBreaker: boolean;
  /** Headers the answer carries besides the mapped ones (a replayed failure: `Idempotent-Replayed`). */
  readonly headers: Record<string, string>;

  constructor(
    service: ServiceName | 'jwks' | 'redis',
    kind: UpstreamFailureKind,
    options: {
      status?: number;
      body?: unknown;
      retryAfterSeconds?: number;
      cause?: unknown;
      message?: string;
      excludedFromBreaker?: boolean;
      headers?: Record<string, string>;
    } = {},
  ) {
    const message = options.message ?? `${service}: ${kind}${options.status ? ` (${options.status})` : ''}`;
    // A breaker's refusal is made for every request while the service is down and logged by
    // no one (the breaker logs its transitions): no stack is captured for it.
    const stackTraceLimit = Error.stackTraceLimit;
    if (kind === 'circuit-open') Error.stackTraceLimit = 0;
    super(message, { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'UpstreamError';
    this.service = service;
    this.kind = kind;
    this.status = options.status;
    this.body = options.body;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.excludedFromBreaker = options.excludedFromBreaker ?? false;
    this.headers = options.headers ?? {};
  }

  /**
   * For a write: the upstream may have applied it (no answer in time, or a 2xx we could not
   * read). Compensating such a write could undo a real change, so callers must not.
   */
  get mayHaveApplied(): boolean {
    return this.kind === 'timeout' || this.kind === 'bad-response';
  }
}

export function isRejectedWith(error: unknown, status: number): error is UpstreamError {
  return error instanceof UpstreamError && error.kind === 'rejected' && error.status === status;
}

/** A read whose 404 means "no such thing": `null` instead of the rejection. */
export async function nullOn404<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isRejectedWith(error, 404)) return null;
    throw error;
  }
}
