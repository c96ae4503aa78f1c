import type { HealthStatus } from '../../domain/health.js';
import { createRouter } from '../shared/create-router.js';
import { echoRoute, healthRoute, readyRoute } from './health.routes.js';


const HEALTHY = { status: 'healthy', service: 'orchestrator', message: 'Orchestrator is running' } as const;

export function healthRoutes(deps: HealthStatus) {
  return createRouter()
    .openapi(healthRoute, (c) => c.json(HEALTHY, 200))
    .openapi(echoRoute, (c) => c.json(HEALTHY, 200))
    .openapi(readyRoute, (c) => {
      const upstreams = Object.fromEntries(
        Object.entries(deps.breakerStates()).map(([service, breaker]) => [service, { breaker }]),
      );
      // Redis down does not make a replica unready: every replica shares the same Redis.
      const coordination = deps.coordination();
      if (deps.isDraining()) return c.json({ status: 'draining' as const, upstreams, coordination }, 503);
      const load = deps.load();
      if (load.overloaded) return c.json({ status: 'overloaded' as const, upstreams, coordination, load }, 503);
      return c.json({ status: 'ready' as const, upstreams, coordination }, 200);
    });
}
