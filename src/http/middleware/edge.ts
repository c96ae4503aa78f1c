import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { recordRequest } from '../../observability/request-record.js';
import { API_PREFIX } from '../api-prefix.js';
import type { AppEnv } from '../app-env.js';
import { clientAddress } from '../client-address.js';

/**
 * The headers Hono's `secureHeaders()` sends by default, names and values, apart from HSTS (below).
 * test/security/security-headers.http.test.ts pins them on every kind of answer and checks them
 * against Hono's own output, so a Hono upgrade that changes its defaults is noticed.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
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
/**
 * Not Hono's default on two counts. It is sent only when the gateway itself serves TLS (Hono sends
 * it on every answer; behind a TLS-terminating proxy the proxy owns it, docs/operations.md). Its
 * max-age is one year (31536000 s), the usual recommendation and the HSTS preload list's minimum,
 * where Hono's is 180 days (15552000 s).
 */
export const HSTS = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const;

/** Hono's request-id rule: 1..255 of letters, digits, `_`, `-`, `=`. */
export const VALID_REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * The one middleware every request meets (each async layer costs a load-balancer probe about a
 * fifth of its throughput on the Node adapter, so the edge is a single layer):
 * - before the handler: adopts or generates the request id and sets it and the security headers,
 *   so every answer (errors and 404s included) carries them, and sets the client's address
 *   (`clientAddress`, per TRUSTED_PROXY_HOPS) for the log line and per-address limits;
 * - after it: one metric sample and one log line, labelled by route template (never raw paths),
 *   naming the caller (masked DNI) when the request was authenticated, and the client's address.
 *
 * It does the work of Hono's `requestId()` and `secureHeaders()` at a fraction of their cost,
 * measured on GET /health (bench/results.md): `secureHeaders()` edits the finished response's
 * headers after `next()`, and `requestId()` reads `c.req.header()`, which makes the Node adapter
 * build a full WHATWG Headers object for every request; each cost about a quarter of the
 * throughput of a probe.
 */
export function edge(options: { hsts: boolean; logger: Logger; metrics: GatewayMetrics; trustedProxyHops: number }) {
  const headers = options.hsts ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
  const { logger, metrics, trustedProxyHops } = options;
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    c.set('startedAt', Date.now());
    const incoming = readRawHeader(c, 'x-request-id');
    const requestId = incoming !== undefined && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    for (const [name, value] of headers) c.header(name, value);
    // With no trusted proxy, X-Forwarded-For is not even read (the default, and the cheapest).
    const forwardedFor = trustedProxyHops > 0 ? readRawHeader(c, 'x-forwarded-for') : undefined;
    const address = clientAddress(peerAddress(c), forwardedFor, trustedProxyHops);
    c.set('clientAddress', address);

    metrics.inFlight.inc();
    try {
      await next();
      // Every answer under the API carries Server-Timing, also those refused before the route's
      // timing middleware ran (401, 413, 503 OVERLOADED) and unknown routes (404): `total` only.
      if (c.req.path.startsWith(API_PREFIX) && !c.res.headers.has('Server-Timing')) {
        c.res.headers.set('Server-Timing', `total;dur=${(performance.now() - started).toFixed(1)}`);
      }
    } finally {
      metrics.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      // The last matched route is the handler's template; middleware are registered for ALL methods.
      const handler = matchedRoutes(c).at(-1);
      const route = handler && handler.method !== 'ALL' ? handler.path : 'unmatched';
      // Set by `authenticate` once the token is verified; absent for anonymous and refused requests.
      const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
      recordRequest(logger, metrics, {
        requestId,
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        seconds,
        ...(principal ? { callerDni: principal.dni } : {}),
        clientAddress: address,
      });
    }
  });
}

/**
 * A header from Node's raw headers (no WHATWG Headers built). Node joins repeated headers with
 * ", " (X-Forwarded-For included); only Set-Cookie comes as an array.
 */
function readRawHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = nodeRequest(c);
  if (incoming) {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }
  return c.req.header(name);
}

/** The TCP peer's address; undefined for requests made in-process (`app.request` in tests). */
function peerAddress(c: Context<AppEnv>): string | undefined {
  return nodeRequest(c)?.socket.remoteAddress;
}

function nodeRequest(c: Context<AppEnv>): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}
