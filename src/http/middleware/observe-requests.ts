import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';

/** One log line and one metric sample per request, labelled by route template (never raw paths). */
export function observeRequests(logger: Logger, metrics: GatewayMetrics) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      metrics.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      // The last matched route is the handler's template; middleware are registered for ALL methods.
      const handler = matchedRoutes(c).at(-1);
      const route = handler && handler.method !== 'ALL' ? handler.path : 'unmatched';
      metrics.observeRequest(c.req.method, route, c.res.status, seconds);
      logger.info(
        {
          requestId: c.get('requestId'),
          method: c.req.method,
          path: c.req.path,
          route,
          status: c.res.status,
          durationMs: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    }
  });
}
