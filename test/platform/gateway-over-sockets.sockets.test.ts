// The real gateway server in front of the real mock servers, every hop over a TCP socket.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS, type RecordedCall, type ServiceName } from '../../mocks/index.js';
import type { RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import type { RunningGateway } from '../../src/server/start-server.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';
import { waitFor } from '../helpers/e2e.js';

let sut: GatewayUnderTest;
let upstreams: RunningMockServers;
let gateway: RunningGateway;
let api: string;
let cliente: string;
let admin: string;

beforeAll(async () => {
  sut = await startGatewayUnderTest();
  ({ upstreams, gateway, clienteToken: cliente, adminToken: admin } = sut);
  api = `${gateway.url}/api/orchestrator`;
});

afterAll(async () => {
  await sut?.close();
});

beforeEach(async () => {
  await sut.resetMocks();
});

async function mockCalls(service: ServiceName): Promise<RecordedCall[]> {
  const res = await fetch(`${upstreams.urls[service]}/__mock/calls`);
  expect(res.status).toBe(200);
  return (await res.json()) as RecordedCall[];
}

async function call(path: string, init: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${api}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

interface Detalle { producto_id: number; cantidad: number; stock?: number }
interface Compra { id: number; productos: number[]; cantidades: number[]; productos_detalle: Detalle[] }

const stockSeenIn = (compras: Compra[], productoId: number) =>
  compras.flatMap((c) => c.productos_detalle).find((d) => d.producto_id === productoId)?.stock;

describe('gateway over real sockets', () => {
  it('answers health', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', service: 'orchestrator' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('registers a purchase, decrements stock and lists it in /compras/me', async () => {
    const before = await call('/compras/me', { token: cliente });
    expect(before.status).toBe(200);
    expect(stockSeenIn(before.body.compras as Compra[], 2)).toBe(80);

    const created = await call('/compras', {
      token: cliente,
      method: 'POST',
      body: { productos: [{ producto_id: 2, cantidad: 3 }, { producto_id: 3, cantidad: 1 }], datos_adicionales: { metodo_pago: 'tarjeta' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ productos: [2, 3], cantidades: [3, 1], total: 28.1 });
    expect(created.body.productos_detalle).toHaveLength(2);

    const after = await call('/compras/me', { token: cliente });
    expect(after.status).toBe(200);
    const compras = after.body.compras as Compra[];
    const listed = compras.find((c) => c.id === created.body.id);
    expect(listed).toMatchObject({ productos: [2, 3], cantidades: [3, 1] });
    expect(stockSeenIn(compras, 2)).toBe(77);
    expect(stockSeenIn(compras, 3)).toBe(39);
    expect(after.headers.get('x-gateway-completed')).toBe('true');
  });

  it('answers 409 for low stock and writes nothing upstream', async () => {
    const res = await call('/compras', { token: cliente, method: 'POST', body: { productos: [4], cantidades: [5] } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: { producto_id: 4, disponible: 2, solicitado: 5 } });
    const productos = await mockCalls('productos');
    expect(productos.some((c) => c.method === 'GET' && c.path === '/api/productos/4')).toBe(true);
    expect(productos.filter((c) => c.method === 'PUT')).toEqual([]);
    expect((await mockCalls('usuarios')).filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('validates a prescription (200) and rejects one with a bad doctor (422)', async () => {
    const ok = await call(`/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      token: cliente, method: 'PUT', body: { estadovalidacion: 'VALIDADA' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.receta).toMatchObject({ _id: SEED_RECETA_IDS.anaPendingValid, estadoValidacion: 'validada' });
    expect(ok.body.validaciones).toMatchObject({ medico_valido: true, paciente_valido: true });

    const bad = await call(`/recetas/validar/${SEED_RECETA_IDS.anaPendingBadDoctor}`, { token: cliente, method: 'PUT', body: {} });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('PRESCRIPTION_INVALID');
    const writes = (await mockCalls('recetas')).filter((c) => c.method === 'PUT');
    expect(writes.map((c) => c.path)).toEqual([`/api/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`]);
  });

  it('pages /compras/all for an ADMIN, newest first', async () => {
    const first = await call('/compras/all?page=1&pagesize=2', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, pagesize: 2, total: 4 });
    expect((first.body.compras as Compra[]).map((c) => c.id)).toEqual([3, 4]);
    const second = await call('/compras/all?page=2&pagesize=2', { token: admin });
    expect((second.body.compras as Compra[]).map((c) => c.id)).toEqual([2, 1]);
    expect((await call('/compras/all', { token: cliente })).status).toBe(403);
  });

  it('creates an integration task, executes it (202) and polls until executed', async () => {
    const created = await call('/integration-tasks', {
      token: cliente, method: 'POST',
      body: { name: 'E2E sync', config: { base_url: 'https://api.example.com/e2e', http_method: 'POST', payload: { a: 1 } } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(created.body.status).toBe('pendiente');

    const executed = await call(`/integration-tasks/${id}/execute`, { token: cliente, method: 'POST' });
    expect(executed.status).toBe(202);
    expect(executed.body.task_id).toBe(id);

    const task = await waitFor(
      async () => {
        const res = await call(`/integration-tasks/${id}`, { token: cliente });
        return res.status === 200 && res.body.status === 'executed' ? res.body : undefined;
      },
      { timeoutMs: 10_000, what: 'task executed' },
    );
    expect(task.result).not.toBeNull();
  });

  it('forwards an invoice batch (202) and answers 409 for the same key', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const batch = [{ numero_factura: 'F-E2E-1', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: today }];
    const headers = { 'idempotency-key': 'e2e-invoice-key-1' };
    const first = await call('/facturas', { token: cliente, method: 'POST', body: batch, headers });
    expect(first.status).toBe(202);
    const again = await call('/facturas', { token: cliente, method: 'POST', body: batch, headers });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE_REQUEST');
    const forwarded = (await mockCalls('facturas')).filter((c) => c.method === 'POST');
    // Scoped to the caller on the way: SHA-256 of "<sub>:<key>", the same for both attempts.
    const scoped = createHash('sha256').update(`${SEED_DNI.ana}:e2e-invoice-key-1`).digest('hex');
    expect(forwarded.map((c) => c.headers['idempotency-key'])).toEqual([scoped, scoped]);
  });

  it('answers 401 without a token and calls no upstream', async () => {
    const res = await call('/compras/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', requestId: res.headers.get('x-request-id') });
    expect(await mockCalls('usuarios')).toEqual([]);
  });

  it('round-trips a client X-Request-Id to the response and every upstream call', async () => {
    const id = 'e2e-request_id-42';
    const res = await call('/compras/me', { token: cliente, headers: { 'x-request-id': id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(id);
    const upstreamCalls = [...(await mockCalls('usuarios')), ...(await mockCalls('productos'))];
    expect(upstreamCalls.length).toBeGreaterThanOrEqual(2);
    expect(upstreamCalls.map((c) => c.headers['x-request-id'])).toEqual(upstreamCalls.map(() => id));
  });

  it('serves /api/schema, /api/docs and /metrics', async () => {
    const schema = await fetch(`${gateway.url}/api/schema`);
    expect(schema.status).toBe(200);
    const document = (await schema.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\.1/);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/orchestrator/compras', '/api/orchestrator/health']));

    const docs = await fetch(`${gateway.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect((await docs.text()).toLowerCase()).toContain('swagger');

    expect((await call('/compras/me', { token: cliente })).status).toBe(200);
    const metrics = await fetch(`${gateway.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/gateway_http_requests_total\{[^}]*route="\/api\/orchestrator\/compras\/me"[^}]*status="200"/);
    expect(text).toMatch(/upstream[a-z_]*\{[^}]*service="productos"[^}]*outcome="[^"]+"/);
    expect(text).toMatch(/breaker[a-z_]*\{[^}]*service="usuarios"/);
  });
});
