import type { HealthStatus } from './health.js';

export type Probe = 'health' | 'ready';

const HEALTHY = { status: 'healthy', service: 'orchestrator', message: 'Orchestrator is running' } as const;

/**
 * What liveness (`/health`, `/echo`) and readiness (`/ready`) answer: one definition for the
 * framework's routes and the server's fast path. Readiness is 503 while draining or overloaded;
 * an open breaker or Redis down does not make a replica unready (every replica shares them).
 */
export function probeAnswer(probe: Probe, health: HealthStatus): { status: 200 | 503; body: Record<string, unknown> } {
  if (probe === 'health') return { status: 200, body: HEALTHY };
  const upstreams = Object.fromEntries(Object.entries(health.breakerStates()).map(([service, breaker]) => [service, { breaker }]));
  const coordination = health.coordination();
  if (health.isDraining()) return { status: 503, body: { status: 'draining', upstreams, coordination } };
  const load = health.load();
  if (load.overloaded) return { status: 503, body: { status: 'overloaded', upstreams, coordination, load } };
  return { status: 200, body: { status: 'ready', upstreams, coordination } };
}
