// A service's circuit breaker: it opens only after the configured volume and failure percentage
// (timeouts and resets count), then refuses without calling the upstream (503 + Retry-After), lets
// one trial through after the reset timeout (closing again if it passes), ignores upstream 4xx, and
// never affects the other services or readiness. In process: the breaker judges the upstream
// error, which the fault matrix shows is the same over real sockets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS, type FaultRule, type ServiceName } from '../../mocks/index.js';
import { waitFor } from '../helpers/e2e.js';
import { API, createHarness, tokens } from '../helpers/harness.js';

const RESET_TIMEOUT_MS = 600;
const TASKS_LIST = '/integration-tasks/get_tasks/';

const h = createHarness({
  UPSTREAM_TIMEOUT_MS: '300',
  REQUEST_TIMEOUT_MS: '2000',
  BREAKER_VOLUME_THRESHOLD: '4',
  BREAKER_ERROR_THRESHOLD_PERCENT: '50',
  BREAKER_RESET_TIMEOUT_MS: String(RESET_TIMEOUT_MS),
});
let ana = '';
let admin = '';
beforeAll(async () => {
  h.listen();
  ana = await tokens.ana();
  admin = await tokens.admin();
});
beforeEach(h.reset);
afterAll(h.close);

interface Answer {
  status: number;
  headers: Headers;
  body: { code?: string; details?: Record<string, unknown> };
}

async function send(path: string, init: { token?: string; method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await h.request(`${API}${path}`, { token: ana, ...init });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const setFaults = (service: ServiceName, rules: FaultRule[]) => h.mocks.setFaults(service, rules);
const listTasks = () => send('/integration-tasks');
const tasksCalls = () => h.calls('tareas').length;

async function breakers(): Promise<Record<ServiceName, string>> {
  const ready = await send('/ready');
  // An open breaker never makes the gateway unready.
  expect(ready.status).toBe(200);
  const states = (ready.body as { upstreams: Record<ServiceName, { breaker: string }> }).upstreams;
  return Object.fromEntries(Object.entries(states).map(([service, { breaker }]) => [service, breaker])) as Record<ServiceName, string>;
}

async function breakerGauge(service: ServiceName): Promise<number> {
  const text = await (await h.request('/metrics')).text();
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
  const before = tasksCalls();
  for (let i = 0; i < times; i++) {
    const res = await listTasks();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { service: 'tareas', reason: 'circuit_open' } });
    expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
  expect(tasksCalls()).toBe(before);
}

const waitForBreaker = (state: string) =>
  waitFor(async () => (await breakers()).tareas === state, { timeoutMs: RESET_TIMEOUT_MS + 5000, intervalMs: 25, what: `tareas breaker ${state}` });

describe('circuit breaker lifecycle', () => {
  it('opens at the volume threshold, refuses without calling, and closes after a passing half-open trial', async () => {
    setFaults('tareas', [{ method: 'GET', path: TASKS_LIST, fault: 'status', status: 500 }]);
    await expectFailures(3);
    expect((await breakers()).tareas).toBe('closed');
    expect(tasksCalls()).toBe(3);

    await expectFailures(1);
    expect(tasksCalls()).toBe(4);
    expect(await breakers()).toEqual({ usuarios: 'closed', productos: 'closed', recetas: 'closed', tareas: 'open', facturas: 'closed' });
    expect(await breakerGauge('tareas')).toBe(2);
    expect(await breakerGauge('usuarios')).toBe(0);
    await expectRefusedWithoutCalling(5);

    // A failing trial opens it again at once, and it keeps refusing.
    await waitForBreaker('half-open');
    expect(await breakerGauge('tareas')).toBe(1);
    const before = tasksCalls();
    expect((await listTasks()).status).toBe(503);
    expect(tasksCalls()).toBe(before + 1);
    expect((await breakers()).tareas).toBe('open');
    await expectRefusedWithoutCalling(3);

    // The upstream recovers: one trial passes and the breaker closes.
    setFaults('tareas', []);
    await waitForBreaker('half-open');
    const trial = await listTasks();
    expect(trial.status).toBe(200);
    expect(tasksCalls()).toBe(before + 2);
    expect((await breakers()).tareas).toBe('closed');
    expect(await breakerGauge('tareas')).toBe(0);
    for (let i = 0; i < 3; i++) expect((await listTasks()).status).toBe(200);
    expect(tasksCalls()).toBe(before + 5);
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

    expect((await send('/compras/me')).status).toBe(200);
    expect((await send('/compras', { method: 'POST', json: { productos: [1], cantidades: [1] } })).status).toBe(201);
    const receta = await send(`/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      token: admin, method: 'PUT', json: { estadovalidacion: 'VALIDADA' },
    });
    expect(receta.status).toBe(200);
    const facturas = await send('/facturas', {
      method: 'POST', headers: { 'idempotency-key': 'breaker-isolation-1' },
      json: [{ numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 10, fecha_emision: new Date().toISOString().slice(0, 10) }],
    });
    expect(facturas.status).toBe(202);
    expect(await breakers()).toEqual({ usuarios: 'closed', productos: 'closed', recetas: 'closed', tareas: 'open', facturas: 'closed' });
    await expectRefusedWithoutCalling(1);
  });
});

describe('upstream 4xx never opens a breaker', () => {
  const buy = () => send('/compras', { method: 'POST', json: { productos: [1], cantidades: [1] } });
  const validate = () => send(`/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { method: 'PUT', json: { estadovalidacion: 'VALIDADA' } });
  // `answers`: the gateway's status for the upstream's 404, 403 and 422 (its own words, no 503).
  const CASES: Array<{ name: string; service: ServiceName; rulePath: string; callsPerSend: number; answers: number[]; healthy: number; send: () => Promise<Answer> }> = [
    { name: 'productos in a purchase', service: 'productos', rulePath: '/api/productos/*', callsPerSend: 1, answers: [404, 403, 422], healthy: 201, send: buy },
    // Two product lookups per validation; a missing product fails the prescription check (422).
    { name: 'productos in a prescription check', service: 'productos', rulePath: '/api/productos/*', callsPerSend: 2, answers: [422, 403, 422], healthy: 200, send: validate },
    { name: 'tareas', service: 'tareas', rulePath: TASKS_LIST, callsPerSend: 1, answers: [404, 403, 422], healthy: 200, send: () => listTasks() },
    { name: 'usuarios', service: 'usuarios', rulePath: '/api/compras/me', callsPerSend: 1, answers: [404, 403, 422], healthy: 200, send: () => send('/compras/me') },
  ];

  it.each(CASES)('$name answering 404, 403 and 422 seven times each', async ({ service, rulePath, callsPerSend, answers, healthy, send: sendOne }) => {
    const times = 7 * callsPerSend;
    setFaults(service, [404, 403, 422].map((status) => ({ method: 'GET', path: rulePath, fault: 'status', status, body: '{"detail":"no"}', times })));
    for (let i = 0; i < 21; i++) {
      const res = await sendOne();
      expect(res.status).toBe(answers[Math.floor(i / 7)]);
      if (res.status === 403) expect(res.body.code).toBe('FORBIDDEN');
      expect(res.body.details).not.toMatchObject({ reason: 'circuit_open' });
    }
    expect(h.mocks.faults(service).map((rule) => rule.applied)).toEqual([times, times, times]);
    expect((await breakers())[service]).toBe('closed');
    expect(await breakerGauge(service)).toBe(0);
    expect((await sendOne()).status).toBe(healthy);
  });
});
