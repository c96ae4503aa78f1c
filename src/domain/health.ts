export type BreakerState = 'closed' | 'open' | 'half-open';

/** What readiness needs to know about the process. */
export interface HealthStatus {
  isDraining(): boolean;
  breakerStates(): Record<string, BreakerState>;
}
