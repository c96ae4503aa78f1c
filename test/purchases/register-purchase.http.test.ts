// POST /compras happy paths, validation and business 4xx: what the caller gets and which upstream
// calls were (and were not) made.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '2000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const stockOf = (id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const productReads = (id: number) =>
  h.calls('productos').filter((call) => call.method === 'GET' && call.path === `/api/productos/${id}`).length;
const registrations = () => h.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');

async function buy(json: unknown, token?: string, headers: Record<string, string> = {}) {
  return h.request(`${API}/compras`, { method: 'POST', token: token ?? (await tokens.ana()), json, headers });
}

describe('POST /compras registers a valid purchase', () => {
  it('answers 201 with the registered purchase, one detail per product and the total (object form)', async () => {
    const token = await tokens.ana();
    const res = await buy(
      {
        productos: [
          { producto_id: 1, cantidad: 2 },
          { producto_id: 5, cantidad: 1 },
        ],
        datos_adicionales: { metodo_pago: 'tarjeta' },
      },
      token,
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: 5,
      fechaCompra: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/),
      usuarioId: 3,
      productos: [1, 5],
      cantidades: [2, 1],
      productos_detalle: [
        { producto_id: 1, cantidad: 2, nombre: 'Paracetamol 500mg', precio: 3.5, tipo: 'Analgesico', requiere_receta: false, subtotal: 7 },
        { producto_id: 5, cantidad: 1, nombre: 'Vitamina C 1g', precio: 8, tipo: 'Suplemento', requiere_receta: false, subtotal: 8 },
      ],
      total: 15,
    });
    expect(h.mocks.state.data.usuarios.compras.at(-1)).toEqual({
      id: 5, fechaCompra: body['fechaCompra'], usuarioId: 3, productos: [1, 5], cantidades: [2, 1],
    });
    expect([stockOf(1), stockOf(5)]).toEqual([98, 59]);
    const [registration, ...more] = registrations();
    expect(more).toHaveLength(0);
    expect(registration?.headers['authorization']).toBe(`Bearer ${token}`);
    // Exactly the three fields the users service binds: datos_adicionales is not forwarded.
    expect(registration?.body).toEqual({ usuarioId: null, productos: [1, 5], cantidades: [2, 1] });
  });

  it('accepts the parallel form and writes exactly the new stock on the products service', async () => {
    const res = await buy({ productos: [2, 4], cantidades: [3, 2] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ productos: [2, 4], cantidades: [3, 2], total: 25.2 });
    const puts = h.writes('productos').map((call) => ({ path: call.path, body: call.body, method: call.method }));
    expect(puts).toEqual(
      expect.arrayContaining([
        { method: 'PUT', path: '/api/productos/2', body: { stock: 77 } },
        { method: 'PUT', path: '/api/productos/4', body: { stock: 0 } },
      ]),
    );
    expect(puts).toHaveLength(2);
    expect([stockOf(2), stockOf(4)]).toEqual([77, 0]);
  });

  it('sums repeated ids, reads each product once and registers each id once', async () => {
    const res = await buy({ productos: [1, 5, 1], cantidades: [2, 1, 3] });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { productos: number[]; cantidades: number[]; productos_detalle: unknown[]; total: number };
    expect(body.productos).toEqual([1, 5]);
    expect(body.cantidades).toEqual([5, 1]);
    expect(body.productos_detalle).toEqual([
      expect.objectContaining({ producto_id: 1, cantidad: 5, subtotal: 17.5 }),
      expect.objectContaining({ producto_id: 5, cantidad: 1, subtotal: 8 }),
    ]);
    expect(body.total).toBe(25.5);
    expect(registrations().map((call) => call.body)).toEqual([{ usuarioId: null, productos: [1, 5], cantidades: [5, 1] }]);
    expect([productReads(1), productReads(5)]).toEqual([1, 1]);
    expect(stockOf(1)).toBe(95);
  });

  it('sends the users service exactly usuarioId, productos and cantidades, whatever else the client sent', async () => {
    const res = await buy({
      productos: [{ producto_id: 1, cantidad: 1 }],
      dni: '71234567',
      datos_adicionales: { productos: [99], cantidades: [1000], usuarioId: 5, metodo_pago: 'tarjeta' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ usuarioId: 3, productos: [1], cantidades: [1] });
    expect(registrations().map((call) => call.body)).toEqual([
      { usuarioId: null, productos: [1], cantidades: [1] },
    ]);
    expect(productReads(99)).toBe(0);
    expect(stockOf(1)).toBe(99);
  });

  it("reads the products and the caller's validated prescriptions, and sells a covered prescription-only product", async () => {
    const res = await buy({ productos: [{ producto_id: 3, cantidad: 2 }] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      productos_detalle: [{ producto_id: 3, cantidad: 2, nombre: 'Amoxicilina 500mg', requiere_receta: true, subtotal: 25 }],
      total: 25,
    });
    expect(productReads(3)).toBe(1);
    const recetas = h.calls('recetas');
    expect(recetas).toHaveLength(1);
    const query = new URLSearchParams(recetas[0]?.query);
    expect([recetas[0]?.path, query.get('dni'), query.get('estado')]).toEqual(['/api/recetas/filter', '71234567', 'validada']);
    expect(stockOf(3)).toBe(38);
  });
});

describe('POST /compras rejects invalid input before any upstream call', () => {
  const line = { producto_id: 1, cantidad: 1 };
  const cases: Array<[string, unknown, string]> = [
    ['an empty list', { productos: [] }, 'productos'],
    ['101 lines', { productos: Array.from({ length: 101 }, () => line) }, 'productos'],
    ['product id 0', { productos: [{ producto_id: 0, cantidad: 1 }] }, 'productos.0.producto_id'],
    ['a negative product id', { productos: [line, { producto_id: -1, cantidad: 1 }] }, 'productos.1.producto_id'],
    ['a fractional product id', { productos: [{ producto_id: 1.5, cantidad: 1 }] }, 'productos.0.producto_id'],
    ['a product id given as a string', { productos: [{ producto_id: '1', cantidad: 1 }] }, 'productos.0.producto_id'],
    ['quantity 0', { productos: [{ producto_id: 1, cantidad: 0 }] }, 'productos.0.cantidad'],
    ['quantity 1001', { productos: [{ producto_id: 1, cantidad: 1001 }] }, 'productos.0.cantidad'],
    ['a missing quantity', { productos: [{ producto_id: 1 }] }, 'productos.0.cantidad'],
    ['id 0 in the parallel form', { productos: [0], cantidades: [1] }, 'productos.0'],
    ['quantity 0 in the parallel form', { productos: [1], cantidades: [0] }, 'cantidades.0'],
    ['parallel lists of unequal length', { productos: [1, 2], cantidades: [1] }, 'cantidades'],
    ['ids without cantidades', { productos: [1, 2] }, 'cantidades'],
    ['both forms mixed', { productos: [1, line], cantidades: [1] }, 'productos'],
    ['a body that is an array', [line], ''],
    ['a body that is a string', 'productos', ''],
  ];

  it.each(cases)('answers 400 VALIDATION_ERROR for %s', async (_name, json, path) => {
    const res = await buy(json);
    expect(res.status).toBe(400);
    const body = await errorBody(res);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect((body.details?.['issues'] as Array<{ path: string }>).map((issue) => issue.path)).toContain(path);
    expect(h.calls()).toHaveLength(0);
  });

  const raw = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    tokens.ana().then((token) =>
      h.request(`${API}/compras`, { method: 'POST', token, body, headers: { 'content-type': contentType, ...headers } }),
    );

  it('answers 400 VALIDATION_ERROR for malformed JSON and for JSON nested 100 levels deep', async () => {
    const deep = `{"productos":[{"producto_id":1,"cantidad":1}],"datos_adicionales":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`;
    for (const body of ['{"productos": [', deep]) {
      const res = await raw(body);
      expect(res.status).toBe(400);
      expect((await errorBody(res)).code).toBe('VALIDATION_ERROR');
    }
    expect(h.calls()).toHaveLength(0);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body that is not declared as JSON', async () => {
    const res = await raw('{"productos":[{"producto_id":1,"cantidad":1}]}', 'text/plain');
    expect(res.status).toBe(415);
    expect((await errorBody(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(h.calls()).toHaveLength(0);
  });

  it.each([
    ['with a space', 'compra 1'],
    ['of 256 characters', 'k'.repeat(256)],
  ])('answers 400 VALIDATION_ERROR for an Idempotency-Key %s', async (_name, key) => {
    const res = await buy({ productos: [line] }, undefined, { 'idempotency-key': key });
    expect(res.status).toBe(400);
    const body = await errorBody(res);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.details).toEqual({ issues: [expect.objectContaining({ path: 'idempotency-key' })] });
    expect(h.calls()).toHaveLength(0);
  });
});

describe('POST /compras refuses a purchase it cannot honour and writes nothing', () => {
  it('answers 404 PRODUCT_NOT_FOUND for an unknown product', async () => {
    const res = await buy({ productos: [{ producto_id: 1, cantidad: 1 }, { producto_id: 999, cantidad: 1 }] });
    expect(res.status).toBe(404);
    const body = await errorBody(res);
    expect(body.code).toBe('PRODUCT_NOT_FOUND');
    expect(body.details).toMatchObject({ producto_id: 999 });
    expect(h.writes()).toHaveLength(0);
    expect(stockOf(1)).toBe(100);
  });

  it.each([
    ['more than the stock', [{ producto_id: 4, cantidad: 5 }], { producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 5 }],
    ['repeated lines that only together exceed the stock', [{ producto_id: 4, cantidad: 1 }, { producto_id: 4, cantidad: 2 }], { producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 3 }],
    ['an out-of-stock product', [{ producto_id: 1, cantidad: 1 }, { producto_id: 7, cantidad: 1 }], { producto_id: 7, nombre: 'Omeprazol 20mg', disponible: 0, solicitado: 1 }],
  ])('answers 409 INSUFFICIENT_STOCK for %s', async (_name, productos, details) => {
    const res = await buy({ productos });
    expect(res.status).toBe(409);
    const body = await errorBody(res);
    expect(body.code).toBe('INSUFFICIENT_STOCK');
    expect(body.details).toEqual(details);
    expect(h.writes()).toHaveLength(0);
    expect([stockOf(1), stockOf(4), stockOf(7)]).toEqual([100, 2, 0]);
  });

  it.each([
    ['Pedro, who has no prescription, buys product 3', 'pedro', 3, 1, 'Amoxicilina 500mg', 0],
    ['Ana buys 3 x3 while her prescription covers 2', 'ana', 3, 3, 'Amoxicilina 500mg', 2],
    ['Ana buys product 6, whose only prescription expired', 'ana', 6, 1, 'Clonazepam 2mg', 0],
    ['Ana buys 8 x2 while her prescription covers 1', 'ana', 8, 2, 'Azitromicina 500mg', 1],
  ] as const)('answers 422 PRESCRIPTION_REQUIRED when %s', async (_name, who, id, cantidad, nombre, recetado) => {
    const res = await buy({ productos: [{ producto_id: 1, cantidad: 1 }, { producto_id: id, cantidad }] }, await tokens[who]());
    expect(res.status).toBe(422);
    const body = await errorBody(res);
    expect(body.code).toBe('PRESCRIPTION_REQUIRED');
    expect(body.details).toEqual({
      productos_sin_receta: [nombre],
      cobertura: [{ producto_id: id, recetado, dispensado: 0, solicitado: cantidad }],
    });
    expect(h.writes()).toHaveLength(0);
    expect(stockOf(1)).toBe(100);
  });
});
