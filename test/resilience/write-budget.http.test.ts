// The request budget. No write starts unless the remaining budget covers it: a purchase needs
// 2 x UPSTREAM_TIMEOUT_MS left (a stock write and the registration), every other write one
// UPSTREAM_TIMEOUT_MS (`validar`: RECETAS_OCR_TIMEOUT_MS when set). Otherwise the answer is 504
// UPSTREAM_TIMEOUT with details {stage: 'write_budget'} (no service to blame) and Retry-After, and
// nothing was written. And an upstream call is cut off when the budget runs out before its cap.
// The budget is spent by slow upstream reads, a slow DNS answer or a body that arrives slowly, each
// well under its own cap. The budget reads only Date.now(): one case spends it in real time, the
// others move the clock forward instead of waiting (simulated, Date only; timers stay real).
import { delay, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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

/** Date.now() jumps `ms` ahead: time passes for the budget without the test waiting for it. */
const spend = (ms: number) => vi.setSystemTime(Date.now() + ms);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Reads of `url` answer as usual, `ms` late (simulated unless `real`). */
const slowReads = (h: Harness, url: string, ms = SLOW_MS, real = false) =>
  h.msw.use(
    http.get(url, async () => {
      if (real) await delay(ms);
      else spend(ms);
      return undefined;
    }),
  );

/** A JSON body whose rest arrives `ms` after its first byte (simulated). */
function slowBody(json: unknown, ms: number): RequestInit {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes.subarray(0, 1));
        return;
      }
      spend(ms);
      controller.enqueue(bytes.subarray(1));
      controller.close();
    },
  });
  return { body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit;
}

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
/** `json` to `path`, sent at once or, with `slowMs`, slowly (its rest `slowMs` after the first byte). */
function sendJson(h: Harness, method: string, path: string, token: string, json: unknown, slowMs?: number, headers: Record<string, string> = {}) {
  const init = slowMs === undefined ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } } : slowBody(json, slowMs);
  return h.app.request(`${API}${path}`, { method, ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}`, ...headers } });
}

describe('a purchase whose reads leave less than 2 x UPSTREAM_TIMEOUT_MS', () => {
  const h = createHarness(TIGHT);
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('answers 504 write_budget with Retry-After, taking no stock and registering nothing (reads slow in real time)', async () => {
    const [stockBefore, purchasesBefore] = [stockOf(h, 1), purchaseCount(h)];
    slowReads(h, PRODUCT, SLOW_MS, true);
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
    spend(Math.min(dnsDelayMs, timeoutMs));
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
    /** Its status when it goes ahead. */
    success: number;
  }

  const cases: Record<string, WriteCase> = {
    'a task create (its body arrives slowly)': {
      slowDown: () => undefined,
      send: async (slow) => sendJson(h, 'POST', '/integration-tasks', await tokens.ana(), { name: 'Sync', config: CONFIG }, slow ? 2 * SLOW_MS : undefined),
      writes: () => h.writes('tareas'),
      state: anaTaskCount,
      success: 201,
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
      success: 200,
    },
    'a task execute (a slow ownership read, then slow DNS for its URL)': {
      slowDown: () => {
        slowReads(h, TASK_LIST);
        dnsDelayMs = SLOW_MS;
      },
      send: async () => h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}/execute`, { method: 'POST', token: await tokens.ana() }),
      writes: () => h.writes('tareas'),
      state: () => taskOf(SEED_TASK_IDS.anaPending)?.status,
      success: 202,
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
      success: 200,
    },
    "an ADMIN's rejection (its body arrives slowly, then a slow prescription read)": {
      slowDown: () => slowReads(h, RECETAS_READS),
      send: async (slow) =>
        sendJson(h, 'PUT', `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, await tokens.admin(), { estadovalidacion: 'RECHAZADA' }, slow ? SLOW_MS : undefined),
      writes: () => h.writes('recetas'),
      state: () => recetaState(SEED_RECETA_IDS.anaPendingValid),
      success: 200,
    },
    'an invoice batch (its body arrives slowly)': {
      slowDown: () => undefined,
      send: async (slow) =>
        sendJson(h, 'POST', '/facturas', await tokens.ana(), [{ numero_factura: 'F-000001', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: new Date().toISOString().slice(0, 10) }],
          slow ? 2 * SLOW_MS : undefined, { 'idempotency-key': 'lote-budget-1' }),
      writes: () => h.calls('facturas'),
      state: () => h.calls('facturas').length,
      success: 202,
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
    expect(response.status, await response.clone().text()).toBe(write.success);
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
    sendJson(h, 'PUT', `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, await tokens.ana(), { estadovalidacion: 'VALIDADA' }, bodyDelayMs);

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

describe('an upstream call when the budget left is shorter than UPSTREAM_TIMEOUT_MS', () => {
  // REQUEST_TIMEOUT_MS must exceed 2 x UPSTREAM_TIMEOUT_MS (a purchase's two writes), so the
  // budget is shorter than one call's cap only once something else has spent it: here a body that
  // takes 1900 of the 2100 ms to arrive, leaving about 200 ms for the first upstream call.
  const h = createHarness(TIGHT);
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('is given up when the budget runs out, not at its own cap: 504 naming the service', async () => {
    const heldFor: number[] = [];
    h.msw.use(
      http.get(`${BASE_URLS.recetas}/api/recetas/:id`, async ({ request }) => {
        const arrived = performance.now();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
        heldFor.push(performance.now() - arrived);
        return undefined;
      }),
    );
    const response = await sendJson(h, 'PUT', `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, await tokens.ana(), { estadovalidacion: 'VALIDADA' }, 1900);
    expect(response.status).toBe(504);
    expect(await errorBody(response)).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { service: 'recetas' } });
    // Given up when the budget ran out (about 200 ms, real timers), not at UPSTREAM_TIMEOUT_MS (1000 ms).
    expect(heldFor).toHaveLength(1);
    expect(heldFor[0]).toBeLessThan(800);
  });
});
