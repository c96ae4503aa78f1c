// The fault-injecting mock upstreams themselves (mocks/faults): the control endpoints' contract,
// each fault over real sockets, and the same rules through msw. The chaos tests of the gateway
// build on these, so a fault that silently does nothing here would make them prove nothing.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMswHandlers } from '../../mocks/handlers/msw-handlers.js';
import { SERVICE_NAMES, createMockUpstreams } from '../../mocks/index.js';
import type { FaultRule, MockUpstreams, ServiceName } from '../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { TEST_SECRET, tokens } from '../helpers/harness.js';

let mocks: MockUpstreams;
let servers: RunningMockServers;
let url: Record<ServiceName, string>;

beforeAll(async () => {
  mocks = createMockUpstreams({ jwtSecret: TEST_SECRET });
  servers = await startMockServers(mocks);
  url = servers.urls;
});

afterAll(async () => {
  await servers?.close();
});

beforeEach(() => mocks.reset());

const putFaults = (service: ServiceName, body: unknown) =>
  fetch(`${url[service]}/__mock/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const productPath = '/api/productos/1';

describe('control endpoints', () => {
  it('PUT replaces one service\'s rules, GET lists them with counts, DELETE clears them; none is recorded', async () => {
    const rules: FaultRule[] = [{ method: 'get', path: '/api/productos/*', fault: 'status', status: 503, times: 2 }];
    const put = await putFaults('productos', rules);
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual([{ method: 'GET', path: '/api/productos/*', fault: 'status', status: 503, times: 2, applied: 0 }]);

    expect((await fetch(`${url.productos}${productPath}`)).status).toBe(503);
    const listed = (await (await fetch(`${url.productos}/__mock/faults`)).json()) as Array<{ applied: number }>;
    expect(listed.map((rule) => rule.applied)).toEqual([1]);
    expect(await (await fetch(`${url.usuarios}/__mock/faults`)).json()).toEqual([]);

    const replaced = await putFaults('productos', [{ path: '/echo', fault: 'reset' }]);
    expect(await replaced.json()).toEqual([{ path: '/echo', fault: 'reset', applied: 0 }]);
    expect((await fetch(`${url.productos}/__mock/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(mocks.faults('productos')).toEqual([]);
    expect((await fetch(`${url.productos}${productPath}`)).status).toBe(200);
    expect(mocks.calls().map((call) => call.path)).toEqual([productPath, productPath]);
  });

  it('rejects invalid rules with every problem and keeps the previous ones', async () => {
    mocks.setFaults('recetas', [{ path: '/echo', fault: 'hang' }]);
    const bad = await putFaults('recetas', [
      { path: 'api', fault: 'explode', extra: 1 },
      { path: '/x', fault: 'latency' },
      { path: '/x', fault: 'wrong-shape', status: 500, times: 0 },
    ]);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; issues: string[] };
    expect(body.issues).toEqual(expect.arrayContaining([
      '0.extra: unknown field', expect.stringMatching(/^0\.path:/), expect.stringMatching(/^0\.fault:/),
      '1.latencyMs: is required for latency', expect.stringMatching(/^2\.status:/), expect.stringMatching(/^2\.times:/),
    ]));
    expect((await putFaults('recetas', { path: '/echo', fault: 'reset' })).status).toBe(400);
    const notJson = await fetch(`${url.recetas}/__mock/faults`, { method: 'PUT', body: '[{' });
    expect(notJson.status).toBe(400);
    expect(mocks.faults('recetas')).toEqual([{ path: '/echo', fault: 'hang', applied: 0 }]);
    expect(() => mocks.setFaults('recetas', [{ path: '/echo', fault: 'status', status: 42 }])).toThrow(/status/);
  });

  it('is cleared by /__mock/reset on any server', async () => {
    for (const service of SERVICE_NAMES) mocks.setFaults(service, [{ path: '/*', fault: 'status' }]);
    expect((await fetch(`${url.facturas}/__mock/reset`, { method: 'POST' })).status).toBe(204);
    for (const service of SERVICE_NAMES) expect(mocks.faults(service)).toEqual([]);
    expect((await fetch(`${url.productos}/echo`)).status).toBe(200);
  });
});

describe('faults over real sockets', () => {
  it('status, malformed-json and wrong-shape answer what the rule says', async () => {
    mocks.setFaults('productos', [
      { method: 'GET', path: '/api/productos/1', fault: 'status', status: 500, body: 'java.lang.NullPointerException at db-7.internal' },
      { method: 'GET', path: '/api/productos/2', fault: 'malformed-json' },
      { method: 'GET', path: '/api/productos/3', fault: 'wrong-shape', status: 202, body: '[1,2]' },
    ]);
    const failed = await fetch(`${url.productos}/api/productos/1`);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await failed.text()).toContain('NullPointerException');
    const malformed = await fetch(`${url.productos}/api/productos/2`);
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([200, 'application/json']);
    await expect(malformed.json()).rejects.toThrow();
    const shaped = await fetch(`${url.productos}/api/productos/3`);
    expect([shaped.status, await shaped.json()]).toEqual([202, [1, 2]]);
    mocks.setFaults('usuarios', [{ path: '/echo', fault: 'status', status: 204, body: 'ignored' }]);
    const empty = await fetch(`${url.usuarios}/echo`);
    expect([empty.status, await empty.text()]).toEqual([204, '']);
    // The method filter: a PUT on the same path is not matched.
    expect((await fetch(`${url.productos}/api/productos/1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"stock":5}' })).status).toBe(200);
  });

  it('reset drops the connection without an answer, and `times` lets later calls through', async () => {
    mocks.setFaults('productos', [{ path: '/api/*', fault: 'reset', times: 2 }, { path: '/api/*', fault: 'status', status: 502, times: 1 }]);
    await expect(fetch(`${url.productos}${productPath}`)).rejects.toThrow(TypeError);
    await expect(fetch(`${url.productos}${productPath}`)).rejects.toThrow(TypeError);
    expect((await fetch(`${url.productos}${productPath}`)).status).toBe(502);
    expect((await fetch(`${url.productos}${productPath}`)).status).toBe(200);
    expect(mocks.calls('productos')).toHaveLength(4);
    expect(mocks.faults('productos').map((rule) => rule.applied)).toEqual([2, 1]);
  });

  it('hang never answers until the client aborts; latency answers late, or applies nothing if the client left', async () => {
    mocks.setFaults('productos', [{ path: productPath, fault: 'hang' }]);
    await expect(fetch(`${url.productos}${productPath}`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);

    const auth = { authorization: `Bearer ${await tokens.ana()}`, 'content-type': 'application/json' };
    const compra = JSON.stringify({ usuarioId: null, productos: [1], cantidades: [1] });
    mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 150 }]);
    const slow = await fetch(`${url.usuarios}/api/compras`, { method: 'POST', headers: auth, body: compra });
    expect(slow.status).toBe(200);
    const registered = mocks.state.data.usuarios.compras.length;

    mocks.setFaults('usuarios', [{ method: 'POST', path: '/api/compras', fault: 'latency', latencyMs: 300 }]);
    await expect(fetch(`${url.usuarios}/api/compras`, { method: 'POST', headers: auth, body: compra, signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(mocks.state.data.usuarios.compras).toHaveLength(registered);
    expect(mocks.calls('usuarios')).toHaveLength(2);
  });

  it('closing the servers is not held up by a hanging request', async () => {
    const own = createMockUpstreams({ jwtSecret: TEST_SECRET });
    const running = await startMockServers(own);
    own.setFaults('recetas', [{ path: '/*', fault: 'hang' }]);
    const pending = fetch(`${running.urls.recetas}/echo`).then(
      () => 'answered',
      () => 'dropped',
    );
    await expect.poll(() => own.calls('recetas').length).toBe(1);
    await running.close();
    expect(await pending).toBe('dropped');
  });
});

describe('faults through msw', () => {
  const bases = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://${s}.test`])) as Record<ServiceName, string>;

  it('applies the same rules; reset becomes a network error and hang ends with the client abort', async () => {
    const own = createMockUpstreams({ jwtSecret: TEST_SECRET });
    const msw = setupServer(...createMswHandlers(own, bases));
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      own.setFaults('facturas', [
        { path: '/facturas/', fault: 'reset', times: 1 },
        { path: '/facturas/', fault: 'status', status: 500, body: '{"detail":"boom"}' },
      ]);
      await expect(fetch('http://facturas.test/facturas/', { method: 'POST', body: '[]' })).rejects.toThrow(TypeError);
      const failed = await fetch('http://facturas.test/facturas/', { method: 'POST', body: '[]' });
      expect([failed.status, failed.headers.get('content-type'), await failed.json()]).toEqual([500, 'application/json', { detail: 'boom' }]);

      own.setFaults('tareas', [{ path: '/integration-tasks/*', fault: 'hang' }]);
      await expect(fetch('http://tareas.test/integration-tasks/get_tasks/', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
      expect(own.calls().map((call) => call.service)).toEqual(['facturas', 'facturas', 'tareas']);
    } finally {
      msw.close();
    }
  });
});
