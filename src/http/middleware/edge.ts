import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { AppEnv } from '../app-env.js';

/** The header set of Hono's `secureHeaders()` defaults (HSTS only when serving TLS). */
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];
const HSTS = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const;

/** Hono's request-id rule: 1..255 of letters, digits, `_`, `-`, `=`. */
const VALID_REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * The one middleware every request meets (each async layer costs a load-balancer probe about a
 * fifth of its throughput on the Node adapter, so the edge is a single layer):
 * - before the handler: adopts or generates the request id and sets it and the security headers,
 *   so every answer (errors and 404s included) carries them;
 * - after it: one metric sample and one log line, labelled by route template (never raw paths).
 *
 * It does the work of Hono's `requestId()` and `secureHeaders()` at a fraction of their cost,
 * measured on GET /health (bench/results.md): `secureHeaders()` edits the finished response's
 * headers after `next()`, and `requestId()` reads `c.req.header()`, which makes the Node adapter
 * build a full WHATWG Headers object for every request; each cost about a quarter of the
 * throughput of a probe.
 */
export function edge(options: { hsts: boolean; logger: Logger; metrics: GatewayMetrics }) {
  const headers = options.hsts ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
  const { logger, metrics } = options;
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    c.set('startedAt', Date.now());
    const incoming = readRawHeader(c, 'x-request-id');
    const requestId = incoming !== undefined && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    for (const [name, value] of headers) c.header(name, value);

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
        { requestId, method: c.req.method, path: c.req.path, route, status: c.res.status, durationMs: Math.round(seconds * 10_000) / 10 },
        'request',
      );
    }
  });
}

function readRawHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }
  return c.req.header(name);
}
