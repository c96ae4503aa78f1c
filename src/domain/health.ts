import type { BreakerState } from '../errors/upstream-error.js';

export type { BreakerState } from '../errors/upstream-error.js';

export interface LoadState {
  overloaded: boolean;
  eventLoopDelayMs: number;
  inFlight: number;
}

/** The shared store of stock locks, idempotency records and limits, as readiness reports it. */
export interface CoordinationState {
  store: 'memory' | 'redis';
  status: 'up' | 'down';
}

/** What readiness needs to know about the process. */
export interface HealthStatus {
  isDraining(): boolean;
  breakerStates(): Record<string, BreakerState>;
  load(): LoadState;
  coordination(): CoordinationState;
}
