// Purchases when an upstream misbehaves: what the caller sees, what was written and what was undone.
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, TEST_SECRET, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '1000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const PRODUCT = `${BASE_URLS.productos}/api/productos/:id`;
const REGISTER = `${BASE_URLS.usuarios}/api/compras`;
const UPSTREAM_SECRET_TEXT = 'Traceback (most recent call last): db-primary.productos.internal:5432';

const stockOf = (id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const registrations = () => h.calls('usuarios').filter((call) => call.method === 'POST');
const stockWrites = () => h.writes('productos').map((call) => [call.path, call.body]);

/** Ana buys 1 x2 and 5 x1 (no prescription needed). */
const BASKET = { productos: [{ producto_id: 1, cantidad: 2 }, { producto_id: 5, cantidad: 1 }] };

async function buy(json: unknown = BASKET, token?: string) {
  return h.request(`${API}/compras`, { method: 'POST', token: token ?? (await tokens.ana()), json });
}

const hang = async () => {
  await delay('infinite');
  return HttpResponse.json({});
};

describe('POST /compras when the products service cannot be read', () => {
  it.each([
    ['answers 500', () => new HttpResponse(UPSTREAM_SECRET_TEXT, { status: 500 })],
    ['drops the connection', () => HttpResponse.error()],
    [
      'answers malformed JSON',
      () => new HttpResponse(`{"id": 1, "nombre": "${UPSTREAM_SECRET_TEXT}`, { headers: { 'content-type': 'application/json' } }),
    ],
    ['answers the wrong shape', () => HttpResponse.json({ id: 1, nombre: UPSTREAM_SECRET_TEXT, stock: 'muchos' })],
  ])('answers 503 UPSTREAM_UNAVAILABLE with Retry-After and writes nothing when it %s', async (_name, resolver) => {
    h.msw.use(http.get(PRODUCT, resolver));
    const res = await buy();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const text = await res.clone().text();
    expect(text).not.toContain('Traceback');
    expect(text).not.toContain('productos.internal');
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'productos' });
    expect(h.writes()).toHaveLength(0);
  });

  it('answers 504 UPSTREAM_TIMEOUT and writes nothing when it does not answer', async () => {
    h.msw.use(http.get(PRODUCT, hang));
    const res = await buy();
    expect(res.status).toBe(504);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_TIMEOUT');
    expect(body.details).toMatchObject({ service: 'productos' });
    expect(h.writes()).toHaveLength(0);
  });
});

describe('POST /compras when the prescriptions service is down', () => {
  beforeEach(() => {
    h.msw.use(http.get(`${BASE_URLS.recetas}/*`, () => HttpResponse.json({ error: 'Error interno' }, { status: 500 })));
  });

  it('still sells products that need no prescription', async () => {
    const res = await buy();
    expect(res.status).toBe(201);
    expect([stockOf(1), stockOf(5)]).toEqual([98, 59]);
    expect(registrations()).toHaveLength(1);
  });

  it('answers 503 naming recetas and writes nothing for a prescription-only product', async () => {
    const res = await buy({ productos: [{ producto_id: 1, cantidad: 1 }, { producto_id: 3, cantidad: 1 }] });
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'recetas' });
    expect(h.writes()).toHaveLength(0);
    expect([stockOf(1), stockOf(3)]).toEqual([100, 40]);
  });
});

describe('POST /compras when registration on the users service fails', () => {
  it.each([
    ['answers 500', () => HttpResponse.json({ status: 500, error: 'Internal Server Error', message: 'NullPointerException' }, { status: 500 })],
    ['drops the connection', () => HttpResponse.error()],
  ])('answers 503 naming usuarios and puts the stock back when it %s, without retrying the write', async (_name, resolver) => {
    let attempts = 0;
    h.msw.use(
      http.post(REGISTER, () => {
        attempts += 1;
        return resolver();
      }),
    );
    const res = await buy();
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'usuarios' });
    expect(JSON.stringify(body)).not.toContain('NullPointerException');
    expect(attempts).toBe(1);
    expect([stockOf(1), stockOf(5)]).toEqual([100, 60]);
    expect(stockWrites()).toEqual(
      expect.arrayContaining([
        ['/api/productos/1', { stock: 98 }],
        ['/api/productos/5', { stock: 59 }],
        ['/api/productos/1', { stock: 100 }],
        ['/api/productos/5', { stock: 60 }],
      ]),
    );
    expect(stockWrites()).toHaveLength(4);
  });

  it('answers 403 FORBIDDEN and puts the stock back when the users service refuses the caller', async () => {
    h.msw.use(
      http.post(REGISTER, () =>
        HttpResponse.json({ status: 403, error: 'Acceso denegado', message: 'Access Denied' }, { status: 403 }),
      ),
    );
    const res = await buy();
    expect(res.status).toBe(403);
    expect((await errorBody(res)).code).toBe('FORBIDDEN');
    expect([stockOf(1), stockOf(5)]).toEqual([100, 60]);
  });

  it('answers 504, keeps the stock decremented and logs the purchase for reconciliation when it hangs', async () => {
    h.msw.use(http.post(REGISTER, hang));
    const token = await tokens.ana();
    const res = await buy(BASKET, token);
    expect(res.status).toBe(504);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_TIMEOUT');
    expect(body.details).toMatchObject({ service: 'usuarios' });
    expect([stockOf(1), stockOf(5)]).toEqual([98, 59]);
    expect(stockWrites()).toHaveLength(2);

    const reconciliation = h.logs.entries().filter((entry) => entry['level'] === 50 && entry['callerDni'] === '71234567');
    expect(reconciliation).toHaveLength(1);
    expect(reconciliation[0]).toMatchObject({
      requestId: res.headers.get('x-request-id'),
      lines: [
        { producto_id: 1, cantidad: 2 },
        { producto_id: 5, cantidad: 1 },
      ],
    });
    const logText = h.logs.text();
    expect(logText).not.toContain(token);
    expect(logText).not.toContain(token.split('.')[2]);
    expect(logText).not.toContain(TEST_SECRET);
    expect(logText).not.toMatch(/Bearer\s+ey/);
  });
});

describe('POST /compras when registration may have happened but its answer is unreadable', () => {
  it('answers 503, keeps the stock decremented and logs the purchase for reconciliation', async () => {
    h.msw.use(http.post(REGISTER, () => new HttpResponse('<html>proxy</html>', { status: 200 })));
    const res = await buy();
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'usuarios' });
    expect(JSON.stringify(body)).not.toContain('proxy');
    expect([stockOf(1), stockOf(5)]).toEqual([98, 59]);
    expect(stockWrites()).toHaveLength(2);
    const reconciliation = h.logs.entries().filter((entry) => entry['level'] === 50 && entry['callerDni'] === '71234567');
    expect(reconciliation).toHaveLength(1);
  });
});

describe('POST /compras when a product read drops the connection once', () => {
  it('retries the read and registers the purchase', async () => {
    h.msw.use(http.get(`${BASE_URLS.productos}/api/productos/1`, () => HttpResponse.error(), { once: true }));
    const res = await buy();
    expect(res.status).toBe(201);
    expect([stockOf(1), stockOf(5)]).toEqual([98, 59]);
    expect(registrations()).toHaveLength(1);
  });
});

describe('POST /compras when a stock write fails', () => {
  it('answers 503, puts back the stock already taken from the other product and registers nothing', async () => {
    h.msw.use(http.put(`${BASE_URLS.productos}/api/productos/5`, () => new HttpResponse(UPSTREAM_SECRET_TEXT, { status: 500 })));
    const res = await buy();
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'productos' });
    expect([stockOf(1), stockOf(5)]).toEqual([100, 60]);
    expect(stockWrites()).toEqual([
      ['/api/productos/1', { stock: 98 }],
      ['/api/productos/1', { stock: 100 }],
    ]);
    expect(registrations()).toHaveLength(0);
  });
});

describe('GET /compras/me when an upstream fails', () => {
  it('still lists every purchase with X-Gateway-Completed: false when the products service is down', async () => {
    h.msw.use(http.get(PRODUCT, () => HttpResponse.error()));
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('false');
    const body = (await res.json()) as { compras: Array<{ id: number; productos_detalle: unknown[] }> };
    const byId = Object.fromEntries(body.compras.map((compra) => [compra.id, compra.productos_detalle]));
    const error = 'Producto no disponible';
    expect(byId).toEqual({
      1: [{ producto_id: 1, cantidad: 2, error }, { producto_id: 3, cantidad: 1, error }],
      2: [{ producto_id: 2, cantidad: 1, error }, { producto_id: 5, cantidad: 3, error }],
      3: [{ producto_id: 1, cantidad: 4, error }],
    });
  });

  it('words the unavailable lines in English for Accept-Language: en', async () => {
    h.msw.use(http.get(PRODUCT, () => HttpResponse.error()));
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana(), headers: { 'accept-language': 'en' } });
    const body = (await res.json()) as { compras: Array<{ productos_detalle: Array<{ error?: string }> }> };
    expect(new Set(body.compras.flatMap((compra) => compra.productos_detalle.map((line) => line.error)))).toEqual(
      new Set(['Product not available']),
    );
  });

  it('marks only the unreadable product as unavailable and keeps the others complete', async () => {
    h.msw.use(http.get(`${BASE_URLS.productos}/api/productos/3`, () => new HttpResponse('boom', { status: 502 })));
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gateway-completed')).toBe('false');
    const body = (await res.json()) as { compras: Array<{ id: number; productos_detalle: unknown[] }> };
    expect(body.compras.find((compra) => compra.id === 1)?.productos_detalle).toEqual([
      { producto_id: 1, cantidad: 2, nombre: 'Paracetamol 500mg', precio: 3.5, tipo: 'Analgesico', requiere_receta: false, stock: 100 },
      { producto_id: 3, cantidad: 1, error: 'Producto no disponible' },
    ]);
  });

  it('answers 503 naming usuarios when the users service is down', async () => {
    h.msw.use(http.get(`${BASE_URLS.usuarios}/api/compras/me`, () => new HttpResponse('down', { status: 500 })));
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details).toMatchObject({ service: 'usuarios' });
    expect(h.calls('productos')).toHaveLength(0);
  });

  it('answers 401 with WWW-Authenticate: Bearer when the users service answers 401', async () => {
    h.msw.use(
      http.get(`${BASE_URLS.usuarios}/api/compras/me`, () =>
        HttpResponse.json({ status: 401, error: 'Unauthorized', message: 'Full authentication is required' }, { status: 401 }),
      ),
    );
    const res = await h.request(`${API}/compras/me`, { token: await tokens.ana() });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect((await errorBody(res)).code).toBe('UNAUTHENTICATED');
  });
});
