// POST /compras when an upstream misbehaves, as the client sees it: status, code and headers, no
// upstream text in the answer, which calls the transport retries, the reconciliation log line, and
// the lock-wait metrics. What is written and given back in each case is checked on the use-case
// (register-purchase.use-case.test.ts).
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, BASE_URLS, createHarness, errorBody, TEST_SECRET, tokens } from '../helpers/harness.js';

const PRODUCT = `${BASE_URLS.productos}/api/productos/:id`;
const REGISTER = `${BASE_URLS.usuarios}/api/compras`;
const UPSTREAM_SECRET_TEXT = 'Traceback (most recent call last): db-primary.productos.internal:5432';
/** Ana buys 1 x2 and 5 x1 (no prescription needed). */
const BASKET = { productos: [{ producto_id: 1, cantidad: 2 }, { producto_id: 5, cantidad: 1 }] };

const hang = async () => {
  await delay('infinite');
  return HttpResponse.json({});
};

describe('POST /compras when an upstream fails', () => {
  // The double-submit guard is on here: a second click after an unknown outcome is replayed.
  const h = createHarness({ UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '1000', DOUBLE_SUBMIT_WINDOW_MS: '5000' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const buy = async (token?: string) => h.request(`${API}/compras`, { method: 'POST', token: token ?? (await tokens.ana()), json: BASKET });
  /** Counts the registration attempts that reached the users service (the override bypasses the mock's log). */
  function registration(answer: () => Response | Promise<Response>) {
    const attempts = { count: 0 };
    h.msw.use(http.post(REGISTER, () => (attempts.count++, answer())));
    return attempts;
  }

  it.each([
    ['answers 500', 503, () => new HttpResponse(UPSTREAM_SECRET_TEXT, { status: 500 })],
    ['drops the connection', 503, () => HttpResponse.error()],
    ['answers malformed JSON', 503, () => new HttpResponse(`{"id": 1, "nombre": "${UPSTREAM_SECRET_TEXT}`, { headers: { 'content-type': 'application/json' } })],
    ['answers the wrong shape', 503, () => HttpResponse.json({ id: 1, nombre: UPSTREAM_SECRET_TEXT, stock: 'muchos' })],
    ['does not answer', 504, hang],
  ])('answers a purchase whose product read %s with %i naming productos, Retry-After on a 503, and no upstream text', async (_name, status, resolver) => {
    h.msw.use(http.get(PRODUCT, resolver));
    const res = await buy();
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toEqual(status === 503 ? expect.stringMatching(/^\d+$/) : null);
    const text = await res.clone().text();
    expect(text).not.toContain('Traceback');
    expect(text).not.toContain('productos.internal');
    const body = await errorBody(res);
    expect([body.code, body.details?.['service']]).toEqual([status === 503 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_TIMEOUT', 'productos']);
  });

  it('retries a product read whose connection dropped once, and registers the purchase', async () => {
    h.msw.use(http.get(`${BASE_URLS.productos}/api/productos/1`, () => HttpResponse.error(), { once: true }));
    expect((await buy()).status).toBe(201);
    expect(h.calls('usuarios').filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it.each([
    ['answers 500', () => HttpResponse.json({ status: 500, error: 'Internal Server Error', message: 'NullPointerException' }, { status: 500 })],
    ['drops the connection', () => HttpResponse.error()],
  ])('answers 503 naming usuarios, without its text and without retrying the write, when registration %s', async (_name, resolver) => {
    const attempts = registration(resolver);
    const res = await buy();
    expect(res.status).toBe(503);
    const body = await errorBody(res);
    expect([body.code, body.details?.['service']]).toEqual(['UPSTREAM_UNAVAILABLE', 'usuarios']);
    expect(JSON.stringify(body)).not.toContain('NullPointerException');
    expect(attempts.count).toBe(1);
  });

  it('answers 403 FORBIDDEN when the users service refuses the registration', async () => {
    registration(() => HttpResponse.json({ status: 403, error: 'Acceso denegado', message: 'Access Denied' }, { status: 403 }));
    const res = await buy();
    expect(res.status).toBe(403);
    expect((await errorBody(res)).code).toBe('FORBIDDEN');
  });

  it.each([
    ['hangs', hang, 504, 'UPSTREAM_TIMEOUT', null],
    ['answers 2xx that cannot be read', () => new HttpResponse('<html>proxy</html>', { status: 200 }), 503, 'UPSTREAM_UNAVAILABLE', '1'],
  ] as const)('answers an unknown outcome (registration %s) naming usuarios with the logged request id and, on a second click, replays it', async (_name, resolver, status, code, retryAfter) => {
    const attempts = registration(resolver);
    const token = await tokens.ana();
    const res = await buy(token);
    expect([res.status, res.headers.get('retry-after')]).toEqual([status, retryAfter]);
    const body = await errorBody(res);
    expect([body.code, body.details?.['service']]).toEqual([code, 'usuarios']);
    expect(body.error).toMatch(/revise sus compras/);
    expect(JSON.stringify(body)).not.toContain('proxy');

    const reconciliation = h.logs.entries().filter((entry) => entry['level'] === 50 && entry['callerDni'] === '71234567');
    expect(reconciliation).toEqual([expect.objectContaining({ requestId: res.headers.get('x-request-id') })]);
    const logText = h.logs.text();
    for (const secret of [token, token.split('.')[2] as string, TEST_SECRET]) expect(logText).not.toContain(secret);
    expect(logText).not.toMatch(/Bearer\s+ey/);

    const again = await buy(token);
    expect([again.status, again.headers.get('idempotent-replayed'), (await errorBody(again)).code]).toEqual([status, 'true', code]);
    expect(attempts.count).toBe(1);
  });
});

describe('POST /compras while the products breaker is open', () => {
  const h = createHarness({ BREAKER_VOLUME_THRESHOLD: '2', BREAKER_RESET_TIMEOUT_MS: '60000' });
  beforeAll(h.listen);
  afterAll(h.close);

  it('answers 503 naming productos with the breaker Retry-After, sending nothing at all', async () => {
    const token = await tokens.ana();
    const buy = (json: unknown) => h.request(`${API}/compras`, { method: 'POST', token, json });
    h.msw.use(http.get(PRODUCT, () => new HttpResponse('down', { status: 500 })));
    for (let i = 0; i < 4 && h.deps.health.breakerStates().productos !== 'open'; i++) await buy(BASKET);
    expect(h.deps.health.breakerStates().productos).toBe('open');
    h.msw.resetHandlers();
    const seen = h.calls().length;
    const res = await buy({ productos: [{ producto_id: 3, cantidad: 1 }, { producto_id: 1, cantidad: 1 }] });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = await errorBody(res);
    expect([body.code, body.details]).toEqual(['UPSTREAM_UNAVAILABLE', { service: 'productos', reason: 'circuit_open' }]);
    expect(h.calls().slice(seen)).toEqual([]);
  });
});

// A buyer that waited for a product's stock lock until it could no longer afford its writes
// answers 504 {stage: stock_lock}: no service is named and the products service is not read for
// it, so its breaker and metrics count no timeout (the rule itself, batching on and off, is on the use-case).
describe('POST /compras after a stock-lock wait that spent the budget', () => {
  // Writes need 2 x 1000 ms. The first buyer holds the lock through a 700 ms stock write; the
  // others queued with ~2200 ms and are left ~1500 once they get it.
  const h = createHarness({ UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2200' });
  beforeAll(h.listen);
  afterAll(h.close);

  it('answers 504 stage stock_lock naming no service, and the metrics show no products timeout', async () => {
    h.msw.use(http.put(PRODUCT, async () => (await delay(700), undefined), { once: true }));
    const token = await tokens.ana();
    const buy = () => h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [2], cantidades: [1] } });
    const first = buy();
    await expect.poll(() => h.calls('productos').length, { timeout: 1000, interval: 2 }).toBe(1);
    const waiters = await Promise.all([buy(), buy(), buy()]);
    expect((await first).status).toBe(201);
    for (const response of waiters) {
      expect(response.status).toBe(504);
      const body = await errorBody(response);
      expect([body.code, body.details]).toEqual(['UPSTREAM_TIMEOUT', { stage: 'stock_lock' }]);
    }
    expect(h.calls('productos').map((call) => call.method)).toEqual(['GET', 'PUT']);
    const metrics = await (await h.request('/metrics')).text();
    expect(metrics).not.toMatch(/gateway_upstream_calls_total\{[^}]*service="productos"[^}]*outcome="timeout"/);
    expect(metrics).not.toMatch(/gateway_upstream_calls_total\{[^}]*outcome="timeout"[^}]*service="productos"/);
    expect(metrics).toMatch(/gateway_stock_lock_wait_seconds_count\{[^}]*outcome="acquired"[^}]*\} [1-9]/);
    expect(h.deps.health.breakerStates().productos).toBe('closed');
  });
});
