// GET /compras/me and GET /compras/all as the client sees them: the body shape, X-Gateway-Completed,
// the wording of unreadable lines, the token forwarded, roles and query validation. Which products
// are read, degraded lines and pagination are checked on the use-case (list-purchases.use-case).
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '2000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

/** The seeded catalogue fields a listing shows. */
const CATALOGUE: Record<number, { nombre: string; precio: number; tipo: string; requiere_receta: boolean; stock: number }> = {
  1: { nombre: 'Paracetamol 500mg', precio: 3.5, tipo: 'Analgesico', requiere_receta: false, stock: 100 },
  2: { nombre: 'Ibuprofeno 400mg', precio: 5.2, tipo: 'Antiinflamatorio', requiere_receta: false, stock: 80 },
  3: { nombre: 'Amoxicilina 500mg', precio: 12.5, tipo: 'Antibiotico', requiere_receta: true, stock: 40 },
  5: { nombre: 'Vitamina C 1g', precio: 8, tipo: 'Suplemento', requiere_receta: false, stock: 60 },
};
const detail = (producto_id: number, cantidad: number) => ({ producto_id, cantidad, ...CATALOGUE[producto_id] });

type Listing = { compras: Array<{ id: number; productos_detalle: Array<{ error?: string }> } & Record<string, unknown>> } & Record<string, unknown>;

async function get(path: string, token: string, headers: Record<string, string> = {}) {
  return h.request(`${API}${path}`, { token, headers });
}

describe('GET /compras/me', () => {
  it.each(['/compras/me', '/compras/me/'])(
    '%s answers 200 with the purchases and their product details, X-Gateway-Completed: true, forwarding the caller token',
    async (path) => {
      const token = await tokens.ana();
      const res = await get(path, token);
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
      expect(h.calls('usuarios').map((call) => [call.path, call.headers['authorization']])).toEqual([['/api/compras/me', `Bearer ${token}`]]);
    },
  );

  it.each([
    ['es', 'Producto no disponible'],
    ['en', 'Product not available'],
  ])('still lists every purchase with X-Gateway-Completed: false when products cannot be read, worded for Accept-Language: %s', async (language, text) => {
    h.msw.use(http.get(`${BASE_URLS.productos}/api/productos/:id`, () => HttpResponse.error()));
    const res = await get('/compras/me', await tokens.ana(), { 'accept-language': language });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('false');
    const body = (await res.json()) as Listing;
    expect(body.compras.map((compra) => compra.id).sort()).toEqual([1, 2, 3]);
    expect(new Set(body.compras.flatMap((compra) => compra.productos_detalle.map((line) => line.error)))).toEqual(new Set([text]));
  });

  it('answers 401 with WWW-Authenticate: Bearer when the users service answers 401', async () => {
    h.msw.use(
      http.get(`${BASE_URLS.usuarios}/api/compras/me`, () =>
        HttpResponse.json({ status: 401, error: 'Unauthorized', message: 'Full authentication is required' }, { status: 401 }),
      ),
    );
    const res = await get('/compras/me', await tokens.ana());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect((await errorBody(res)).code).toBe('UNAUTHENTICATED');
  });
});

describe('GET /compras/all', () => {
  it('answers 403 FORBIDDEN to a CLIENTE without calling any upstream', async () => {
    const res = await get('/compras/all', await tokens.ana());
    expect(res.status).toBe(403);
    expect((await errorBody(res)).code).toBe('FORBIDDEN');
    expect(h.calls()).toHaveLength(0);
  });

  it('gives an admin page 1 of 50 by default, with the total and X-Gateway-Completed: true', async () => {
    const res = await get('/compras/all', await tokens.admin());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('true');
    const body = (await res.json()) as Listing;
    expect(body).toMatchObject({ page: 1, pagesize: 50, total: 4 });
    expect(body.compras.map((compra) => compra.id)).toEqual([3, 4, 2, 1]);
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
