// A purchase that waited for a product's stock lock until it could no longer afford its writes
// answers 504 UPSTREAM_TIMEOUT with details exactly {stage: "stock_lock"}: no service is named, the
// products service is not read for it, and its breaker and metrics count no timeout. Before, such a
// buyer read the products with whatever the wait had left; a read cut short by the request's
// deadline came back as "productos did not answer in time" (details.service: productos) and counted
// against the products breaker, though the service answered every call well within its own cap.
import { delay, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

// A purchase needs 2 x 1000 ms left for its writes. The first buyer holds the lock through its
// stock write (700 ms, under the 1000 ms cap); the others queued with ~2200 ms and are left ~1500.
const BUDGET = { UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2200' };
const STOCK_WRITE_MS = 700;
const WAITERS = 3;
const IBUPROFENO = 2;

describe.each(['on', 'off'])('STOCK_BATCHING=%s', (batching) => {
  const h = createHarness({ ...BUDGET, STOCK_BATCHING: batching });
  beforeAll(() => h.listen());
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('buyers whose budget the lock wait spent answer 504 stage stock_lock, naming no service, and are not read', async () => {
    h.msw.use(
      http.put(
        `${BASE_URLS.productos}/api/productos/:id`,
        async () => {
          await delay(STOCK_WRITE_MS);
          return undefined;
        },
        { once: true },
      ),
    );
    const token = await tokens.ana();
    const buy = () => h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [IBUPROFENO], cantidades: [1] } });

    const first = buy();
    // The first buyer holds the lock from its read (recorded at once) through its slow stock write.
    await expect.poll(() => h.calls('productos').length, { timeout: 1000, interval: 2 }).toBe(1);
    const waiters = await Promise.all(Array.from({ length: WAITERS }, buy));

    expect((await first).status).toBe(201);
    for (const response of waiters) {
      expect(response.status).toBe(504);
      const body = await errorBody(response);
      expect(body.code).toBe('UPSTREAM_TIMEOUT');
      expect(body.details).toEqual({ stage: 'stock_lock' });
    }
    // Only the first buyer read and wrote the product; nothing was written for the others.
    expect(h.calls('productos').map((call) => call.method)).toEqual(['GET', 'PUT']);
    expect(h.writes('usuarios')).toHaveLength(1);

    const metrics = await (await h.request('/metrics')).text();
    expect(metrics).not.toMatch(/gateway_upstream_calls_total\{[^}]*service="productos"[^}]*outcome="timeout"/);
    expect(metrics).not.toMatch(/gateway_upstream_calls_total\{[^}]*outcome="timeout"[^}]*service="productos"/);
    expect(metrics).toMatch(/gateway_stock_lock_wait_seconds_count\{[^}]*outcome="acquired"[^}]*\} [1-9]/);
  });
});

describe('a queue of buyers, one lock hold each (STOCK_BATCHING=off)', () => {
  // Reads take 100 ms and the first stock write 200 ms, each far under the 300 ms cap; a purchase
  // needs 600 ms left for its writes. The buyers queued behind the first each held the lock for a
  // read; the later ones got the lock with less budget left than a read takes.
  const h = createHarness({ UPSTREAM_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '800', STOCK_BATCHING: 'off' });
  beforeAll(() => h.listen());
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('never blames the products service for the budget the lock wait spent', async () => {
    const product = `${BASE_URLS.productos}/api/productos/:id`;
    h.msw.use(
      http.put(product, async () => {
        await delay(200);
        return undefined;
      }),
      http.get(product, async () => {
        await delay(100);
        return undefined;
      }),
    );
    const token = await tokens.ana();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [IBUPROFENO], cantidades: [1] } }),
      ),
    );
    for (const response of answers) {
      if (response.status === 201) continue;
      expect(response.status).toBe(504);
      const body = await errorBody(response);
      expect(body.details).not.toHaveProperty('service');
    }
    const metrics = await (await h.request('/metrics')).text();
    expect(metrics).not.toMatch(/gateway_upstream_calls_total\{[^}]*outcome="timeout"/);
    expect(h.deps.health.breakerStates().productos).toBe('closed');
  });
});
