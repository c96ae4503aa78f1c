// Behaviour of the mock upstreams themselves: if they drift from docs/upstreams.md, every
// gateway test built on them proves the wrong thing.
import { setupServer } from 'msw/node';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMswHandlers } from '../../mocks/handlers/msw-handlers.js';
import {
  SERVICE_NAMES,
  SEED_DNI,
  SEED_PRODUCT_IDS,
  SEED_RECETA_IDS,
  createMockUpstreams,
  signMockToken,
} from '../../mocks/index.js';
import type { MockUpstreams, ServiceName } from '../../mocks/index.js';
import { startMockServers } from '../../mocks/servers/start-mock-servers.js';
import { FACTURAS } from '../fixtures/upstream-answers.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const NOW = new Date('2025-10-21T12:30:11.123Z');

let mocks: MockUpstreams;
let clock: Date;

beforeEach(() => {
  clock = NOW;
  mocks = createMockUpstreams({ jwtSecret: SECRET, now: () => clock, taskExecutionDelayMs: 5 });
});

const bearer = async (dni: string, role = 'CLIENTE') => ({
  authorization: `Bearer ${await signMockToken(SECRET, { dni, role })}`,
});
const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('usuarios mock', () => {
  it('answers 403 Acceso denegado without a valid token, for known and unknown users', async () => {
    const app = mocks.apps.usuarios;
    const missing = await app.request('/api/user/me');
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ status: 403, error: 'Acceso denegado', message: 'Access Denied' });
    const wrongSecret = await signMockToken('another-secret-another-secret-0123456', { dni: SEED_DNI.ana, role: 'CLIENTE' });
    expect((await app.request('/api/user/me', { headers: { authorization: `Bearer ${wrongSecret}` } })).status).toBe(403);
    expect((await app.request('/api/user/me', { headers: await bearer(SEED_DNI.unregistered) })).status).toBe(403);
  });

  it('returns the caller without an id and restricts /all to ADMIN', async () => {
    const app = mocks.apps.usuarios;
    const me = await app.request('/api/user/me', { headers: await bearer(SEED_DNI.ana) });
    expect(await me.json()).toEqual({
      dni: SEED_DNI.ana, email: 'ana@example.com', nombre: 'Ana', apellido: 'Quispe', role: 'CLIENTE', distrito: 'Miraflores',
    });
    expect((await app.request('/api/user/all', { headers: await bearer(SEED_DNI.ana) })).status).toBe(403);
    const all = await app.request('/api/user/all', { headers: await bearer(SEED_DNI.admin, 'ADMIN') });
    expect(await all.json()).toHaveLength(4);
  });

  it('registers a purchase on every call (Idempotency-Key is ignored, as by the real service) and 500s on malformed lists', async () => {
    const app = mocks.apps.usuarios;
    const headers = { ...(await bearer(SEED_DNI.ana)), 'idempotency-key': 'k-1' };
    const body = { usuarioId: null, productos: [1, 5], cantidades: [2, 1], dni: 'ignored' };
    const first = await app.request('/api/compras', jsonInit('POST', body, headers));
    expect(first.status).toBe(200);
    const compra = (await first.json()) as Record<string, unknown>;
    expect(compra).toMatchObject({ id: 5, usuarioId: 3, productos: [1, 5], cantidades: [2, 1] });
    expect(compra['fechaCompra']).toMatch(/^2025-10-21T12:30:11\.123\d{3}$/);
    const retry = await app.request('/api/compras', jsonInit('POST', body, headers));
    expect(await retry.json()).toMatchObject({ id: 6 });
    const bad = await app.request('/api/compras', jsonInit('POST', { productos: [1], cantidades: [] }, await bearer(SEED_DNI.ana)));
    expect(bad.status).toBe(500);
    expect(await bad.json()).toMatchObject({ status: 500, error: 'Error interno del servidor', message: 'Ha ocurrido un error inesperado' });
    expect(mocks.state.data.usuarios.compras).toHaveLength(6);
  });
});

describe('productos mock', () => {
  it('answers 404 and 422 like FastAPI and applies partial updates', async () => {
    const app = mocks.apps.productos;
    expect(await (await app.request('/api/productos/999')).json()).toEqual({ detail: 'Producto no encontrado' });
    const invalid = await app.request('/api/productos/abc');
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ detail: [{ type: 'int_parsing', loc: ['path', 'id'] }] });
    clock = new Date('2025-10-22T08:00:00.500Z');
    const updated = await app.request(`/api/productos/${SEED_PRODUCT_IDS.amoxicilina}`, jsonInit('PUT', { stock: 38 }));
    expect(await updated.json()).toMatchObject({ id: 3, stock: 38, precio: 12.5, fecha_actualizacion: '2025-10-22T08:00:00.500000' });
  });
});

describe('recetas mock', () => {
  it('filters exactly, newest first, with pagesize clamped to 1..100', async () => {
    const app = mocks.apps.recetas;
    const tiny = (await (await app.request(`/api/recetas/filter?dni=${SEED_DNI.ana}&pagesize=0`)).json()) as {
      pagesize: number; total: number; items: Array<{ _id: string }>;
    };
    expect(tiny.pagesize).toBe(1);
    expect(tiny.total).toBe(14);
    expect(tiny.items.map((r) => r._id)).toEqual([SEED_RECETA_IDS.anaPendingFuture]);
    const huge = (await (await app.request('/api/recetas/filter?estado=validada&pagesize=500')).json()) as {
      pagesize: number; total: number;
    };
    expect(huge).toMatchObject({ pagesize: 100, total: 3 });
  });

  it('validates ids and states on reads and updates', async () => {
    const app = mocks.apps.recetas;
    expect((await app.request('/api/recetas/not-an-id')).status).toBe(400);
    expect((await app.request('/api/recetas/ffffffffffffffffffffffff')).status).toBe(404);
    const path = `/api/recetas/estado/${SEED_RECETA_IDS.luisPending}`;
    expect((await app.request(path, jsonInit('PUT', { estadoValidacion: 'VALIDADA' }))).status).toBe(400);
    const ok = await app.request(path, jsonInit('PUT', { estadoValidacion: 'validada' }));
    expect(await ok.json()).toMatchObject({ mensaje: 'Estado actualizado', receta: { estadoValidacion: 'validada', updatedAt: NOW.toISOString() } });
  });
});

describe('tareas mock', () => {
  it('answers 401 to anonymous callers', async () => {
    const res = await mocks.apps.tareas.request('/integration-tasks/get_tasks/');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('enqueues execution without checking existence, and runs existing tasks later', async () => {
    const app = mocks.apps.tareas;
    const auth = await bearer(SEED_DNI.pedro);
    const missing = await app.request('/integration-tasks/execute/999/', { method: 'POST', headers: auth });
    expect(missing.status).toBe(202);
    expect(await missing.json()).toEqual({ detail: 'Tarea enviada para ejecución', task_id: '999' });

    const config = { base_url: 'https://api.example.com', http_method: 'POST', payload: {} };
    const created = await app.request('/integration-tasks/', jsonInit('POST', { name: 'Sync', config }, auth));
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: number; status: string };
    expect(task).toMatchObject({ id: 4, status: 'pendiente', execution_time: null, result: null });
    await app.request(`/integration-tasks/execute/${task.id}/`, { method: 'POST', headers: auth });
    await vi.waitFor(async () => {
      const list = (await (await app.request('/integration-tasks/get_tasks/', { headers: auth })).json()) as unknown[];
      expect(list).toEqual([expect.objectContaining({ id: 4, status: 'executed', result: { status_code: 200, body: 'ok' } })]);
    });
  });
});

describe('facturas mock', () => {
  const factura = { numero_factura: 'F-001', rut_cliente: '11111111-1', monto: 1500.5, fecha_emision: '2025-08-24' };
  const post = (body: unknown, key?: string) =>
    mocks.apps.facturas.request('/facturas/', jsonInit('POST', body, key === undefined ? {} : { 'idempotency-key': key }));

  it('accepts a key once in 24 h, and a 422 does not consume it; its answers are the fixtures', async () => {
    const invalid = await post([{ ...factura, monto: 'mucho' }], 'key-1');
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ detail: [{ loc: ['body', 0, 'monto'] }] });
    const accepted = await post([factura, factura], 'key-1');
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual(FACTURAS.accepted);
    const replay = await post([factura], 'key-1');
    expect([replay.status, await replay.json()]).toEqual([409, FACTURAS.duplicate]);
    clock = new Date(NOW.getTime() + 24 * 3600 * 1000);
    expect((await post([factura], 'key-1')).status).toBe(202);
    expect((await post([factura])).status).toBe(422);
  });
});

describe('state, control endpoints and transports', () => {
  it('records calls (not control calls) and resets the whole state', async () => {
    await mocks.apps.productos.request('/api/productos/1', jsonInit('PUT', { stock: 1 }, { 'X-Request-Id': 'r-1' }));
    expect(mocks.calls('productos')).toEqual([
      expect.objectContaining({ method: 'PUT', path: '/api/productos/1', body: { stock: 1 }, headers: expect.objectContaining({ 'x-request-id': 'r-1' }) }),
    ]);
    const viaControl = await mocks.apps.productos.request('/__mock/calls');
    expect(await viaControl.json()).toHaveLength(1);
    expect((await mocks.apps.recetas.request('/__mock/reset', { method: 'POST' })).status).toBe(204);
    expect(mocks.calls()).toEqual([]);
    expect(mocks.state.data.productos.items[0]?.stock).toBe(100);
  });

  it('serves the same apps through msw handlers', async () => {
    const bases = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://${s}.test`])) as Record<ServiceName, string>;
    const server = setupServer(...createMswHandlers(mocks, { ...bases, recetas: 'http://recetas.test/prefix' }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      expect(await (await fetch('http://productos.test/api/productos/1')).json()).toMatchObject({ nombre: 'Paracetamol 500mg' });
      expect(await (await fetch('http://recetas.test/prefix/echo')).json()).toMatchObject({ status: 'ok' });
      expect(mocks.calls('recetas')[0]?.path).toBe('/echo');
      const estado = await fetch(`http://recetas.test/prefix/api/recetas/estado/${SEED_RECETA_IDS.luisPending}`, jsonInit('PUT', { estadoValidacion: 'rechazada' }));
      expect(await estado.json()).toMatchObject({ receta: { estadoValidacion: 'rechazada' } });
    } finally {
      server.close();
    }
  });

  it('starts real servers on random ports and closes them', async () => {
    const servers = await startMockServers(mocks);
    try {
      for (const service of ['usuarios', 'productos', 'recetas'] as const) {
        expect((await fetch(`${servers.urls[service]}/echo`)).status).toBe(200);
      }
      const tasks = await fetch(`${servers.urls.tareas}/integration-tasks/get_tasks/`, { headers: await bearer(SEED_DNI.ana) });
      expect(await tasks.json()).toHaveLength(2);
      expect((await fetch(`${servers.urls.facturas}/__mock/calls`)).status).toBe(200);
    } finally {
      await servers.close();
    }
  });
});
