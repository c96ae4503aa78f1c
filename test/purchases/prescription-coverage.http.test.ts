// A prescription authorises its quantities once: what the caller was already dispensed since the
// prescription is counted, from the users service's purchase history, read only when it matters.
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPSTREAM_TIMEOUT_MS: '1000', BREAKER_VOLUME_THRESHOLD: '2', BREAKER_RESET_TIMEOUT_MS: '60000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const AMOXICILINA = 3; // needs a prescription; Ana's validated one (5 days old) lists 2 units
const PARACETAMOL = 1; // needs none

const stockOf = (id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const registrations = () => h.calls('usuarios').filter((call) => call.method === 'POST' && call.path === '/api/compras');
const historyReads = () => h.calls('usuarios').filter((call) => call.method === 'GET' && call.path === '/api/compras/me');

async function buy(lines: Array<[id: number, cantidad: number]>, headers: Record<string, string> = {}) {
  return h.request(`${API}/compras`, {
    method: 'POST',
    token: await tokens.ana(),
    json: { productos: lines.map(([producto_id, cantidad]) => ({ producto_id, cantidad })) },
    headers,
  });
}

describe('a prescription is used up', () => {
  it('pays for one purchase of its 2 units, not three (the attack), and the refusals write nothing', async () => {
    expect((await buy([[AMOXICILINA, 2]])).status).toBe(201);
    for (let attempt = 0; attempt < 2; attempt++) {
      const writesBefore = h.writes().length;
      const res = await buy([[AMOXICILINA, 2]]);
      expect(res.status).toBe(422);
      const body = await errorBody(res);
      expect(body.code).toBe('PRESCRIPTION_REQUIRED');
      expect(body.details).toEqual({
        productos_sin_receta: ['Amoxicilina 500mg'],
        cobertura: [{ producto_id: AMOXICILINA, recetado: 2, dispensado: 2, solicitado: 2 }],
      });
      expect(h.writes().slice(writesBefore)).toEqual([]);
    }
    expect(registrations()).toHaveLength(1);
    expect(stockOf(AMOXICILINA)).toBe(38);
  });

  it('covers the rest of a partly used prescription and nothing beyond it', async () => {
    expect((await buy([[AMOXICILINA, 1]])).status).toBe(201);
    expect((await buy([[AMOXICILINA, 1], [PARACETAMOL, 1]])).status).toBe(201);
    const res = await buy([[AMOXICILINA, 1]]);
    expect(res.status).toBe(422);
    expect((await errorBody(res)).details).toMatchObject({
      cobertura: [{ producto_id: AMOXICILINA, recetado: 2, dispensado: 2, solicitado: 1 }],
    });
    expect(registrations()).toHaveLength(2);
  });

  it('does not count a purchase made before the prescription was issued', async () => {
    // Ana's seeded purchase 20 days ago took one amoxicilina, before her 5-day-old prescription.
    expect(h.mocks.state.data.usuarios.compras.some((compra) => compra.productos.includes(AMOXICILINA))).toBe(true);
    expect((await buy([[AMOXICILINA, 2]])).status).toBe(201);
  });

  it('lets two concurrent purchases spend it once: one 201, one 422, one decrement, one registration', async () => {
    const answers = await Promise.all([buy([[AMOXICILINA, 2]]), buy([[AMOXICILINA, 2]])]);
    expect(answers.map((res) => res.status).sort()).toEqual([201, 422]);
    expect(registrations()).toHaveLength(1);
    expect(stockOf(AMOXICILINA)).toBe(38);
  });

  it('serialises the same across many concurrent one-unit purchases: exactly two succeed', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => buy([[AMOXICILINA, 1]])));
    expect(answers.map((res) => res.status).filter((status) => status === 201)).toHaveLength(2);
    expect(answers.map((res) => res.status).filter((status) => status === 422)).toHaveLength(4);
    expect(stockOf(AMOXICILINA)).toBe(38);
  });

  it('lets a keyed purchase count with its one history read', async () => {
    expect((await buy([[AMOXICILINA, 2]], { 'Idempotency-Key': 'rx-1' })).status).toBe(201);
    expect(historyReads()).toHaveLength(1);
    expect((await buy([[AMOXICILINA, 1]], { 'Idempotency-Key': 'rx-2' })).status).toBe(422);
    expect(historyReads()).toHaveLength(2);
  });
});

describe('the purchase history is read only when it can matter', () => {
  it('is not read for an unkeyed purchase of products no prescription of the caller lists', async () => {
    expect((await buy([[PARACETAMOL, 2]])).status).toBe(201);
    expect(historyReads()).toHaveLength(0);
  });

  it('is read once for a purchase of a prescribed product', async () => {
    expect((await buy([[AMOXICILINA, 1], [PARACETAMOL, 1]])).status).toBe(201);
    expect(historyReads()).toHaveLength(1);
  });

  it('failing, fails a prescription purchase before any write (503 usuarios)', async () => {
    h.msw.use(http.get(`${BASE_URLS.usuarios}/api/compras/me`, () => new HttpResponse('db down', { status: 500 })));
    const res = await buy([[AMOXICILINA, 1]]);
    expect(res.status).toBe(503);
    expect((await errorBody(res)).details).toMatchObject({ service: 'usuarios' });
    expect(h.writes()).toEqual([]);
  });

  it('is not read, and no prescription is, for a prescription-only product no prescription lists', async () => {
    const res = await h.request(`${API}/compras`, {
      method: 'POST',
      token: await tokens.pedro(),
      json: { productos: [{ producto_id: AMOXICILINA, cantidad: 1 }] },
    });
    expect(res.status).toBe(422);
    expect((await errorBody(res)).details).toEqual({
      productos_sin_receta: ['Amoxicilina 500mg'],
      cobertura: [{ producto_id: AMOXICILINA, recetado: 0, dispensado: 0, solicitado: 1 }],
    });
    expect(historyReads()).toHaveLength(0);
    expect(h.writes()).toEqual([]);
  });
});

describe('an open breaker costs no upstream call', () => {
  async function openBreaker(service: 'productos' | 'usuarios' | 'recetas', url: string) {
    h.msw.use(http.get(url, () => new HttpResponse('down', { status: 500 })));
    for (let i = 0; i < 4 && h.deps.health.breakerStates()[service] !== 'open'; i++) {
      // Only a prescription purchase reads prescriptions and history; any purchase reads products.
      await buy(service === 'productos' ? [[PARACETAMOL, 1]] : [[AMOXICILINA, 1]]);
    }
    expect(h.deps.health.breakerStates()[service]).toBe('open');
    h.msw.resetHandlers();
    return h.calls().length;
  }

  it.each([
    ['productos', `${BASE_URLS.productos}/api/productos/:id`],
    ['usuarios', `${BASE_URLS.usuarios}/api/compras/me`],
  ] as const)('with the %s breaker open, a purchase is 503 and sends nothing at all', async (service, url) => {
    const seen = await openBreaker(service, url);
    const res = await buy([[AMOXICILINA, 1], [PARACETAMOL, 1]]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await errorBody(res)).details).toMatchObject({ service });
    expect(h.calls().slice(seen)).toEqual([]);
  });

  it('with the recetas breaker open, a purchase needing no prescription reads neither prescriptions nor history', async () => {
    const seen = await openBreaker('recetas', `${BASE_URLS.recetas}/api/recetas/filter`);
    expect((await buy([[PARACETAMOL, 1]])).status).toBe(201);
    const calls = h.calls().slice(seen).map((call) => `${call.method} ${call.path}`);
    expect(calls.filter((call) => call.includes('/api/recetas') || call.includes('/api/compras/me'))).toEqual([]);
  });

  it('with the recetas breaker open, a prescription purchase is 503 recetas with no write', async () => {
    const seen = await openBreaker('recetas', `${BASE_URLS.recetas}/api/recetas/filter`);
    const res = await buy([[AMOXICILINA, 1]]);
    expect(res.status).toBe(503);
    expect((await errorBody(res)).details).toMatchObject({ service: 'recetas' });
    expect(h.calls().slice(seen).filter((call) => call.method !== 'GET')).toEqual([]);
  });
});
