// The security headers, pinned by name and value on every kind of answer: through the framework
// (200, 400, 401, 404, the document) and on the server's probe fast path, with
// Strict-Transport-Security only when the gateway serves TLS. The set is Hono's `secureHeaders()`
// default set, checked here against Hono's own output, except HSTS: sent only over TLS, and for a
// year instead of Hono's 180 days (src/http/middleware/edge.ts says why).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { withProbeFastPath } from '../../src/server/probe-fast-path.js';
import { API, LogCapture, createHarness, tokens } from '../helpers/harness.js';

const SECURITY_HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const HSTS = 'max-age=31536000; includeSubDomains';
const HONO_DEFAULT_HSTS = 'max-age=15552000; includeSubDomains';

/** Every header a security set could hold, whether we send it or not: none may appear unpinned. */
const SECURITY_NAMES = /^(cross-origin-|origin-agent-cluster$|referrer-policy$|x-content-type|x-dns-|x-download|x-frame|x-permitted|x-xss|strict-transport|content-security-policy|permissions-policy$|x-powered-by$)/;

function securityHeadersOf(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => SECURITY_NAMES.test(name)));
}

describe('our set is Hono’s secureHeaders() defaults, HSTS apart', () => {
  it('matches what secureHeaders() sends, except the HSTS max-age', async () => {
    const app = new Hono().use(secureHeaders()).get('/', (c) => c.text('ok'));
    const hono = securityHeadersOf((await app.request('/')).headers);
    expect(hono).toEqual({ ...SECURITY_HEADERS, 'strict-transport-security': HONO_DEFAULT_HSTS });
  });
});

describe.each<{ tls: boolean; env: Record<string, string> }>([
  { tls: false, env: {} },
  { tls: true, env: { TLS_CERT_FILE: '/run/secrets/tls.crt', TLS_KEY_FILE: '/run/secrets/tls.key' } },
])('through the framework, TLS $tls', ({ tls, env }) => {
  const h = createHarness(env);
  beforeAll(() => h.listen());
  afterAll(() => h.close());
  const expected = tls ? { ...SECURITY_HEADERS, 'strict-transport-security': HSTS } : SECURITY_HEADERS;

  it.each([
    ['GET /health (200)', () => h.request(`${API}/health`), 200],
    ['GET /compras/me without a token (401)', () => h.request(`${API}/compras/me`), 401],
    ['GET an unknown path (404)', () => h.request(`${API}/nowhere`), 404],
    ['GET /api/schema (200)', () => h.request('/api/schema'), 200],
    [
      'POST /compras with a malformed body (400)',
      async () => h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { productos: 'x' } }),
      400,
    ],
  ] as const)('%s', async (_name, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(securityHeadersOf(response.headers)).toEqual(expected);
  });
});

describe.each([false, true])('on the probe fast path, TLS %s', (hsts) => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const listener = withProbeFastPath((_req, res) => res.writeHead(404).end(), {
      health: {
        isDraining: () => false,
        breakerStates: () => ({}),
        load: () => ({ overloaded: false, eventLoopDelayMs: 0, inFlight: 0 }),
        coordination: () => ({ store: 'memory', status: 'up' }),
      },
      hsts,
      logger: createLogger('info', new LogCapture()),
      metrics: new GatewayMetrics({ processMetrics: false }),
      trustedProxyHops: 0,
    });
    server = createServer(listener).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['/health', '/ready'])('GET %s', async (path) => {
    const response = await fetch(`${url}${API}${path}`);
    expect(response.status).toBe(200);
    expect(securityHeadersOf(response.headers)).toEqual(hsts ? { ...SECURITY_HEADERS, 'strict-transport-security': HSTS } : SECURITY_HEADERS);
  });
});
