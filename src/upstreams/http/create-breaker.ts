import CircuitBreaker from 'opossum';
import type { ServiceName } from '../../config/config.js';
import { UpstreamError, type BreakerState } from '../../errors/upstream-error.js';

export type { BreakerState } from '../../errors/upstream-error.js';

export interface BreakerOptions {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
}

/** One service's circuit breaker: runs tasks, refuses them fast while open. */
export interface ServiceBreaker {
  readonly service: ServiceName;
  run<T>(task: () => Promise<T>): Promise<T>;
  state(): BreakerState;
  /** The error a call would get right now without being sent (the breaker is open), or `null`. */
  refusal(): UpstreamError | null;
  onStateChange(listener: (state: BreakerState) => void): void;
  shutdown(): void;
}

type Task = () => Promise<unknown>;

/**
 * Wraps opossum around a generic "run this task" action so one breaker serves every call of a
 * service. Timeouts are not opossum's job here: each call carries its own AbortSignal (a shared
 * AbortController would abort every in-flight call on one timeout).
 */
export function createBreaker(service: ServiceName, options: BreakerOptions): ServiceBreaker {
  const breaker = new CircuitBreaker<[Task], unknown>((task: Task) => task(), {
    name: service,
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    // A 4xx is the upstream working as designed, a client hanging up is nobody's failure, and a
    // 5xx caused by a client's input says nothing of the service's health: none may open it.
    errorFilter: (error: unknown) =>
      error instanceof UpstreamError &&
      (error.kind === 'rejected' || error.kind === 'cancelled' || error.excludedFromBreaker),
  });
  let openedAt = 0;
  breaker.on('open', () => {
    openedAt = Date.now();
  });

  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed');
  const retryAfterSeconds = () =>
    Math.max(1, Math.ceil((openedAt + options.resetTimeoutMs - Date.now()) / 1000));

  const openError = (cause?: unknown) =>
    new UpstreamError(service, 'circuit-open', { retryAfterSeconds: retryAfterSeconds(), ...(cause ? { cause } : {}) });

  return {
    service,
    state,
    refusal: () => (breaker.opened ? openError() : null),
    async run<T>(task: () => Promise<T>): Promise<T> {
      try {
        return (await breaker.fire(task)) as T;
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          throw openError(error);
        }
        throw error;
      }
    },
    onStateChange(listener) {
      breaker.on('open', () => listener('open'));
      breaker.on('halfOpen', () => listener('half-open'));
      breaker.on('close', () => listener('closed'));
    },
    shutdown: () => breaker.shutdown(),
  };
}
