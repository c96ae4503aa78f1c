// Idempotency held across gateway processes that share one Redis: a retry landing on another
// replica replays (or waits for) the first attempt, a reused key with another body is refused,
// a double click is one purchase, an unknown outcome then a retry never takes stock twice, and the
// per-caller limits and the prescription gate hold across replicas. The rules themselves are on the
// use-case (idempotency.use-case.test.ts); here, only that Redis shares them. Two replicas are
// started per environment and kept for its tests (Redis and the mocks are emptied before each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, useScaleOutWorld, type GatewayProcess } from '../helpers/gateway-processes.js';

const PARACETAMOL = 1;
const UPSTREAM_TIMEOUT_MS = 1000;
const BASE_ENV = { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS), REQUEST_TIMEOUT_MS: '5000', DOUBLE_SUBMIT_WINDOW_MS: '0' };

const world = useScaleOutWorld();

/** Two replicas with `env` for the tests of the enclosing describe. */
function twoReplicas(env: Record<string, string> = {}): () => [GatewayProcess, GatewayProcess] {
  let replicas: GatewayProcess[] = [];
  beforeAll(async () => {
    const start = () => startGatewayProcess(world.servers, { ...BASE_ENV, REDIS_URL: world.redis.url, ...env });
    replicas = await Promise.all([start(), start()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.proc.kill()));
  });
  return () => replicas as [GatewayProcess, GatewayProcess];
}

async function buy(gateway: GatewayProcess, body: unknown, key?: string) {
  const response = await fetch(`${gateway.api}/compras`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.tokens[0]}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Record<string, unknown> };
}

const ONE = { productos: [{ producto_id: PARACETAMOL, cantidad: 2 }] };
const registrations = () => world.mocks.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');
const stockWrites = () => world.mocks.calls('productos').filter((call) => call.method === 'PUT');
const anaPurchases = () => world.mocks.state.data.usuarios.compras.filter((compra) => compra.usuarioId === 3);

describe('two replicas sharing Redis', () => {
  const replicas = twoReplicas();

  it('replays a keyed purchase on the other replica, and refuses the key there with another body (422), writing nothing', async () => {
    const [a, b] = replicas();
    const first = await buy(a, ONE, 'cross-1');
    const retry = await buy(b, ONE, 'cross-1');
    expect([first.status, retry.status, retry.replayed]).toEqual([201, 201, 'true']);
    expect(retry.body).toEqual(first.body);
    const reused = await buy(b, { productos: [{ producto_id: PARACETAMOL, cantidad: 3 }] }, 'cross-1');
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  });

  it('makes a retry on the other replica wait for the attempt in flight and get its answer', async () => {
    const [a, b] = replicas();
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 400, times: 1 }]);
    const first = buy(a, ONE, 'cross-2');
    // The first attempt is registering (it claimed the key before any write): the retry must wait.
    await expect.poll(registrations, { timeout: 5000, interval: 5 }).toHaveLength(1);
    const retry = await buy(b, ONE, 'cross-2');
    expect((await first).status).toBe(201);
    expect([retry.status, retry.replayed, retry.body.id]).toEqual([201, 'true', (await first).body.id]);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  });

  it('replays, after an unknown outcome, the registration that landed late: one purchase, one decrement', async () => {
    const [a, b] = replicas();
    // The service applies the registration after the gateway gave up on it.
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'late-apply', latencyMs: UPSTREAM_TIMEOUT_MS + 200, times: 1 }]);
    expect((await buy(a, ONE, 'late-x')).status).toBe(504);
    const retry = await buy(b, ONE, 'late-x');
    expect([retry.status, retry.replayed]).toEqual([201, 'true']);
    expect(anaPurchases()).toHaveLength(4);
    expect(stockWrites()).toHaveLength(1);
    expect(world.mocks.state.data.productos.items.find((item) => item.id === PARACETAMOL)?.stock).toBe(98);
  });

  it('registers now, after an unknown outcome, reusing the stock taken when the first registration never landed', async () => {
    const [a, b] = replicas();
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'hang', times: 1 }]);
    expect((await buy(a, ONE, 'lost-x')).status).toBe(504);
    const retry = await buy(b, ONE, 'lost-x');
    expect([retry.status, retry.replayed]).toEqual([201, null]);
    expect(anaPurchases()).toHaveLength(4);
    expect(stockWrites()).toHaveLength(1);
  });

  it('serialises prescription purchases of one caller: a 2-unit prescription pays for one of two concurrent purchases', async () => {
    const [a, b] = replicas();
    // A slow registration: without a shared gate both replicas would read a history without the other's purchase.
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 200 }]);
    const AMOXICILINA = { productos: [{ producto_id: 3, cantidad: 2 }] };
    const answers = await Promise.all([buy(a, AMOXICILINA), buy(b, AMOXICILINA)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
    const refused = answers.find((answer) => answer.status === 422);
    expect(refused?.body.details).toMatchObject({ cobertura: [{ producto_id: 3, recetado: 2, dispensado: 2, solicitado: 2 }] });
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  });
});

describe('two replicas sharing Redis, with the double-submit guard and a write limit', () => {
  const replicas = twoReplicas({ DOUBLE_SUBMIT_WINDOW_MS: '10000', WRITES_PER_MINUTE_PER_CALLER: '3' });

  it('answers the same body sent to both replicas at once with one purchase', async () => {
    const [a, b] = replicas();
    const answers = await Promise.all([buy(a, ONE), buy(b, { productos: [PARACETAMOL], cantidades: [2] })]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(1);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  });

  it('counts the writes of one caller on both replicas against one WRITES_PER_MINUTE_PER_CALLER', async () => {
    const [a, b] = replicas();
    const statuses: number[] = [];
    // Four different bodies: none is a double submit (a replay would not count).
    for (const [index, gateway] of [a, b, a, b].entries()) {
      statuses.push((await buy(gateway, { productos: [{ producto_id: PARACETAMOL, cantidad: index + 1 }] })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
