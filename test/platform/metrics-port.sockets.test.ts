// METRICS_PORT over real sockets: /metrics is served only there (the public port answers it 404
// NOT_FOUND, the metrics port answers nothing else), by the process itself (startServer, in this
// process) or, with WORKERS=2, by the cluster's primary with the sum over both workers (child
// processes). A cluster's /metrics on the public port: scale-out.sockets. The METRICS_PORT = PORT
// refusal: config.unit (the line) and process-lifecycle.sockets (start-up printing every line).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, httpRequest } from '../helpers/e2e.js';
import { useScaleOutWorld } from '../helpers/gateway-processes.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const world = useScaleOutWorld();
const HEALTH_ROUTE = '/api/orchestrator/health';
/** Requests sent to the public port; each on a new connection, so the cluster spreads them over its workers. */
const N = 24;

/** The value of gateway_http_requests_total for GET /health 200 in a Prometheus text (0 when absent). */
function healthRequestsCounted(text: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_http_requests_total{') && l.includes(`route="${HEALTH_ROUTE}"`) && l.includes('status="200"'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function sendHealthRequests(root: string): Promise<void> {
  for (let i = 0; i < N; i++) expect((await httpRequest(`${root}${HEALTH_ROUTE}`)).status).toBe(200);
}

function expectNotFoundBody(answer: { status: number; headers: Record<string, unknown>; body: string }, path: string) {
  expect(answer.status).toBe(404);
  expect(String(answer.headers['content-type'])).toContain('application/json');
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({ code: 'NOT_FOUND', requestId: answer.headers['x-request-id'] });
  expect(body.error).toEqual(expect.stringContaining(path));
}

describe('METRICS_PORT in one process', () => {
  let sut: GatewayUnderTest;
  beforeAll(async () => {
    sut = await startGatewayUnderTest({ METRICS_PORT: '0' });
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('serves Prometheus text only on the metrics port; the public port answers /metrics 404 NOT_FOUND; the metrics port answers /health 404', async () => {
    const metricsRoot = sut.gateway.metricsUrl as string;
    expect(metricsRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await sendHealthRequests(sut.url);

    expectNotFoundBody(await httpRequest(`${sut.url}/metrics`), '/metrics');

    const scrape = await httpRequest(`${metricsRoot}/metrics`);
    expect(scrape.status).toBe(200);
    expect(String(scrape.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.body).toContain('# TYPE gateway_http_requests_total counter');
    expect(healthRequestsCounted(scrape.body)).toBe(N);

    expectNotFoundBody(await httpRequest(`${metricsRoot}${HEALTH_ROUTE}`), HEALTH_ROUTE);
    expectNotFoundBody(await httpRequest(`${metricsRoot}/`), '/');
  });
});

describe('WORKERS=2 and METRICS_PORT', () => {
  it('the primary serves the sum over the workers; the public port answers /metrics 404', async () => {
    const metricsPort = await freePort();
    const [cluster] = await world.start(1, { WORKERS: '2', REDIS_URL: world.redis.url, METRICS_PORT: String(metricsPort) });
    if (!cluster) throw new Error('a gateway expected');
    const root = cluster.api.replace('/api/orchestrator', '');
    await sendHealthRequests(root);
    const answer = await httpRequest(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(answer.status).toBe(200);
    expect(healthRequestsCounted(answer.body)).toBe(N);
    // Both workers' in-flight gauges, summed: nothing is in flight between requests.
    expect(answer.body).toMatch(/^gateway_http_requests_in_flight 0$/m);
    expectNotFoundBody(await httpRequest(`${root}/metrics`), '/metrics');
    expectNotFoundBody(await httpRequest(`http://127.0.0.1:${metricsPort}${HEALTH_ROUTE}`), HEALTH_ROUTE);
  }, 60_000);
});
