// The write budget: no write starts unless the request's remaining budget covers it. A purchase
// needs 2 x UPSTREAM_TIMEOUT_MS left (a stock write and the registration); every other write one
// UPSTREAM_TIMEOUT_MS (`validar`: RECETAS_OCR_TIMEOUT_MS when set). Otherwise the answer is 504
// UPSTREAM_TIMEOUT with details {stage: 'write_budget'} (no service to blame) and Retry-After, and
// nothing was written. The budget is spent by slow upstream reads (msw delays), a slow DNS answer
// or a body that arrives slowly; each stays well under its own cap, so only the rule can refuse.
import { setTimeout as sleep } from 'node:timers/promises';
import { delay, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS, SEED_TASK_IDS } from '../../mocks/index.js';
import { fakeResolveHost } from '../helpers/fake-dns.js';
import { API, BASE_URLS, createHarness, errorBody, tokens, type Harness } from '../helpers/harness.js';

/** UPSTREAM_TIMEOUT_MS 1000: a purchase needs 2000 ms left, any other write 1000 ms. */
const TIGHT = { UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2100' };
/** Each slow read or DNS answer: well under the 1000 ms cap of one call. */
const SLOW_MS = 600;

const PRODUCT = `${BASE_URLS.productos}/api/productos/:id`;
const TASK_LIST = `${BASE_URLS.tareas}/integration-tasks/get_tasks/`;
const RECETAS_READS = `${BASE_URLS.recetas}/api/*`;
const CONFIG = { base_url: 'https://api.example.com/sync', http_method: 'POST', payload: { almacen: 'norte' } };

/** Reads of `url` answer as usual, `ms` late. */
const slowReads = (h: Harness, url: string, ms = SLOW_MS) =>
  h.msw.use(
    http.get(url, async () => {
      await delay(ms);
      return undefined;
    }),
  );

async function expectWriteBudgetRefusal(response: Response, text: RegExp) {
  expect(response.status).toBe(504);
  expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  const body = await errorBody(response);
  expect(body.code).toBe('UPSTREAM_TIMEOUT');
  // Exactly the stage: no upstream failed, so none is named.
  expect(body.details).toEqual({ stage: 'write_budget' });
  expect(body.error).toMatch(text);
}

const stockOf = (h: Harness, id: number) => h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock;
const purchaseCount = (h: Harness) => h.mocks.state.data.usuarios.compras.length;
const buy = async (h: Harness, json: unknown, key?: string) =>
  h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json, headers: key ? { 'idempotency-key': key } : {} });

describe('a purchase whose reads leave less than 2 x UPSTREAM_TIMEOUT_MS', () => {
  const h = createHarness(TIGHT);
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('answers 504 write_budget with Retry-After, taking no stock and registering nothing', async () => {
    const [stockBefore, purchasesBefore] = [stockOf(h, 1), purchaseCount(h)];
    slowReads(h, PRODUCT);
    const response = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] });
    await expectWriteBudgetRefusal(response, /No queda tiempo para completar la compra/);

    // The checks ran; no write followed them.
    expect(h.calls('productos').map((call) => `${call.method} ${call.path}`)).toEqual(['GET /api/productos/1']);
    expect(h.writes('productos')).toEqual([]);
    expect(h.writes('usuarios')).toEqual([]);
    expect(stockOf(h, 1)).toBe(stockBefore);
    expect(purchaseCount(h)).toBe(purchasesBefore);
    // Nothing was started, so there is no unknown outcome to reconcile.
    expect(h.logs.text()).not.toMatch(/outcome unknown/);
  });

  it('leaves a keyed purchase free to be retried: the retry with the same key registers it once', async () => {
    const stockBefore = stockOf(h, 1) as number;
    slowReads(h, PRODUCT);
    await expectWriteBudgetRefusal(await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'budget-1'), /compra/);
    expect(h.writes()).toEqual([]);

    h.msw.resetHandlers();
    const retried = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] }, 'budget-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(h.writes('productos')).toHaveLength(1);
    expect(h.writes('usuarios')).toHaveLength(1);
    expect(stockOf(h, 1)).toBe(stockBefore - 2);
  });
});

describe('a purchase with 2 x UPSTREAM_TIMEOUT_MS left after the same slow reads', () => {
  const h = createHarness({ UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '3000' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('takes the stock and registers the purchase (201)', async () => {
    const stockBefore = stockOf(h, 1) as number;
    slowReads(h, PRODUCT);
    const response = await buy(h, { productos: [{ producto_id: 1, cantidad: 2 }] });
    expect(response.status).toBe(201);
    expect(h.writes('productos')).toMatchObject([{ method: 'PUT', path: '/api/productos/1' }]);
    expect(h.writes('usuarios')).toMatchObject([{ method: 'POST', path: '/api/compras', body: { productos: [1], cantidades: [2] } }]);
    expect(stockOf(h, 1)).toBe(stockBefore - 2);
  });
});

describe('every other write, which needs UPSTREAM_TIMEOUT_MS left', () => {
  // The SSRF guard's look-ups of task hosts answer as the fake DNS does, `dnsDelayMs` late.
  let dnsDelayMs = 0;
  const slowDns = async (host: string, timeoutMs: number) => {
    await sleep(Math.min(dnsDelayMs, timeoutMs));
    return fakeResolveHost(host);
  };
  const h = createHarness(TIGHT, { resolveHost: slowDns });
  beforeAll(h.listen);
  beforeEach(() => {
    h.reset();
    dnsDelayMs = 0;
  });
  afterAll(h.close);

  const recetaState = (id: string) => h.mocks.state.data.recetas.items.find((item) => item._id === id)?.estadoValidacion;
  const taskOf = (id: number) => h.mocks.state.data.tareas.items.find((item) => item.tarea.id === id)?.tarea;
  const anaTaskCount = () => h.mocks.state.data.tareas.items.filter((item) => item.ownerDni === SEED_DNI.ana).length;

  interface WriteCase {
    /** What spends the budget (for the refusal); the write itself, sent slowly or not. */
    slowDown: () => void;
    send: (slow: boolean) => Promise<Response>;
    /** The upstream writes this use-case makes when it goes ahead. */
    writes: () => unknown[];
    /** The stored state it would change, to check it did not. */
    state: () => unknown;
  }

  const cases: Record<string, WriteCase> = {
    'a task create (its body arrives slowly)': {
      slowDown: () => undefined,
      send: async (slow) =>
        h.request(`${API}/integration-tasks`, {
          method: 'POST',
          token: await tokens.ana(),
          json: { name: 'Sync', config: CONFIG },
          ...(slow ? { bodyDelayMs: 2 * SLOW_MS } : {}),
        }),
      writes: () => h.writes('tareas'),
      state: anaTaskCount,
    },
    'a task update (slow DNS for its URL, then a slow ownership read)': {
      slowDown: () => {
        dnsDelayMs = SLOW_MS;
        slowReads(h, TASK_LIST);
      },
      send: async () =>
        h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}`, {
          method: 'PUT',
          token: await tokens.ana(),
          json: { name: 'Renombrada', config: CONFIG },
        }),
      writes: () => h.writes('tareas'),
      state: () => taskOf(SEED_TASK_IDS.anaPending)?.task_name,
    },
    'a task execute (a slow ownership read, then slow DNS for its URL)': {
      slowDown: () => {
        slowReads(h, TASK_LIST);
        dnsDelayMs = SLOW_MS;
      },
      send: async () => h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}/execute`, { method: 'POST', token: await tokens.ana() }),
      writes: () => h.writes('tareas'),
      state: () => taskOf(SEED_TASK_IDS.anaPending)?.status,
    },
    'a prescription validation (a slow prescription read, then a slow doctor check)': {
      slowDown: () => slowReads(h, RECETAS_READS),
      send: async () =>
        h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
          method: 'PUT',
          token: await tokens.ana(),
          json: { estadovalidacion: 'VALIDADA' },
        }),
      writes: () => h.writes('recetas'),
      state: () => recetaState(SEED_RECETA_IDS.anaPendingValid),
    },
    "an ADMIN's rejection (its body arrives slowly, then a slow prescription read)": {
      slowDown: () => slowReads(h, RECETAS_READS),
      send: async (slow) =>
        h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
          method: 'PUT',
          token: await tokens.admin(),
          json: { estadovalidacion: 'RECHAZADA' },
          ...(slow ? { bodyDelayMs: SLOW_MS } : {}),
        }),
      writes: () => h.writes('recetas'),
      state: () => recetaState(SEED_RECETA_IDS.anaPendingValid),
    },
    'an invoice batch (its body arrives slowly)': {
      slowDown: () => undefined,
      send: async (slow) =>
        h.request(`${API}/facturas`, {
          method: 'POST',
          token: await tokens.ana(),
          headers: { 'idempotency-key': 'lote-budget-1' },
          json: [{ numero_factura: 'F-000001', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: new Date().toISOString().slice(0, 10) }],
          ...(slow ? { bodyDelayMs: 2 * SLOW_MS } : {}),
        }),
      writes: () => h.calls('facturas'),
      state: () => h.calls('facturas').length,
    },
  };

  it.each(Object.keys(cases))('answers 504 write_budget with Retry-After and sends nothing: %s', async (name) => {
    const write = cases[name] as WriteCase;
    const before = write.state();
    write.slowDown();
    await expectWriteBudgetRefusal(await write.send(true), /No queda tiempo para completar la operación/);
    expect(write.writes()).toEqual([]);
    expect(write.state()).toEqual(before);
  });

  it.each(Object.keys(cases))('sends the same write when the budget covers it: %s', async (name) => {
    const write = cases[name] as WriteCase;
    const response = await write.send(false);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    expect(write.writes()).toHaveLength(1);
  });
});

describe('`validar` with RECETAS_OCR_TIMEOUT_MS, which needs the OCR cap left', () => {
  // The validation's budget is max(REQUEST_TIMEOUT_MS, 4000 + 2000) = 6000 ms; `validar` needs 4000.
  const h = createHarness({ ...TIGHT, RECETAS_API: 'validar', RECETAS_OCR_TIMEOUT_MS: '4000' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const validate = async (bodyDelayMs?: number) =>
    h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: { estadovalidacion: 'VALIDADA' },
      ...(bodyDelayMs !== undefined ? { bodyDelayMs } : {}),
    });

  it('does not call validar with more than UPSTREAM_TIMEOUT_MS but less than the OCR cap left', async () => {
    // About 3500 ms left: enough for an ordinary write, not for the OCR call.
    await expectWriteBudgetRefusal(await validate(2500), /No queda tiempo/);
    expect(h.writes('recetas')).toEqual([]);
    expect(h.mocks.state.data.recetas.items.find((item) => item._id === SEED_RECETA_IDS.anaPendingValid)?.estadoValidacion).toBe('pendiente');
  });

  it('calls validar when the OCR cap fits', async () => {
    expect((await validate()).status).toBe(200);
    expect(h.writes('recetas')).toMatchObject([{ method: 'PUT', path: `/api/recetas/${SEED_RECETA_IDS.anaPendingValid}/validar` }]);
  });
});
