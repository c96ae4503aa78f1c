// The idempotency rules of purchases beyond a plain replay: a key reused with another body, the
// caller's purchase ids kept with a keyed record, an unknown outcome followed by a retry (whether
// the late registration landed or not), and double submits of the same body without a key.
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, tokens, type Harness } from '../helpers/harness.js';

const REGISTER = `${BASE_URLS.usuarios}/api/compras`;
const MINE = `${BASE_URLS.usuarios}/api/compras/me`;
const TIMING = { UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '3000' };

const stockOf = (h: Harness, id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const registrations = (h: Harness) => h.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');
const stockWrites = (h: Harness) => h.writes('productos');

async function buy(h: Harness, json: unknown, key?: string) {
  return h.request(`${API}/compras`, {
    method: 'POST',
    token: await tokens.ana(),
    json,
    headers: key ? { 'idempotency-key': key } : {},
  });
}

/**
 * A registration the service applies only after the gateway gave up on it (`landAfterMs`), or
 * never. It bypasses the mock app, so it counts its own attempts.
 */
function slowRegistration(h: Harness, landAfterMs: number | 'never') {
  const attempts = { count: 0 };
  h.msw.use(
    http.post(REGISTER, async ({ request }) => {
      const { productos, cantidades } = (await request.json()) as { productos: number[]; cantidades: number[] };
      attempts.count += 1;
      if (landAfterMs === 'never') {
        await delay('infinite');
        return HttpResponse.json({});
      }
      await delay(landAfterMs);
      const store = h.mocks.state.data.usuarios;
      const compra = { id: store.nextCompraId++, fechaCompra: '2025-10-21T12:30:11.123456', usuarioId: 3, productos, cantidades };
      store.compras.push(compra);
      return HttpResponse.json(compra);
    }),
  );
  return attempts;
}

describe('a keyed purchase', () => {
  const h = createHarness(TIMING);
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('replays for the same body in another form and order (the merged lines decide)', async () => {
    const first = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }, { producto_id: 5, cantidad: 2 }, { producto_id: 1, cantidad: 1 }] }, 'k-1');
    const again = await buy(h, { productos: [5, 1], cantidades: [2, 2], datos_adicionales: { metodo_pago: 'efectivo' } }, 'k-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(registrations(h)).toHaveLength(1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED and nothing written', async () => {
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] }, 'k-2')).status).toBe(201);
    const writesBefore = h.writes().length;
    const reused = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'k-2');
    expect(reused.status).toBe(422);
    expect((await errorBody(reused)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(h.writes()).toHaveLength(writesBefore);
  });

  it("reads the caller's purchases alongside the products, and fails before any write when that read fails", async () => {
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] }, 'k-3')).status).toBe(201);
    expect(h.calls('usuarios').filter((call) => call.method === 'GET' && call.path === '/api/compras/me')).toHaveLength(1);

    h.mocks.reset();
    h.msw.use(http.get(MINE, () => new HttpResponse('down', { status: 500 })));
    const failed = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] }, 'k-4');
    expect(failed.status).toBe(503);
    expect((await errorBody(failed)).details).toMatchObject({ service: 'usuarios' });
    expect(h.writes()).toEqual([]);
  });

  it('reads no purchase history for an unkeyed purchase of products that need no prescription', async () => {
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] })).status).toBe(201);
    expect(h.calls('usuarios').filter((call) => call.method === 'GET')).toEqual([]);
  });
});

describe('an unknown outcome, then a retry with the same key', () => {
  const h = createHarness(TIMING);
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('replays the purchase the late registration created: one purchase, one decrement', async () => {
    const slow = slowRegistration(h, 350);
    const first = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'late-1');
    expect(first.status).toBe(504);
    expect((await errorBody(first)).code).toBe('UPSTREAM_TIMEOUT');
    expect(stockOf(h, 1)).toBe(98);

    const retried = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'late-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toMatchObject({ productos: [1], cantidades: [2], total: 7 });
    expect(h.mocks.state.data.usuarios.compras.filter((compra) => compra.usuarioId === 3)).toHaveLength(4);
    expect(slow.count).toBe(1);
    expect(registrations(h)).toEqual([]);
    expect(stockWrites(h)).toHaveLength(1);
    expect(stockOf(h, 1)).toBe(98);
  });

  it('registers now, reusing the stock already taken, when the first registration never landed', async () => {
    slowRegistration(h, 'never');
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'lost-1')).status).toBe(504);
    h.msw.resetHandlers();

    const retried = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'lost-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(stockWrites(h)).toHaveLength(1);
    expect(stockOf(h, 1)).toBe(98);
    const warning = h.logs.entries().find((entry) => entry.level === 40 && /registered now/.test(String(entry.msg)));
    expect(warning).toMatchObject({ idempotencyKey: 'lost-1', purchaseId: expect.any(Number) });
    // And the key now replays that purchase.
    const third = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'lost-1');
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(stockWrites(h)).toHaveLength(1);
  });

  it('answers 504 write_budget, writing nothing, when the retry cannot wait out the first registration', async () => {
    // The first purchase has the 2 x 200 ms its writes need; the retry's body takes 900 of its
    // 1000 ms to arrive, leaving less than the one registration it would have to make.
    const tight = createHarness({ UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '1000' });
    h.close();
    tight.listen();
    try {
      slowRegistration(tight, 'never');
      expect((await buy(tight, { productos: [{ producto_id: 1, cantidad: 1 }] }, 'tight-1')).status).toBe(504);
      tight.msw.resetHandlers();
      const writesBefore = tight.writes().length;
      const retried = await tight.request(`${API}/compras`, {
        method: 'POST',
        token: await tokens.ana(),
        json: { productos: [{ producto_id: 1, cantidad: 1 }] },
        headers: { 'idempotency-key': 'tight-1' },
        bodyDelayMs: 900,
      });
      expect(retried.status).toBe(504);
      expect(retried.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect((await errorBody(retried)).details).toEqual({ stage: 'write_budget' });
      expect(tight.writes()).toHaveLength(writesBefore);
    } finally {
      tight.close();
      h.listen();
    }
  });
});

describe('double submits without a key', () => {
  const h = createHarness({ ...TIMING, DOUBLE_SUBMIT_WINDOW_MS: '600' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('answers a second identical purchase within the window with the first (one purchase)', async () => {
    const [first, second] = await Promise.all([
      buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] }),
      buy(h, { productos: [1], cantidades: [1] }),
    ]);
    expect([first?.status, second?.status]).toEqual([201, 201]);
    expect([first, second].filter((res) => res?.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    const late = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] });
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(registrations(h)).toHaveLength(1);
  });

  it('registers a different body, and the same body again after the window', async () => {
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] })).status).toBe(201);
    expect((await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] })).headers.get('idempotent-replayed')).toBeNull();
    await delay(700);
    const again = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(registrations(h)).toHaveLength(3);
  });

  it('never replays a keyed purchase for an unkeyed one, nor the reverse', async () => {
    expect((await buy(h, { productos: [{ producto_id: 2, cantidad: 1 }] }, 'keyed-1')).status).toBe(201);
    expect((await buy(h, { productos: [{ producto_id: 2, cantidad: 1 }] })).headers.get('idempotent-replayed')).toBeNull();
    expect(registrations(h)).toHaveLength(2);
  });

  it('gives a second click after an unknown outcome the same 504 (replayed), taking no stock twice', async () => {
    const slow = slowRegistration(h, 'never');
    const first = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] });
    expect(first.status).toBe(504);
    const firstBody = await errorBody(first);
    expect(firstBody.error).toMatch(/revise sus compras/);
    const second = await buy(h, { productos: [{ producto_id: 1, cantidad: 1 }] });
    expect(second.status).toBe(504);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(stockWrites(h)).toHaveLength(1);
    expect(slow.count).toBe(1);
  });
});
