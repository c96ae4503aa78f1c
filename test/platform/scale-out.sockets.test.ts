// Several gateway processes sharing one real Redis never oversell, and a cluster's /metrics counts
// every worker; Redis trouble fails only the purchases that need it, fast, and they recover without
// a restart. The mock upstreams run in this process, the gateways as child processes (slow: each
// process-level behaviour is checked once), a private redis-server beside them.
import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../mocks/index.js';
import { startRedis } from '../../scripts/dev/redis-server.js';
import { httpRequest, waitFor } from '../helpers/e2e.js';
import { buy, statusCounts, useScaleOutWorld, type GatewayProcess } from '../helpers/gateway-processes.js';

const IBUPROFENO = 2;
/** Budgets that fit 200 purchases queued on one product's lock; the per-caller limits are off on purpose. */
const CONCURRENCY_ENV = {
  UPSTREAM_TIMEOUT_MS: '5000',
  REQUEST_TIMEOUT_MS: '30000',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  DOUBLE_SUBMIT_WINDOW_MS: '0',
  PURCHASES_IN_FLIGHT_PER_CALLER: '0',
  WRITES_PER_MINUTE_PER_CALLER: '0',
};

const world = useScaleOutWorld();
const gatewaysWith = (count: number, env: Record<string, string>) => world.start(count, env);

const setStock = (id: number, stock: number) => {
  const product = world.mocks.state.data.productos.items.find((item) => item.id === id);
  if (!product) throw new Error('seed changed');
  product.stock = stock;
};
const stockOf = (id: number) => world.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const registrations = () => world.mocks.calls('usuarios').filter((call: RecordedCall) => call.method === 'POST' && call.path === '/api/compras');
const writes = () => world.mocks.calls().filter((call) => call.method !== 'GET');

/** gateway_http_requests_total of POST /compras with `status` in a Prometheus text (0 when absent). */
function purchasesCounted(text: string, status: number): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_http_requests_total{') && l.includes('route="/api/orchestrator/compras"') && l.includes(`status="${status}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function twoHundredBuyersOfFifty(apis: string[]) {
  setStock(IBUPROFENO, 50);
  const answers = await Promise.all(
    Array.from({ length: 200 }, (_, i) => buy(apis[i % apis.length] as string, world.tokens[i % world.tokens.length] as string, IBUPROFENO)),
  );
  expect(answers.filter((answer) => answer.status >= 500).map((answer) => answer.body)).toEqual([]);
  expect(statusCounts(answers)).toEqual({ 201: 50, 409: 150 });
  expect(stockOf(IBUPROFENO)).toBe(0);
  expect(registrations()).toHaveLength(50);
}

describe('one Redis shared by several processes', () => {
  it('three gateway processes: 200 concurrent one-unit buyers of a stock of 50 sell exactly 50', async () => {
    const started = await gatewaysWith(3, { ...CONCURRENCY_ENV, REDIS_URL: world.redis.url });
    await twoHundredBuyersOfFifty(started.map((gateway) => gateway.api));
  }, 90_000);

  it('WORKERS=3 on one port: the same 200 buyers sell exactly 50, and /metrics counts them all whichever worker answers', async () => {
    const [cluster] = await gatewaysWith(1, { ...CONCURRENCY_ENV, REDIS_URL: world.redis.url, WORKERS: '3' });
    const api = (cluster as GatewayProcess).api;
    await twoHundredBuyersOfFifty([api]);
    // Without METRICS_PORT a worker answers /metrics with the sum over the workers (the buyers'
    // connections were spread over all three). Each scrape on a new connection: the workers take turns.
    for (let scrape = 0; scrape < 6; scrape++) {
      const answer = await httpRequest(api.replace('/api/orchestrator', '/metrics'));
      expect(answer.status).toBe(200);
      expect([purchasesCounted(answer.body, 201), purchasesCounted(answer.body, 409)]).toEqual([50, 150]);
    }
  }, 90_000);

  it('frees a product locked by a process killed mid-purchase once the lock expires by itself', async () => {
    const env = { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1500', REDIS_URL: world.redis.url };
    const [victim, survivor] = await gatewaysWith(2, env);
    if (!victim || !survivor) throw new Error('two gateways expected');
    // The victim holds the lock while its stock write hangs, then dies without releasing it.
    world.mocks.setFaults('productos', [{ method: 'PUT', path: `/api/productos/${IBUPROFENO}`, fault: 'hang' }]);
    const held = buy(victim.api, world.tokens[0] as string, IBUPROFENO).catch(() => undefined);
    await waitFor(() => world.mocks.calls('productos').some((call) => call.method === 'PUT'), { what: 'the hanging stock write' });
    const lockedAt = Date.now();
    await victim.proc.kill();
    await held;
    world.mocks.setFaults('productos', []);

    // The lock lives REQUEST_TIMEOUT_MS + 5 s = 6.5 s: until then the survivor's purchases wait and time out.
    const early = await buy(survivor.api, world.tokens[1] as string, IBUPROFENO);
    expect(early.status).toBe(504);
    expect(early.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { stage: 'stock_lock' } });
    const sold = await waitFor(
      async () => {
        const answer = await buy(survivor.api, world.tokens[1] as string, IBUPROFENO);
        return answer.status === 201 ? Date.now() : undefined;
      },
      { timeoutMs: 12_000, intervalMs: 200, what: 'the expired lock' },
    );
    expect(sold - lockedAt).toBeGreaterThan(4000);
    expect(sold - lockedAt).toBeLessThan(9000);
  }, 30_000);
});

// One process through a whole outage story (child processes are slow), on a Redis that needs a
// password so that every log line of the story can be checked for it.
describe('Redis trouble (a password-protected Redis)', () => {
  it('starts without Redis and works once it appears; then fails purchases with 503 redis within a second and writes nothing while reads and other writes go on; recovers within 5 s; never logs the password', async () => {
    const password = 's3cr3t-redis-pass-0042';
    const redis = await startRedis({ password });
    try {
      await redis.kill();
      const [gateway] = await gatewaysWith(1, { REDIS_URL: redis.url, LOG_LEVEL: 'debug' });
      if (!gateway) throw new Error('a gateway expected');
      const token = world.tokens[0] as string;
      const purchase = () => buy(gateway.api, token, IBUPROFENO);
      const ready = async () => (await (await fetch(`${gateway.api}/ready`)).json()) as { status: string; coordination: unknown };
      const purchasesWithin5s = async (what: string) => {
        const back = Date.now();
        await waitFor(async () => (await purchase()).status === 201, { timeoutMs: 5000, intervalMs: 100, what });
        expect(Date.now() - back).toBeLessThan(5000);
      };

      // Started without its Redis: ready, the store down, purchases refused; no restart needed.
      expect((await ready()).coordination).toEqual({ store: 'redis', status: 'down' });
      expect((await purchase()).status).toBe(503);
      await redis.restart();
      await purchasesWithin5s('purchases once Redis appeared');

      await redis.kill();
      world.mocks.reset();
      const started = Date.now();
      const refused = await purchase();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { service: 'redis' } });
      expect(writes()).toEqual([]);
      const mine = await fetch(`${gateway.api}/compras/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(mine.status).toBe(200);
      // Other writes go on: their per-minute limit is counted in the process meanwhile.
      const execute = await fetch(`${gateway.api}/integration-tasks/2/execute`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(execute.status).toBe(202);
      expect(await ready()).toMatchObject({ status: 'ready', coordination: { store: 'redis', status: 'down' } });
      const metrics = await (await fetch(gateway.api.replace('/api/orchestrator', '/metrics'))).text();
      expect(metrics).toMatch(/gateway_coordination_store_operations_total\{operation="\w+",outcome="error"\} [1-9]/);
      expect(metrics).toMatch(/gateway_coordination_store_operations_total\{operation="\w+",outcome="ok"\} [1-9]/);
      // Let the store's reconnection attempts reach the log before reading it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.restart();
      await purchasesWithin5s('purchases after Redis came back');

      const output = gateway.proc.stdout() + gateway.proc.stderr();
      expect(output).toContain('coordination store');
      expect(output).not.toContain(password);
    } finally {
      await redis.stop();
    }
  }, 40_000);
});
