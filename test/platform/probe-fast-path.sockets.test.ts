// Liveness and readiness answered by the server's fast path (before the framework), over a real
// socket: the same body, headers, metric and log line as through the framework (platform.http).
// This gateway has no TLS variables: plain HTTP, no Strict-Transport-Security (with them: https.sockets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { LogCapture } from '../helpers/harness.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const logs = new LogCapture();
const metrics = new GatewayMetrics({ processMetrics: false });
let sut: GatewayUnderTest;

beforeAll(async () => {
  sut = await startGatewayUnderTest(
    { CORS_ORIGINS: 'http://localhost:5173', TRUSTED_PROXY_HOPS: '1', LOG_LEVEL: 'info' },
    { logger: createLogger('info', logs), metrics },
  );
});
afterAll(async () => {
  await sut?.close();
});

describe('the probes over a socket', () => {
  it.each(['/health', '/echo', '/health/', '/echo?x=1'])('GET %s: 200 healthy with request id, security headers and Server-Timing, over plain HTTP', async (path) => {
    expect(sut.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${sut.url}/api/orchestrator${path}`, { headers: { 'x-request-id': 'probe-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy', service: 'orchestrator', message: 'Orchestrator is running' });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-request-id')).toBe('probe-1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=\d+(\.\d+)?$/);
    expect(res.headers.has('strict-transport-security')).toBe(false);
  });

  it('GET /ready: 200 with breakers and the store; a request id of its own when the client sent an invalid one', async () => {
    const res = await fetch(`${sut.url}/api/orchestrator/ready`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', upstreams: { productos: { breaker: 'closed' } }, coordination: { store: 'memory', status: 'up' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts each probe in the request metrics and logs its line with the client address', async () => {
    // A number at once: prom-client hands out its live value objects.
    const count = async () =>
      (await metrics.registry.getSingleMetric('gateway_http_requests_total')?.get())?.values.find(
        (v) => v.labels.route === '/api/orchestrator/health' && v.labels.status === '200',
      )?.value ?? 0;
    const before = await count();
    await fetch(`${sut.url}/api/orchestrator/health`, { headers: { 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'probe-log' } });
    expect((await count()) - before).toBe(1);
    const line = logs.entries().find((entry) => entry['requestId'] === 'probe-log');
    expect(line).toMatchObject({ msg: 'request', route: '/api/orchestrator/health', status: 200, clientAddress: '203.0.113.9' });
  });

  it('leaves a browser request (with an Origin) to the framework, which answers CORS', async () => {
    const res = await fetch(`${sut.url}/api/orchestrator/health`, { headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=/);
    expect(res.headers.has('strict-transport-security')).toBe(false);
  });

  it('leaves other methods and paths to the framework', async () => {
    expect((await fetch(`${sut.url}/api/orchestrator/health`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sut.url}/api/orchestrator/healthz`)).status).toBe(404);
  });
});
