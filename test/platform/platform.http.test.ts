// Cross-cutting behaviour in the app (in process): health and readiness through the framework (the
// server's probe fast path: probe-fast-path.sockets), uniform 404s, the language of errors, the
// headers on every answer (nosniff, request id, Server-Timing), request-id and trace propagation,
// the upstream header allow-list, CORS without CORS_ORIGINS and log hygiene.
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, BASE_URLS, TEST_SECRET, createHarness, errorBody, expectUnauthenticated, tokens } from '../helpers/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const ALLOWED_UPSTREAM_HEADERS = ['authorization', 'x-request-id', 'traceparent', 'idempotency-key', 'content-type', 'accept'];
const SERVICES = ['usuarios', 'productos', 'recetas', 'tareas', 'facturas'];

const h = createHarness();
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

/** Ana's purchases: one call to the users service, then one per product on the products service. */
const getMine = async (headers: Record<string, string> = {}) =>
  h.request(`${API}/compras/me`, { token: await tokens.ana(), headers });

/** An admin validating Luis's prescription: users (patient check), products and prescriptions. */
const adminValidate = async (headers: Record<string, string> = {}) =>
  h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.luisPending}`, {
    method: 'PUT',
    token: await tokens.admin(),
    headers,
    json: { estadovalidacion: 'VALIDADA' },
  });

describe('health and readiness', () => {
  it.each(['health', 'echo'])('answers GET /%s without a token', async (path) => {
    const response = await h.request(`${API}/${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'healthy', service: 'orchestrator', message: expect.any(String) });
    expect(h.calls()).toEqual([]);
  });

  it.each(['health/', 'echo/', 'ready/'])('accepts a trailing slash on GET /%s', async (path) => {
    expect((await h.request(`${API}/${path}`)).status).toBe(200);
  });

  it('accepts a trailing slash on an authenticated GET', async () => {
    const response = await h.request(`${API}/compras/me/`, { token: await tokens.ana() });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('compras');
  });

  it('reports ready with every upstream breaker closed', async () => {
    const response = await h.request(`${API}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      upstreams: Object.fromEntries(SERVICES.map((service) => [service, { breaker: 'closed' }])),
      // No REDIS_URL: the embedded store, which is always reachable.
      coordination: { store: 'memory', status: 'up' },
    });
  });

  it('reports draining with 503 once shutdown starts, while health stays up', async () => {
    h.deps.health.startDraining();
    const response = await h.request(`${API}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'draining' });
    expect((await h.request(`${API}/health`)).status).toBe(200);
  });
});

describe('unknown routes', () => {
  it.each([`${API}/nope`, '/nope', `${API}/compras/me/extra`])('answers %s with a uniform 404 NOT_FOUND', async (path) => {
    for (const token of [undefined, await tokens.ana()]) {
      const response = await h.request(path, token ? { token } : {});
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = await errorBody(response);
      expect(body).toMatchObject({ code: 'NOT_FOUND', error: expect.any(String) });
    }
    expect(h.calls()).toEqual([]);
  });
});

describe('language of error messages', () => {
  const unknownReceta = async (headers: Record<string, string> = {}) =>
    errorBody(
      await h.request(`${API}/recetas/estado/aaaaaaaaaaaaaaaaaaaaaaaa`, {
        method: 'PUT',
        token: await tokens.ana(),
        json: { estadovalidacion: 'VALIDADA' },
        headers,
      }),
    );

  it('writes error in Spanish by default, in English for Accept-Language: en, with the same code and details', async () => {
    const spanish = await unknownReceta();
    const english = await unknownReceta({ 'accept-language': 'en-US' });
    expect(spanish.error).toBe('Receta aaaaaaaaaaaaaaaaaaaaaaaa no encontrada');
    expect(english.error).toBe('Prescription aaaaaaaaaaaaaaaaaaaaaaaa not found');
    expect(english.code).toBe(spanish.code);
    expect(english.details).toEqual(spanish.details);
    expect((await unknownReceta({ 'accept-language': 'fr, *;q=0.5' })).error).toBe(spanish.error);
  });

  it('words details.issues[].message in the language, keeping the paths', async () => {
    const invalid = async (headers: Record<string, string> = {}) =>
      errorBody(
        await h.request(`${API}/compras`, {
          method: 'POST',
          token: await tokens.ana(),
          json: { productos: [{ producto_id: 1, cantidad: 'dos' }, { producto_id: 2, cantidad: 1 }], cantidades: [1] },
          headers,
        }),
      );
    const spanish = (await invalid()).details?.issues as Array<{ path: string; message: string }>;
    const english = (await invalid({ 'accept-language': 'en' })).details?.issues as Array<{ path: string; message: string }>;
    expect(spanish.map((issue) => issue.path)).toEqual(english.map((issue) => issue.path));
    expect(spanish[0]).toEqual({ path: 'productos.0.cantidad', message: 'Entrada inválida: se esperaba número, recibido texto' });
    expect(english[0]).toEqual({ path: 'productos.0.cantidad', message: 'Invalid input: expected number, received string' });
  });

  it('names the element itself when no form of a line fits it (neither a line nor a product id)', async () => {
    const res = await h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { productos: ['uno'] }, headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    const issues = (await errorBody(res)).details?.issues as Array<{ path: string; message: string }>;
    expect(issues).toEqual([{ path: 'productos.0', message: expect.any(String) }]);
    expect(h.calls()).toEqual([]);
  });

  it('words 401s and unknown routes in Spanish too', async () => {
    const refused = await h.request(`${API}/compras/me`);
    // The uniform 401: WWW-Authenticate: Bearer, UNAUTHENTICATED, its request id, no upstream call.
    await expectUnauthenticated(h, refused.clone());
    expect((await errorBody(refused)).error).toBe('Falta el token de acceso (Authorization: Bearer)');
    const unknown = await errorBody(await h.request(`${API}/nope`, { headers: { 'accept-language': 'es-PE' } }));
    expect(unknown.error).toBe(`No existe la ruta GET ${API}/nope`);
  });
});

describe('response headers', () => {
  const TOTAL = /(^|,\s*)total;dur=\d+(\.\d+)?/;
  // Server-Timing (`total` always) is on every answer under the API, refusals included, and on nothing else.
  it.each<[string, number, () => Response | Promise<Response>, RegExp | null]>([
    ['probe', 200, () => h.request(`${API}/health`), TOTAL],
    ['authenticated read', 200, () => getMine(), TOTAL],
    ['catalogue page', 200, () => h.request(`${API}/productos/paged`), TOTAL],
    ['invalid body', 400, async () => h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { productos: [] } }), TOTAL],
    ['request without a token', 401, () => h.request(`${API}/compras/me`), TOTAL],
    ['request with a bad token', 401, () => h.request(`${API}/compras/me`, { token: 'not.a.jwt' }), TOTAL],
    ['unknown API route', 404, () => h.request(`${API}/nope`), TOTAL],
    ['body over the limit', 413, async () => h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json: { x: 'y'.repeat(110_000) } }), TOTAL],
    ['readiness while draining', 503, () => (h.deps.health.startDraining(), h.request(`${API}/ready`)), TOTAL],
    ['unknown route outside the API', 404, () => h.request('/nope'), null],
    ['metrics', 200, () => h.request('/metrics'), null],
    ['document', 200, () => h.request('/api/schema'), null],
  ])('the %s answers %i with nosniff and a request id, and Server-Timing only under the API', async (_name, status, send, timing) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    if (timing) expect(response.headers.get('server-timing')).toMatch(timing);
    else expect(response.headers.get('server-timing')).toBeNull();
  });

  it('names each upstream call of an answer that made some in Server-Timing', async () => {
    const res = await getMine();
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/usuarios;dur=[\d.]+;desc="listMyPurchases"/);
  });

  it.each([
    ['a valid client request id', 'abc-123_='],
    ['a request id of exactly 255 characters', 'a'.repeat(255)],
  ])('adopts %s and sends it on every upstream call', async (_name, id) => {
    const response = await getMine({ 'x-request-id': id });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(h.calls().length).toBeGreaterThan(1);
    for (const call of h.calls()) expect(call.headers['x-request-id']).toBe(id);
  });

  it('uses an adopted request id in error bodies', async () => {
    const response = await h.request(`${API}/compras/me`, { headers: { 'x-request-id': 'client-id-1' } });
    expect((await errorBody(response)).requestId).toBe('client-id-1');
  });

  it.each([
    ['spaces', 'has some spaces'],
    ['256 characters', 'a'.repeat(256)],
    ['markup', '<script>'],
  ])('replaces a request id with %s by a UUID, also upstream', async (_name, id) => {
    const response = await getMine({ 'x-request-id': id });
    const generated = response.headers.get('x-request-id');
    expect(generated).toMatch(UUID);
    for (const call of h.calls()) expect(call.headers['x-request-id']).toBe(generated);
  });

  it('gives each request its own generated id', async () => {
    const first = (await h.request(`${API}/health`)).headers.get('x-request-id');
    const second = (await h.request(`${API}/health`)).headers.get('x-request-id');
    expect(first).not.toBe(second);
  });

  it('propagates an incoming traceparent to every upstream call with the same trace id', async () => {
    expect((await adminValidate({ traceparent: TRACEPARENT })).status).toBe(200);
    const services = new Set(h.calls().map((call) => call.service));
    expect([...services].sort()).toEqual(['productos', 'recetas', 'usuarios']);
    for (const call of h.calls()) {
      expect(call.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    }
  });
});

describe('headers sent upstream', () => {
  const hostile = { cookie: 'session=abc', 'x-forwarded-for': '10.0.0.1', 'x-api-key': 'k-123', 'x-custom': 'y' };

  it('forwards only allow-listed headers', async () => {
    expect((await getMine(hostile)).status).toBe(200);
    expect((await adminValidate(hostile)).status).toBe(200);
    expect(h.calls().length).toBeGreaterThan(3);
    for (const call of h.calls()) {
      for (const name of Object.keys(call.headers)) {
        expect(ALLOWED_UPSTREAM_HEADERS, `${call.service} got ${name}`).toContain(name);
      }
    }
  });

  it('sends Authorization to the users service but not to products or prescriptions', async () => {
    const token = await tokens.admin();
    await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.luisPending}`, {
      method: 'PUT',
      token,
      json: { estadovalidacion: 'VALIDADA' },
    });
    const byService = (service: string) => h.calls().filter((call) => call.service === service);
    expect(byService('usuarios').length).toBeGreaterThan(0);
    for (const call of byService('usuarios')) expect(call.headers.authorization).toBe(`Bearer ${token}`);
    for (const service of ['productos', 'recetas']) {
      expect(byService(service).length).toBeGreaterThan(0);
      for (const call of byService(service)) expect(call.headers).not.toHaveProperty('authorization');
    }
  });
});

// With CORS_ORIGINS (and BODY_LIMIT_BYTES): body-limit-and-cors.http.
describe('without CORS_ORIGINS', () => {
  it('gives no Access-Control-Allow-Origin to any origin', async () => {
    const preflight = await h.request(`${API}/compras`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await h.request(`${API}/health`, { headers: { origin: 'https://app.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('logs', () => {
  it('never contain a token, a Bearer value or the secret, even on failures', async () => {
    const good = await tokens.ana();
    const forged = `${good.slice(0, -4)}AAAA`;
    await getMine({ 'x-request-id': 'log-check' });
    await h.request(`${API}/compras/me`, { token: forged });
    await h.request(`${API}/compras/me`, { headers: { authorization: 'Bearer not-a-token' } });
    h.msw.use(http.get(`${BASE_URLS.usuarios}/api/compras/me`, () => HttpResponse.text('boom', { status: 500 })));
    expect((await getMine()).status).toBe(503);
    h.msw.use(http.get(`${BASE_URLS.usuarios}/api/compras/me`, () => HttpResponse.error()));
    expect((await getMine()).status).toBe(503);

    const text = h.logs.text();
    expect(text).toContain('log-check');
    expect(h.logs.entries().some((entry) => entry.level === 50)).toBe(true);
    expect(text).not.toContain(good);
    expect(text).not.toContain(good.split('.')[2]);
    expect(text).not.toContain(forged);
    expect(text).not.toContain('not-a-token');
    expect(text).not.toMatch(/bearer/i);
    expect(text).not.toContain(TEST_SECRET);
  });
});
