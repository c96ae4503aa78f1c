import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HealthStatus } from '../domain/health.js';
import { probeAnswer, type Probe } from '../domain/probe-answers.js';
import { API_PREFIX } from '../http/api-prefix.js';
import { clientAddress } from '../http/client-address.js';
import { HSTS, SECURITY_HEADERS, VALID_REQUEST_ID } from '../http/middleware/edge.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { recordRequest } from '../observability/request-record.js';

/** The probe paths, with the trailing slash every GET also accepts. */
const PROBES = new Map<string, { probe: Probe; route: string }>(
  (['health', 'echo', 'ready'] as const).flatMap((name) => {
    const route = `${API_PREFIX}/${name}`;
    const entry = { probe: name === 'ready' ? ('ready' as const) : ('health' as const), route };
    return [
      [route, entry],
      [`${route}/`, entry],
    ];
  }),
);

export interface ProbeFastPathOptions {
  health: HealthStatus;
  hsts: boolean;
  logger: Logger;
  metrics: GatewayMetrics;
  trustedProxyHops: number;
}

/**
 * Load balancers probe `/health` and `/ready` many times a second. Answering them through the
 * framework builds a WHATWG Request and Response and runs the middleware chain for a constant
 * body; here Node's own request and response answer them before any of it, with the same headers
 * (request id, the security set, Server-Timing), the same metric and the same log line. A request
 * with an `Origin` (a browser, which needs the CORS answer) or any other path goes to `next`.
 */
export function withProbeFastPath(next: RequestListener, options: ProbeFastPathOptions): RequestListener {
  const security = options.hsts ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
  return (req, res) => {
    const probe = req.method === 'GET' && req.headers.origin === undefined ? PROBES.get(pathOf(req.url)) : undefined;
    if (!probe) return next(req, res);
    answer(req, res, probe, security, options);
  };
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  { probe, route }: { probe: Probe; route: string },
  security: ReadonlyArray<readonly [string, string]>,
  options: ProbeFastPathOptions,
): void {
  const started = performance.now();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const { status, body } = probeAnswer(probe, options.health);
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
    'server-timing': `total;dur=${(performance.now() - started).toFixed(1)}`,
  };
  for (const [name, value] of security) headers[name] = value;
  res.writeHead(status, headers);
  res.end(text);

  const forwardedFor = options.trustedProxyHops > 0 ? req.headers['x-forwarded-for'] : undefined;
  recordRequest(options.logger, options.metrics, {
    requestId,
    method: 'GET',
    path: pathOf(req.url),
    route,
    status,
    seconds: (performance.now() - started) / 1000,
    clientAddress: clientAddress(req.socket.remoteAddress, forwardedFor, options.trustedProxyHops),
  });
}

const pathOf = (url: string | undefined) => {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : (url as string).slice(0, query);
};
