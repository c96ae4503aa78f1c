// GET /compras/me and GET /compras/all: enriched purchases, product reads, roles, pagination.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '2000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

/** The seeded catalogue fields a listing shows. */
const CATALOGUE: Record<number, { nombre: string; precio: number; tipo: string; requiere_receta: boolean; stock: number }> = {
  1: { nombre: 'Paracetamol 500mg', precio: 3.5, tipo: 'Analgesico', requiere_receta: false, stock: 100 },
  2: { nombre: 'Ibuprofeno 400mg', precio: 5.2, tipo: 'Antiinflamatorio', requiere_receta: false, stock: 80 },
  3: { nombre: 'Amoxicilina 500mg', precio: 12.5, tipo: 'Antibiotico', requiere_receta: true, stock: 40 },
  4: { nombre: 'Loratadina 10mg', precio: 4.8, tipo: 'Antialergico', requiere_receta: false, stock: 2 },
  5: { nombre: 'Vitamina C 1g', precio: 8, tipo: 'Suplemento', requiere_receta: false, stock: 60 },
};
const detail = (producto_id: number, cantidad: number) => ({ producto_id, cantidad, ...CATALOGUE[producto_id] });

type Listing = { compras: Array<{ id: number; productos_detalle: unknown[] } & Record<string, unknown>> } & Record<string, unknown>;

const productReads = () =>
  h.calls('productos').filter((call) => call.method === 'GET').map((call) => Number(call.path.split('/').at(-1)));

async function get(path: string, token: string) {
  return h.request(`${API}${path}`, { token });
}

describe('GET /compras/me', () => {
  it("returns the caller's purchases with their product details and X-Gateway-Completed: true", async () => {
    const res = await get('/compras/me', await tokens.ana());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('true');
    const body = (await res.json()) as Listing;
    expect(Object.keys(body)).toEqual(['compras']);
    const byId = [...body.compras].sort((a, b) => a.id - b.id);
    expect(byId).toEqual([
      { id: 1, fechaCompra: expect.any(String), fecha: expect.any(String), usuarioId: 3, productos: [1, 3], cantidades: [2, 1], productos_detalle: [detail(1, 2), detail(3, 1)] },
      { id: 2, fechaCompra: expect.any(String), fecha: expect.any(String), usuarioId: 3, productos: [2, 5], cantidades: [1, 3], productos_detalle: [detail(2, 1), detail(5, 3)] },
      { id: 3, fechaCompra: expect.any(String), fecha: expect.any(String), usuarioId: 3, productos: [1], cantidades: [4], productos_detalle: [detail(1, 4)] },
    ]);
    const stored = h.mocks.state.data.usuarios.compras.filter((compra) => compra.usuarioId === 3);
    expect(byId.map((compra) => compra['fechaCompra'])).toEqual(stored.map((compra) => compra.fechaCompra));
    // The existing web frontend reads `fecha`: it repeats `fechaCompra`.
    expect(byId.map((compra) => compra['fecha'])).toEqual(stored.map((compra) => compra.fechaCompra));
  });

  it('reads each product once however many purchases mention it', async () => {
    await get('/compras/me', await tokens.ana());
    expect(productReads().sort((a, b) => a - b)).toEqual([1, 2, 3, 5]);
  });

  it('forwards the caller token to the users service', async () => {
    const token = await tokens.ana();
    await get('/compras/me', token);
    expect(h.calls('usuarios').map((call) => [call.path, call.headers['authorization']])).toEqual([
      ['/api/compras/me', `Bearer ${token}`],
    ]);
  });

  it('answers the same with a trailing slash', async () => {
    const res = await get('/compras/me/', await tokens.ana());
    expect(res.status).toBe(200);
    expect(((await res.json()) as Listing).compras.map((compra) => compra.id).sort((a, b) => a - b)).toEqual([1, 2, 3]);
  });

  it('gives a user without purchases an empty list and reads no product', async () => {
    const res = await get('/compras/me', await tokens.pedro());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ compras: [] });
    expect(res.headers.get('x-gateway-completed')).toBe('true');
    expect(h.calls('productos')).toHaveLength(0);
  });

  it('shows a purchase made through the gateway with the stock as it is now', async () => {
    const token = await tokens.pedro();
    const bought = await h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [4], cantidades: [2] } });
    expect(bought.status).toBe(201);
    const body = (await (await get('/compras/me', token)).json()) as Listing;
    expect(body.compras.map((compra) => compra.productos_detalle)).toEqual([[{ ...detail(4, 2), stock: 0 }]]);
  });
});

describe('GET /compras/all', () => {
  it('answers 403 FORBIDDEN to a CLIENTE without calling any upstream', async () => {
    const res = await get('/compras/all', await tokens.ana());
    expect(res.status).toBe(403);
    expect((await errorBody(res)).code).toBe('FORBIDDEN');
    expect(h.calls()).toHaveLength(0);
  });

  it('gives an admin every purchase newest first, with page 1 and pagesize 50 by default', async () => {
    const res = await get('/compras/all', await tokens.admin());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('true');
    const body = (await res.json()) as Listing;
    expect(body).toMatchObject({ page: 1, pagesize: 50, total: 4 });
    expect(body.compras.map((compra) => compra.id)).toEqual([3, 4, 2, 1]);
    expect(body.compras[1]).toEqual({
      id: 4, fechaCompra: expect.any(String), fecha: expect.any(String), usuarioId: 4, productos: [4], cantidades: [1], productos_detalle: [detail(4, 1)],
    });
    expect(productReads().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns only the requested page and reads only the products of that page', async () => {
    const res = await get('/compras/all?pagesize=2&page=2', await tokens.admin());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Listing;
    expect(body).toMatchObject({ page: 2, pagesize: 2, total: 4 });
    expect(body.compras.map((compra) => compra.id)).toEqual([2, 1]);
    expect(productReads().sort((a, b) => a - b)).toEqual([1, 2, 3, 5]);
  });

  it('reads the first page products only, and none beyond the last page', async () => {
    const first = (await (await get('/compras/all?pagesize=2', await tokens.admin())).json()) as Listing;
    expect(first.compras.map((compra) => compra.id)).toEqual([3, 4]);
    expect(productReads().sort((a, b) => a - b)).toEqual([1, 4]);
    h.mocks.state.calls = [];
    const beyond = await get('/compras/all?pagesize=2&page=3', await tokens.admin());
    expect(await beyond.json()).toEqual({ compras: [], page: 3, pagesize: 2, total: 4 });
    expect(h.calls('productos')).toHaveLength(0);
  });

  it.each(['page=0', 'pagesize=0', 'pagesize=101', 'page=abc', 'page=1.5'])(
    'answers 400 VALIDATION_ERROR for %s without calling any upstream',
    async (query) => {
      const res = await get(`/compras/all?${query}`, await tokens.admin());
      expect(res.status).toBe(400);
      const body = await errorBody(res);
      expect(body.code).toBe('VALIDATION_ERROR');
      expect((body.details?.['issues'] as Array<{ path: string }>)[0]?.path).toBe(query.split('=')[0]);
      expect(h.calls()).toHaveLength(0);
    },
  );
});
