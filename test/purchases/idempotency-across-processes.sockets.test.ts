// Idempotency held across gateway processes that share one Redis: a retry landing on another
// replica replays (or waits for) the first attempt, a reused key with another body is refused,
// a double click is one purchase, and an unknown outcome then a retry never takes stock twice.
import { describe, expect, it } from 'vitest';
import { useScaleOutWorld, type GatewayProcess } from '../helpers/gateway-processes.js';

const PARACETAMOL = 1;
const BASE_ENV = { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '3000', DOUBLE_SUBMIT_WINDOW_MS: '0' };

const world = useScaleOutWorld();

async function twoReplicas(env: Record<string, string> = {}): Promise<[GatewayProcess, GatewayProcess]> {
  return (await world.start(2, { ...BASE_ENV, REDIS_URL: world.redis.url, ...env })) as [GatewayProcess, GatewayProcess];
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

describe('keyed purchases across two replicas', () => {
  it('replays on the other replica after the first succeeded', async () => {
    const [a, b] = await twoReplicas();
    const first = await buy(a, ONE, 'cross-1');
    const retry = await buy(b, ONE, 'cross-1');
    expect([first.status, retry.status, retry.replayed]).toEqual([201, 201, 'true']);
    expect(retry.body).toEqual(first.body);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  }, 30_000);

  it('makes a retry on the other replica wait for the attempt in flight and get its answer', async () => {
    const [a, b] = await twoReplicas();
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 300, times: 1 }]);
    const first = buy(a, ONE, 'cross-2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const retry = await buy(b, ONE, 'cross-2');
    expect((await first).status).toBe(201);
    expect([retry.status, retry.replayed]).toEqual([201, 'true']);
    expect(retry.body.id).toBe((await first).body.id);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  }, 30_000);

  it('refuses the key with another body on the other replica (422), writing nothing', async () => {
    const [a, b] = await twoReplicas();
    expect((await buy(a, ONE, 'cross-3')).status).toBe(201);
    const reused = await buy(b, { productos: [{ producto_id: PARACETAMOL, cantidad: 3 }] }, 'cross-3');
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(stockWrites()).toHaveLength(1);
  }, 30_000);
});

describe('an unknown outcome, then a retry on the other replica', () => {
  it('replays the registration that landed late: one purchase, one decrement', async () => {
    const [a, b] = await twoReplicas();
    // The service applies the registration 700 ms in, after the gateway gave up at 500 ms.
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'late-apply', latencyMs: 700, times: 1 }]);
    const first = await buy(a, ONE, 'late-x');
    expect(first.status).toBe(504);
    const retry = await buy(b, ONE, 'late-x');
    expect([retry.status, retry.replayed]).toEqual([201, 'true']);
    expect(anaPurchases()).toHaveLength(4);
    expect(stockWrites()).toHaveLength(1);
    expect(world.mocks.state.data.productos.items.find((item) => item.id === PARACETAMOL)?.stock).toBe(98);
  }, 30_000);

  it('registers now, reusing the stock taken, when the first registration never landed', async () => {
    const [a, b] = await twoReplicas();
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'hang', times: 1 }]);
    expect((await buy(a, ONE, 'lost-x')).status).toBe(504);
    const retry = await buy(b, ONE, 'lost-x');
    expect([retry.status, retry.replayed]).toEqual([201, null]);
    expect(anaPurchases()).toHaveLength(4);
    expect(stockWrites()).toHaveLength(1);
  }, 30_000);
});

describe('double submits across two replicas', () => {
  it('answers the same body sent to both replicas at once with one purchase', async () => {
    const [a, b] = await twoReplicas({ DOUBLE_SUBMIT_WINDOW_MS: '10000' });
    const answers = await Promise.all([buy(a, ONE), buy(b, { productos: [PARACETAMOL], cantidades: [2] })]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(1);
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  }, 30_000);
});

describe('per-caller limits shared by two replicas', () => {
  it('counts the writes of one caller on both replicas against one WRITES_PER_MINUTE_PER_CALLER', async () => {
    const [a, b] = await twoReplicas({ WRITES_PER_MINUTE_PER_CALLER: '3' });
    const statuses: number[] = [];
    for (const gateway of [a, b, a, b]) {
      statuses.push((await buy(gateway, { productos: [{ producto_id: PARACETAMOL, cantidad: 1 }] })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  }, 30_000);
});

describe('prescription purchases of one caller on two replicas', () => {
  it('are serialised through Redis: a 2-unit prescription pays for one of two concurrent purchases', async () => {
    const [a, b] = await twoReplicas();
    // A slow registration: without a shared gate both replicas would read a history without the other's purchase.
    world.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 200 }]);
    const AMOXICILINA = { productos: [{ producto_id: 3, cantidad: 2 }] };
    const answers = await Promise.all([buy(a, AMOXICILINA), buy(b, AMOXICILINA)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
    const refused = answers.find((answer) => answer.status === 422);
    expect(refused?.body.details).toMatchObject({ cobertura: [{ producto_id: 3, recetado: 2, dispensado: 2, solicitado: 2 }] });
    expect([registrations().length, stockWrites().length]).toEqual([1, 1]);
  }, 30_000);
});
