export type BreakerState = 'closed' | 'open' | 'half-open';

export interface LoadState {
  overloaded: boolean;
  eventLoopDelayMs: number;
  inFlight: number;
}

/** What readiness needs to know about the process. */
export interface HealthStatus {
  isDraining(): boolean;
  breakerStates(): Record<string, BreakerState>;
  load(): LoadState;
}
