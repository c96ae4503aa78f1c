import type { HealthStatus } from '../../domain/health.js';
import { probeAnswer, type Probe } from '../../domain/probe-answers.js';
import { createRouter } from '../shared/create-router.js';
import { echoRoute, healthRoute, readyRoute } from './health.routes.js';

/**
 * The probes through the framework: what in-process requests and anything the server's fast
 * path passes on (src/server/probe-fast-path.ts) get. Both answer from `probeAnswer`; the edge
 * adds Server-Timing, as to every answer under the API.
 */
export function healthRoutes(deps: HealthStatus) {
  const answer = (probe: Probe) => probeAnswer(probe, deps);
  // The bodies are typed by probeAnswer, not per route status; the typed-client test checks every
  // answer against the document's schemas at run time.
  return createRouter()
    .openapi(healthRoute, (c) => c.json(answer('health').body as never, 200))
    .openapi(echoRoute, (c) => c.json(answer('health').body as never, 200))
    .openapi(readyRoute, (c) => {
      const { status, body } = answer('ready');
      return c.json(body as never, status);
    });
}
