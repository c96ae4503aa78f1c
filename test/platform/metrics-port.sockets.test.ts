// METRICS_PORT and WORKERS > 1, on real gateway processes over real sockets: with METRICS_PORT,
// /metrics is served only there (the public port answers it 404 NOT_FOUND, the metrics port
// answers nothing else); with WORKERS=2, /metrics reports the sum over both workers on whichever
// port it is served, whichever worker takes the scrape.
import { describe, expect, it } from 'vitest';
import { MAIN_JS, exitWithin, freePort, httpRequest, spawnNode } from '../helpers/e2e.js';
import { useScaleOutWorld } from '../helpers/gateway-processes.js';

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

describe('METRICS_PORT', () => {
  it('serves Prometheus text only on the metrics port; the public port answers /metrics 404 NOT_FOUND; the metrics port answers /health 404', async () => {
    const metricsPort = await freePort();
    const [gateway] = await world.start(1, { METRICS_PORT: String(metricsPort) });
    if (!gateway) throw new Error('a gateway expected');
    const publicRoot = gateway.api.replace('/api/orchestrator', '');
    const metricsRoot = `http://127.0.0.1:${metricsPort}`;
    await sendHealthRequests(publicRoot);

    expectNotFoundBody(await httpRequest(`${publicRoot}/metrics`), '/metrics');

    const scrape = await httpRequest(`${metricsRoot}/metrics`);
    expect(scrape.status).toBe(200);
    expect(String(scrape.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.body).toContain('# TYPE gateway_http_requests_total counter');
    expect(healthRequestsCounted(scrape.body)).toBe(N);

    expectNotFoundBody(await httpRequest(`${metricsRoot}${HEALTH_ROUTE}`), HEALTH_ROUTE);
    expectNotFoundBody(await httpRequest(`${metricsRoot}/`), '/');
  });

  it('refuses to start when METRICS_PORT equals PORT, in one stderr line naming METRICS_PORT', async () => {
    const port = String(await freePort());
    const proc = spawnNode(MAIN_JS, { JWT_SECRET: 'x'.repeat(32), HOST: '127.0.0.1', PORT: port, METRICS_PORT: port });
    const exit = await exitWithin(proc, 15_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const lines = proc.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\bMETRICS_PORT\b/);
  });
});

describe('WORKERS=2: /metrics is the sum over the workers', () => {
  it('on the public port (no METRICS_PORT), whichever worker answers the scrape', async () => {
    const [cluster] = await world.start(1, { WORKERS: '2', REDIS_URL: world.redis.url });
    if (!cluster) throw new Error('a gateway expected');
    const root = cluster.api.replace('/api/orchestrator', '');
    await sendHealthRequests(root);
    // Each scrape on a new connection: the cluster hands them to its workers in turn.
    for (let scrape = 0; scrape < 4; scrape++) {
      const answer = await httpRequest(`${root}/metrics`);
      expect(answer.status).toBe(200);
      expect(healthRequestsCounted(answer.body)).toBe(N);
    }
  }, 60_000);

  it('on METRICS_PORT, served by the primary; the public port answers /metrics 404', async () => {
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
