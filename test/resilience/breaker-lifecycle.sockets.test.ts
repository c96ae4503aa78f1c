// A service's circuit breaker over real sockets: it opens only after the configured volume and
// failure percentage, then refuses without calling the upstream (503 + Retry-After), lets one
// trial through after the reset timeout (closing again if it passes), ignores upstream 4xx, and
// never affects the other services.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS, type FaultRule, type ServiceName } from '../../mocks/index.js';
import { waitFor } from '../helpers/e2e.js';
import { tokens } from '../helpers/harness.js';
import { callGateway, recordedCalls, startGatewayUnderTest, startMockServersUnderTest, type GatewayUnderTest, type MockServersUnderTest } from '../helpers/socket-gateway.js';

const RESET_TIMEOUT_MS = 600;
const ENV = {
  UPSTREAM_TIMEOUT_MS: '500',
  REQUEST_TIMEOUT_MS: '2000',
  BREAKER_VOLUME_THRESHOLD: '4',
  BREAKER_ERROR_THRESHOLD_PERCENT: '50',
  BREAKER_RESET_TIMEOUT_MS: String(RESET_TIMEOUT_MS),
};
const TASKS_LIST = '/integration-tasks/get_tasks/';

let upstreams: MockServersUnderTest;
let gateway: GatewayUnderTest;
let ana: string;
let admin: string;

beforeAll(async () => {
  upstreams = await startMockServersUnderTest();
  ana = await tokens.ana();
  admin = await tokens.admin();
});

afterAll(async () => {
  await upstreams?.close();
});

beforeEach(async () => {
  expect((await fetch(`${upstreams.urls.usuarios}/__mock/reset`, { method: 'POST' })).status).toBe(204);
  gateway = await startGatewayUnderTest(ENV, {}, { upstreams, captureLogs: true });
});

afterEach(async () => {
  await gateway?.close();
});

const setFaults = (service: ServiceName, rules: FaultRule[]) => upstreams.mocks.setFaults(service, rules);
const listTasks = () => callGateway(gateway.api, '/integration-tasks', { token: ana });
const tasksCalls = async () => (await recordedCalls(upstreams.urls, 'tareas')).length;

async function breakers(): Promise<Record<ServiceName, string>> {
  const ready = await callGateway(gateway.api, '/ready');
  expect(ready.status).toBe(200);
  const states = ready.body.upstreams as Record<ServiceName, { breaker: string }>;
  return Object.fromEntries(Object.entries(states).map(([service, { breaker }]) => [service, breaker])) as Record<ServiceName, string>;
}

async function breakerGauge(service: ServiceName): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const match = new RegExp(`^[a-z_]*breaker_state\\{[^}]*service="${service}"[^}]*\\} (\\S+)$`, 'm').exec(text);
  expect(match, `breaker gauge of ${service}`).not.toBeNull();
  return Number(match?.[1]);
}

async function expectFailures(count: number, status = 503) {
  for (let i = 0; i < count; i++) {
    const res = await listTasks();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ details: { service: 'tareas' } });
    expect(res.body.details).not.toMatchObject({ reason: 'circuit_open' });
  }
}

async function expectRefusedWithoutCalling(times: number) {
  const before = await tasksCalls();
  for (let i = 0; i < times; i++) {
    const res = await listTasks();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { service: 'tareas', reason: 'circuit_open' } });
    expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
  expect(await tasksCalls()).toBe(before);
}

const waitForBreaker = (state: string) =>
  waitFor(async () => (await breakers()).tareas === state, { timeoutMs: RESET_TIMEOUT_MS + 5000, intervalMs: 25, what: `tareas breaker ${state}` });

describe('circuit breaker lifecycle', () => {
  it('opens at the volume threshold, refuses without calling, and closes after a passing half-open trial', async () => {
    setFaults('tareas', [{ method: 'GET', path: TASKS_LIST, fault: 'status', status: 500 }]);
    await expectFailures(3);
    expect((await breakers()).tareas).toBe('closed');
    expect(await tasksCalls()).toBe(3);

    await expectFailures(1);
    expect(await breakers()).toEqual({ usuarios: 'closed', productos: 'closed', recetas: 'closed', tareas: 'open', facturas: 'closed' });
    expect(await breakerGauge('tareas')).toBe(2);
    expect(await breakerGauge('usuarios')).toBe(0);
    await expectRefusedWithoutCalling(5);

    // A failing trial opens it again at once, and it keeps refusing.
    await waitForBreaker('half-open');
    expect(await breakerGauge('tareas')).toBe(1);
    const before = await tasksCalls();
    expect((await listTasks()).status).toBe(503);
    expect(await tasksCalls()).toBe(before + 1);
    expect((await breakers()).tareas).toBe('open');
    await expectRefusedWithoutCalling(3);

    // The upstream recovers: one trial passes and the breaker closes.
    setFaults('tareas', []);
    await waitForBreaker('half-open');
    const trial = await listTasks();
    expect(trial.status).toBe(200);
    expect(await tasksCalls()).toBe(before + 2);
    expect((await breakers()).tareas).toBe('closed');
    expect(await breakerGauge('tareas')).toBe(0);
    for (let i = 0; i < 3; i++) expect((await listTasks()).status).toBe(200);
    expect(await tasksCalls()).toBe(before + 5);
  });

  it('opens only above the error percentage', async () => {
    for (let i = 0; i < 4; i++) expect((await listTasks()).status).toBe(200);
    setFaults('tareas', [{ method: 'GET', path: TASKS_LIST, fault: 'status', status: 502 }]);
    await expectFailures(4);
    // 4 failures of 8 calls is 50%, not above it.
    expect((await breakers()).tareas).toBe('closed');
    await expectFailures(1);
    expect((await breakers()).tareas).toBe('open');
    await expectRefusedWithoutCalling(2);
  });

  it('counts timeouts and resets as failures too', async () => {
    setFaults('tareas', [
      { method: 'GET', path: TASKS_LIST, fault: 'hang', times: 2 },
      { method: 'GET', path: TASKS_LIST, fault: 'reset' },
    ]);
    await expectFailures(2, 504);
    await expectFailures(2);
    expect((await breakers()).tareas).toBe('open');
    await expectRefusedWithoutCalling(2);
  });

  it('keeps the other services working while one breaker is open', async () => {
    setFaults('tareas', [{ path: '/*', fault: 'status', status: 500 }]);
    await expectFailures(4);
    expect((await breakers()).tareas).toBe('open');

    expect((await callGateway(gateway.api, '/compras/me', { token: ana })).status).toBe(200);
    expect((await callGateway(gateway.api, '/compras', { token: ana, method: 'POST', body: { productos: [1], cantidades: [1] } })).status).toBe(201);
    const receta = await callGateway(gateway.api, `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      token: admin, method: 'PUT', body: { estadovalidacion: 'VALIDADA' },
    });
    expect(receta.status).toBe(200);
    const facturas = await callGateway(gateway.api, '/facturas', {
      token: ana, method: 'POST', headers: { 'idempotency-key': 'breaker-isolation-1' },
      body: [{ numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 10, fecha_emision: new Date().toISOString().slice(0, 10) }],
    });
    expect(facturas.status).toBe(202);
    expect(await breakers()).toEqual({ usuarios: 'closed', productos: 'closed', recetas: 'closed', tareas: 'open', facturas: 'closed' });
    await expectRefusedWithoutCalling(1);
  });
});

describe('upstream 4xx never opens a breaker', () => {
  const CASES: Array<{ service: ServiceName; rulePath: string; send: () => ReturnType<typeof callGateway> }> = [
    { service: 'productos', rulePath: '/api/productos/*', send: () => callGateway(gateway.api, '/compras', { token: ana, method: 'POST', body: { productos: [1], cantidades: [1] } }) },
    { service: 'tareas', rulePath: TASKS_LIST, send: () => listTasks() },
    { service: 'usuarios', rulePath: '/api/compras/me', send: () => callGateway(gateway.api, '/compras/me', { token: ana }) },
  ];

  it.each(CASES)('$service answering 404, 403 and 422 twenty-one times', async ({ service, rulePath, send }) => {
    const statuses = [404, 403, 422];
    setFaults(service, statuses.map((status) => ({ method: 'GET', path: rulePath, fault: 'status', status, body: '{"detail":"no"}', times: 7 })));
    for (let i = 0; i < 21; i++) {
      const res = await send();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.details).not.toMatchObject({ reason: 'circuit_open' });
    }
    expect(upstreams.mocks.faults(service).map((rule) => rule.applied)).toEqual([7, 7, 7]);
    expect((await breakers())[service]).toBe('closed');
    expect(await breakerGauge(service)).toBe(0);
    expect((await send()).status).toBe(service === 'productos' ? 201 : 200);
  });
});
