// Several gateway processes sharing one real Redis never oversell; Redis trouble fails only the
// purchases that need it, fast, and they recover without a restart. The mock upstreams run in this
// process, the gateways as child processes, a private redis-server beside them.
import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../mocks/index.js';
import { startRedis } from '../../scripts/dev/redis-server.js';
import { waitFor } from '../helpers/e2e.js';
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

  it('WORKERS=3 on one port: the same 200 buyers sell exactly 50', async () => {
    const [cluster] = await gatewaysWith(1, { ...CONCURRENCY_ENV, REDIS_URL: world.redis.url, WORKERS: '3' });
    await twoHundredBuyersOfFifty([(cluster as GatewayProcess).api]);
  }, 90_000);

  it('refuses WORKERS=3 without REDIS_URL at start-up, naming both variables', async () => {
    const { spawnNode, MAIN_JS, exitWithin } = await import('../helpers/e2e.js');
    const proc = spawnNode(MAIN_JS, { JWT_SECRET: 'x'.repeat(32), WORKERS: '3' });
    expect((await exitWithin(proc, 15_000)).code).not.toBe(0);
    const stderr = proc.stderr();
    expect(stderr).toContain('WORKERS');
    expect(stderr).toContain('REDIS_URL');
  });

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

describe('Redis trouble', () => {
  it('fails purchases with 503 redis within a second and writes nothing; reads go on; purchases recover within 5 s of Redis returning', async () => {
    const [gateway] = await gatewaysWith(1, { REDIS_URL: world.redis.url });
    if (!gateway) throw new Error('a gateway expected');
    expect((await buy(gateway.api, world.tokens[0] as string, IBUPROFENO)).status).toBe(201);
    await world.redis.kill();
    try {
      world.mocks.reset();
      const started = Date.now();
      const refused = await buy(gateway.api, world.tokens[0] as string, IBUPROFENO);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { service: 'redis' } });
      expect(writes()).toEqual([]);
      const mine = await fetch(`${gateway.api}/compras/me`, { headers: { authorization: `Bearer ${world.tokens[0]}` } });
      expect(mine.status).toBe(200);
      // Other writes go on: their per-minute limit is counted in the process meanwhile.
      const execute = await fetch(`${gateway.api}/integration-tasks/2/execute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.tokens[0]}` },
      });
      expect(execute.status).toBe(202);
      const ready = (await (await fetch(`${gateway.api}/ready`)).json()) as { status: string; coordination: unknown };
      expect(ready).toMatchObject({ status: 'ready', coordination: { store: 'redis', status: 'down' } });
      const metrics = await (await fetch(gateway.api.replace('/api/orchestrator', '/metrics'))).text();
      expect(metrics).toMatch(/gateway_coordination_store_operations_total\{operation="\w+",outcome="error"\} [1-9]/);
      expect(metrics).toMatch(/gateway_coordination_store_operations_total\{operation="\w+",outcome="ok"\} [1-9]/);
    } finally {
      await world.redis.restart();
    }
    const back = Date.now();
    await waitFor(async () => (await buy(gateway.api, world.tokens[0] as string, IBUPROFENO)).status === 201, {
      timeoutMs: 5000,
      intervalMs: 100,
      what: 'purchases after Redis came back',
    });
    expect(Date.now() - back).toBeLessThan(5000);
  }, 30_000);

  it('starts without Redis, then works once Redis appears, with no restart', async () => {
    await world.redis.kill();
    let gateway: GatewayProcess | undefined;
    try {
      [gateway] = await gatewaysWith(1, { REDIS_URL: world.redis.url });
      if (!gateway) throw new Error('a gateway expected');
      const ready = (await (await fetch(`${gateway.api}/ready`)).json()) as { coordination: unknown };
      expect(ready.coordination).toEqual({ store: 'redis', status: 'down' });
      expect((await buy(gateway.api, world.tokens[0] as string, IBUPROFENO)).status).toBe(503);
    } finally {
      await world.redis.restart();
    }
    const api = gateway.api;
    await waitFor(async () => (await buy(api, world.tokens[0] as string, IBUPROFENO)).status === 201, {
      timeoutMs: 5000,
      intervalMs: 100,
      what: 'purchases once Redis appeared',
    });
  }, 30_000);
});

describe('a Redis with a password', () => {
  it('works from the URL and never writes the password to a log', async () => {
    const password = 's3cr3t-redis-pass-0042';
    const secured = await startRedis({ password });
    try {
      const [gateway] = await gatewaysWith(1, { REDIS_URL: secured.url, LOG_LEVEL: 'debug' });
      if (!gateway) throw new Error('a gateway expected');
      expect((await buy(gateway.api, world.tokens[0] as string, IBUPROFENO)).status).toBe(201);
      await secured.kill();
      await buy(gateway.api, world.tokens[0] as string, IBUPROFENO);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const output = gateway.proc.stdout() + gateway.proc.stderr();
      expect(output).toContain('coordination store');
      expect(output).not.toContain(password);
    } finally {
      await secured.stop();
    }
  }, 30_000);
});
