// Money and stock over real sockets: concurrent purchases never oversell, a registration that
// definitely failed gives the stock back exactly, a restore that fails (or a registration whose
// outcome is unknown) leaves an error-level log line an operator can repair from, and idempotent
// retries register one purchase.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule, RecordedCall } from '../../mocks/index.js';
import { tokens } from '../helpers/harness.js';
import {
  callGateway,
  recordedCalls,
  startGatewayUnderTest,
  startMockServersUnderTest,
  type GatewayAnswer,
  type GatewayUnderTest,
  type MockServersUnderTest,
} from '../helpers/socket-gateway.js';

const IBUPROFENO = 2; // stock 80, no prescription
const VITAMINA_C = 5; // stock 60, no prescription
/** Budgets that fit 200 purchases queued on one product's stock lock. */
const CONCURRENCY_ENV = { UPSTREAM_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '30000', LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0' };
/** Small budgets for the failure cases (a hanging registration times out quickly). */
const FAILURE_ENV = { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '3000' };

let upstreams: MockServersUnderTest;
let gateway: GatewayUnderTest | undefined;
let callers: string[];

beforeAll(async () => {
  upstreams = await startMockServersUnderTest();
  callers = await Promise.all([tokens.ana(), tokens.luis(), tokens.pedro(), tokens.admin()]);
});

afterAll(async () => {
  await upstreams?.close();
});

beforeEach(async () => {
  expect((await fetch(`${upstreams.urls.usuarios}/__mock/reset`, { method: 'POST' })).status).toBe(204);
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function gatewayWith(env: Record<string, string>): Promise<GatewayUnderTest> {
  gateway = await startGatewayUnderTest(env, {}, { upstreams, captureLogs: true });
  return gateway;
}

const stockOf = (id: number) => upstreams.mocks.state.data.productos.items.find((p) => p.id === id)?.stock;
const buy = (gw: GatewayUnderTest, token: string, lines: Array<[number, number]>, headers: Record<string, string> = {}) =>
  callGateway(gw.api, '/compras', {
    token,
    method: 'POST',
    headers,
    body: { productos: lines.map(([producto_id, cantidad]) => ({ producto_id, cantidad })), datos_adicionales: { metodo_pago: 'tarjeta' } },
  });
const registrations = async () =>
  (await recordedCalls(upstreams.urls, 'usuarios')).filter((call) => call.method === 'POST' && call.path === '/api/compras');
/** The stock values the gateway wrote (its calls carry X-Request-Id; the test's own setup does not). */
const stockWrites = async (id: number) =>
  (await recordedCalls(upstreams.urls, 'productos'))
    .filter((call: RecordedCall) => call.method === 'PUT' && call.path === `/api/productos/${id}` && 'x-request-id' in call.headers)
    .map((call) => (call.body as { stock: number }).stock);
const statusCounts = (answers: GatewayAnswer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
const errorLogs = (gw: GatewayUnderTest) => gw.logs.entries().filter((entry) => entry.level === 50);

function expectNoTokenLogged(gw: GatewayUnderTest) {
  const text = gw.logs.text();
  for (const token of callers) expect(text).not.toContain(token);
  expect(text).not.toMatch(/Bearer /);
}

describe('200 concurrent purchases of a product with stock 50', () => {
  it('sells exactly 50, answers 409 to the rest, and registers 50 purchases', async () => {
    const gw = await gatewayWith(CONCURRENCY_ENV);
    const set = await fetch(`${upstreams.urls.productos}/api/productos/${IBUPROFENO}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stock: 50 }),
    });
    expect(set.status).toBe(200);

    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => buy(gw, callers[i % callers.length] as string, [[IBUPROFENO, 1]])),
    );
    expect(statusCounts(answers)).toEqual({ 201: 50, 409: 150 });
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: { producto_id: IBUPROFENO, disponible: 0, solicitado: 1 } });
    }
    expect(stockOf(IBUPROFENO)).toBe(0);
    const registered = await registrations();
    const oversold = registered.length - 50;
    expect(oversold).toBe(0);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id)).size).toBe(50);
    // Every write read the stock the previous one wrote (a batch of buyers per write, group commit):
    // strictly decreasing to 0, no value written twice (a lost update would repeat one).
    const writes = await stockWrites(IBUPROFENO);
    expect([...writes].sort((a, b) => b - a)).toEqual(writes);
    expect(new Set(writes).size).toBe(writes.length);
    expect(writes.at(-1)).toBe(0);
    const after = await callGateway(gw.api, '/compras/me', { token: callers[0] });
    expect(after.status).toBe(200);
    expect(errorLogs(gw)).toEqual([]);
  }, 60_000);
});

describe('registration failing after the stock decrement', () => {
  const definiteFailures: Array<[string, FaultRule]> = [
    ['500', { method: 'POST', path: '/api/compras', fault: 'status', status: 500, body: 'ORA-00001 unique constraint' }],
    ['connection reset', { method: 'POST', path: '/api/compras', fault: 'reset' }],
  ];

  it.each(definiteFailures)('%s: answers 503 and restores the stock exactly', async (_name, rule) => {
    const gw = await gatewayWith(FAILURE_ENV);
    upstreams.mocks.setFaults('usuarios', [rule]);
    const res = await buy(gw, callers[0] as string, [[IBUPROFENO, 3], [VITAMINA_C, 2]]);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { service: 'usuarios' } });
    expect(res.text).not.toContain('ORA-00001');
    expect([stockOf(IBUPROFENO), stockOf(VITAMINA_C)]).toEqual([80, 60]);
    expect(await stockWrites(IBUPROFENO)).toEqual([77, 80]);
    expect(await stockWrites(VITAMINA_C)).toEqual([58, 60]);
    expect(upstreams.mocks.state.data.usuarios.compras).toHaveLength(4);
    expect(errorLogs(gw).filter((entry) => /restore|reconcile/.test(String(entry.msg)))).toEqual([]);
  });

  it('restores exactly under concurrency: 20 buyers, the first 8 registrations fail', async () => {
    const gw = await gatewayWith({ ...FAILURE_ENV, BREAKER_VOLUME_THRESHOLD: '1000' });
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'status', status: 500, times: 8 }]);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => buy(gw, callers[i % 4] as string, [[IBUPROFENO, 2]])));
    expect(statusCounts(answers)).toEqual({ 201: 12, 503: 8 });
    expect(stockOf(IBUPROFENO)).toBe(80 - 12 * 2);
    expect(upstreams.mocks.state.data.usuarios.compras).toHaveLength(4 + 12);
  });

  it('logs an error naming product and quantity when the restore itself fails', async () => {
    const gw = await gatewayWith(FAILURE_ENV);
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'status', status: 500 }]);
    // The first PUT (the decrement) passes; the second (the restore) fails.
    upstreams.mocks.setFaults('productos', [
      { method: 'PUT', path: `/api/productos/${IBUPROFENO}`, fault: 'latency', latencyMs: 0, times: 1 },
      { method: 'PUT', path: `/api/productos/${IBUPROFENO}`, fault: 'status', status: 500 },
    ]);
    const res = await buy(gw, callers[0] as string, [[IBUPROFENO, 3], [VITAMINA_C, 2]]);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ details: { service: 'usuarios' } });
    expect([stockOf(IBUPROFENO), stockOf(VITAMINA_C)]).toEqual([77, 60]);

    const restoreFailures = errorLogs(gw).filter((entry) => /restore/i.test(String(entry.msg)));
    expect(restoreFailures).toEqual([expect.objectContaining({ producto_id: IBUPROFENO, cantidad: 3, requestId: res.headers.get('x-request-id') })]);
    expectNoTokenLogged(gw);
  });

  it('logs an error when the restore cannot even read the product', async () => {
    const gw = await gatewayWith(FAILURE_ENV);
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'reset' }]);
    upstreams.mocks.setFaults('productos', [
      { method: 'GET', path: `/api/productos/${IBUPROFENO}`, fault: 'latency', latencyMs: 0, times: 1 },
      { method: 'GET', path: `/api/productos/${IBUPROFENO}`, fault: 'wrong-shape' },
    ]);
    const res = await buy(gw, callers[1] as string, [[IBUPROFENO, 4]]);
    expect(res.status).toBe(503);
    expect(stockOf(IBUPROFENO)).toBe(76);
    const restoreFailures = errorLogs(gw).filter((entry) => /restore/i.test(String(entry.msg)));
    expect(restoreFailures).toEqual([expect.objectContaining({ producto_id: IBUPROFENO, cantidad: 4 })]);
    expectNoTokenLogged(gw);
  });

  it('a hanging registration is a 504 that keeps the stock and logs the products and quantities', async () => {
    const gw = await gatewayWith(FAILURE_ENV);
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'hang' }]);
    const res = await buy(gw, callers[0] as string, [[IBUPROFENO, 3], [VITAMINA_C, 2]]);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { service: 'usuarios' } });
    expect([stockOf(IBUPROFENO), stockOf(VITAMINA_C)]).toEqual([77, 58]);
    expect(await stockWrites(IBUPROFENO)).toEqual([77]);

    const unknown = errorLogs(gw).filter((entry) => /outcome unknown/i.test(String(entry.msg)));
    expect(unknown).toEqual([
      expect.objectContaining({
        lines: [{ producto_id: IBUPROFENO, cantidad: 3 }, { producto_id: VITAMINA_C, cantidad: 2 }],
        requestId: res.headers.get('x-request-id'),
      }),
    ]);
    expectNoTokenLogged(gw);
  });
});

describe('stock decrement failing on one product of two', () => {
  it.each([
    ['reset', 503, 'UPSTREAM_UNAVAILABLE'],
    ['hang', 504, 'UPSTREAM_TIMEOUT'],
  ] as const)('%s: the other product is put back, nothing is registered', async (fault, status, code) => {
    const gw = await gatewayWith(FAILURE_ENV);
    upstreams.mocks.setFaults('productos', [{ method: 'PUT', path: `/api/productos/${VITAMINA_C}`, fault }]);
    const res = await buy(gw, callers[0] as string, [[IBUPROFENO, 3], [VITAMINA_C, 2]]);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code, details: { service: 'productos' } });
    expect(await stockWrites(IBUPROFENO)).toEqual([77, 80]);
    expect([stockOf(IBUPROFENO), stockOf(VITAMINA_C)]).toEqual([80, 60]);
    expect(await registrations()).toEqual([]);
    // A write that may have landed (timeout) is not undone blindly: it is logged for an operator.
    const unknown = errorLogs(gw).filter((entry) => /outcome unknown/i.test(String(entry.msg)));
    expect(unknown).toEqual(fault === 'hang' ? [expect.objectContaining({ producto_id: VITAMINA_C, cantidad: 2 })] : []);
  });
});

describe('idempotent purchase retries', () => {
  it('5 concurrent identical purchases and a later retry with one key register one purchase', async () => {
    const gw = await gatewayWith(FAILURE_ENV);
    const key = { 'idempotency-key': 'chaos-idem-key-0001' };
    const ana = callers[0] as string;
    const answers = await Promise.all(Array.from({ length: 5 }, () => buy(gw, ana, [[IBUPROFENO, 2]], key)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await registrations()).toHaveLength(1);
    expect(stockOf(IBUPROFENO)).toBe(78);

    const retry = await buy(gw, ana, [[IBUPROFENO, 2]], key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(answers[0]?.text);
    expect(await registrations()).toHaveLength(1);
    expect(stockOf(IBUPROFENO)).toBe(78);

    // The key is the caller's: another user with the same key makes their own purchase.
    const other = await buy(gw, callers[1] as string, [[IBUPROFENO, 2]], key);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.id).not.toBe(retry.body.id);
    expect(await registrations()).toHaveLength(2);
  });

  it('a failed attempt is not remembered: the retry after the fault clears registers once', async () => {
    const gw = await gatewayWith(FAILURE_ENV);
    const key = { 'idempotency-key': 'chaos-idem-key-0002' };
    upstreams.mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'status', status: 500, times: 1 }]);
    expect((await buy(gw, callers[2] as string, [[IBUPROFENO, 1]], key)).status).toBe(503);
    const retried = await buy(gw, callers[2] as string, [[IBUPROFENO, 1]], key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(stockOf(IBUPROFENO)).toBe(79);
    expect(upstreams.mocks.state.data.usuarios.compras).toHaveLength(5);
  });
});
