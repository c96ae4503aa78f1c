// POST /compras as the client sees it: the status, code, headers and body of each answer, what
// reaches the upstream services on the wire, and what only the app checks (the body's schema, the
// JSON guard, the Idempotency-Key header). The purchase rules behind each answer are checked on the
// use-case (register-purchase.use-case, idempotency.use-case); upstream failures in purchase-failures.http.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '2000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const registrations = () => h.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');

async function buy(json: unknown, token?: string, headers: Record<string, string> = {}) {
  return h.request(`${API}/compras`, { method: 'POST', token: token ?? (await tokens.ana()), json, headers });
}

describe('POST /compras registers a valid purchase', () => {
  it('answers 201 with the purchase, its details and total, sending upstream only what the services bind', async () => {
    const token = await tokens.ana();
    const res = await buy(
      {
        productos: [{ producto_id: 1, cantidad: 2 }, { producto_id: 5, cantidad: 1 }],
        dni: '71234567',
        datos_adicionales: { productos: [99], cantidades: [1000], usuarioId: 5, metodo_pago: 'tarjeta' },
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
    const puts = h.writes('productos').map((call) => [call.method, call.path, call.body]);
    expect(puts).toEqual(expect.arrayContaining([['PUT', '/api/productos/1', { stock: 98 }], ['PUT', '/api/productos/5', { stock: 59 }]]));
    expect(puts).toHaveLength(2);
    expect([1, 5].map((id) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock)).toEqual([98, 59]);
    const [registration, ...more] = registrations();
    expect(more).toHaveLength(0);
    expect(registration?.headers['authorization']).toBe(`Bearer ${token}`);
    expect(registration?.headers).not.toHaveProperty('idempotency-key');
    // Exactly the three fields the users service binds: neither dni nor datos_adicionales is forwarded.
    expect(registration?.body).toEqual({ usuarioId: null, productos: [1, 5], cantidades: [2, 1] });
    expect(h.calls('productos').filter((call) => call.path === '/api/productos/99')).toEqual([]);
    // The caller's validated prescriptions, asked of the prescriptions service by DNI.
    const recetas = h.calls('recetas');
    const query = new URLSearchParams(recetas[0]?.query);
    expect([recetas.length, recetas[0]?.path, query.get('dni'), query.get('estado')]).toEqual([1, '/api/recetas/filter', '71234567', 'validada']);
  });

  it('accepts the parallel form: productos as ids with cantidades alongside', async () => {
    const res = await buy({ productos: [2, 4], cantidades: [3, 2] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ productos: [2, 4], cantidades: [3, 2], total: 25.2 });
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

describe('POST /compras refuses a purchase it cannot honour', () => {
  it.each([
    ['an unknown product', 'ana', [[1, 1], [999, 1]], 404, 'PRODUCT_NOT_FOUND', { producto_id: 999, productos_no_encontrados: [999] }],
    ['more than the stock', 'ana', [[4, 5]], 409, 'INSUFFICIENT_STOCK', { producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 5 }],
    ['a prescription-only product without a prescription', 'pedro', [[1, 1], [3, 1]], 422, 'PRESCRIPTION_REQUIRED', {
      productos_sin_receta: ['Amoxicilina 500mg'],
      cobertura: [{ producto_id: 3, recetado: 0, dispensado: 0, solicitado: 1 }],
    }],
  ] as const)('answers %s with %i %s and its details', async (_name, who, lines, status, code, details) => {
    const res = await buy({ productos: lines.map(([producto_id, cantidad]) => ({ producto_id, cantidad })) }, await tokens[who]());
    expect(res.status).toBe(status);
    const body = await errorBody(res);
    expect([body.code, body.details]).toEqual([code, details]);
  });
});

describe('POST /compras with an Idempotency-Key', () => {
  it('replays with Idempotent-Replayed: true, forwards the key upstream, and answers it with another body 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const purchase = { productos: [{ producto_id: 1, cantidad: 2 }] };
    const first = await buy(purchase, undefined, { 'idempotency-key': 'compra-001' });
    const second = await buy(purchase, undefined, { 'idempotency-key': 'compra-001' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.headers.get('idempotent-replayed'), second.headers.get('idempotent-replayed')]).toEqual([null, 'true']);
    expect(await second.json()).toEqual(await first.json());
    expect(registrations().map((call) => call.headers['idempotency-key'])).toEqual(['compra-001']);

    const reused = await buy({ productos: [{ producto_id: 1, cantidad: 3 }] }, undefined, { 'idempotency-key': 'compra-001' });
    expect(reused.status).toBe(422);
    expect((await errorBody(reused)).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
