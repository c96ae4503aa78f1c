// What a caller sees when an upstream fails, hangs or answers nonsense: 503/504 in the uniform
// body (never the upstream's text), GET retried once on a network error, writes never retried,
// and a per-service breaker that opens on failures but never on 4xx answers.
import { HttpResponse, delay, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens, type Harness } from '../helpers/harness.js';

const MY_PURCHASES = `${BASE_URLS.usuarios}/api/compras/me`;
const SET_STATE = `${BASE_URLS.recetas}/api/recetas/estado/:id`;
const STACK_TRACE = 'java.lang.NullPointerException at com.botica.compras.CompraService(CompraService.java:42)';

const h = createHarness({
  UPSTREAM_TIMEOUT_MS: '200',
  REQUEST_TIMEOUT_MS: '1500',
  BREAKER_VOLUME_THRESHOLD: '4',
  BREAKER_ERROR_THRESHOLD_PERCENT: '50',
  BREAKER_RESET_TIMEOUT_MS: '500',
});
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const getMine = async (harness: Harness = h) => harness.request(`${API}/compras/me`, { token: await tokens.ana() });
const putState = async (estadovalidacion = 'VALIDADA') =>
  h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
    method: 'PUT',
    token: await tokens.ana(),
    json: { estadovalidacion },
  });
const ready = async () =>
  ((await (await h.request(`${API}/ready`)).json()) as { upstreams: Record<string, { breaker: string }> }).upstreams;

/** Overrides one upstream route, counting how often it is reached. */
function override(method: 'get' | 'put', url: string, answer: () => Response | undefined | Promise<Response | undefined>) {
  const counter = { attempts: 0 };
  h.msw.use(
    http[method](url, () => {
      counter.attempts += 1;
      return answer();
    }),
  );
  return counter;
}

async function expectUnavailable(response: Response, service: string) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  const text = await response.clone().text();
  expect(text).not.toContain('NullPointerException');
  expect(text).not.toContain('com.botica');
  expect(text).not.toContain('.test');
  const body = await errorBody(response);
  expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(body.details?.service).toBe(service);
  return body;
}

describe('upstream failures', () => {
  it('turns an upstream 500 into 503 without the upstream text', async () => {
    override('get', MY_PURCHASES, () => HttpResponse.text(STACK_TRACE, { status: 500 }));
    await expectUnavailable(await getMine(), 'usuarios');
  });

  it('turns a 500 on the prescription write into 503 naming recetas', async () => {
    override('put', SET_STATE, () => HttpResponse.json({ error: STACK_TRACE }, { status: 500 }));
    await expectUnavailable(await putState(), 'recetas');
  });

  it('turns a connection error into 503', async () => {
    override('get', MY_PURCHASES, () => HttpResponse.error());
    await expectUnavailable(await getMine(), 'usuarios');
  });

  it('turns malformed JSON into 503', async () => {
    override('get', MY_PURCHASES, () => new HttpResponse('[{"id": 1,', { headers: { 'content-type': 'application/json' } }));
    await expectUnavailable(await getMine(), 'usuarios');
  });

  it('turns JSON of the wrong shape into 503', async () => {
    override('get', MY_PURCHASES, () => HttpResponse.json({ compras: 'not a list' }));
    await expectUnavailable(await getMine(), 'usuarios');
  });

  it('turns a wrongly shaped write answer into 503', async () => {
    override('put', SET_STATE, () => HttpResponse.json({ mensaje: 'ok' }));
    await expectUnavailable(await putState(), 'recetas');
  });

  it('answers 504 UPSTREAM_TIMEOUT when an upstream hangs', async () => {
    override('get', MY_PURCHASES, async () => {
      await delay('infinite');
      return undefined;
    });
    const response = await getMine();
    expect(response.status).toBe(504);
    const body = await errorBody(response);
    expect(body.code).toBe('UPSTREAM_TIMEOUT');
    expect(body.details?.service).toBe('usuarios');
  });

  it('does not retry a GET that timed out', async () => {
    const hang = override('get', MY_PURCHASES, async () => {
      await delay('infinite');
      return undefined;
    });
    expect((await getMine()).status).toBe(504);
    expect(hang.attempts).toBe(1);
  });

  it('retries a GET once after a network error and answers 200', async () => {
    const flaky = override('get', MY_PURCHASES, () => (flaky.attempts === 1 ? HttpResponse.error() : undefined));
    const response = await getMine();
    expect(response.status).toBe(200);
    expect(flaky.attempts).toBe(2);
    expect(h.calls('usuarios').filter((call) => call.path === '/api/compras/me')).toHaveLength(1);
  });

  it('does not retry a GET that got a 5xx', async () => {
    const failing = override('get', MY_PURCHASES, () => HttpResponse.text(STACK_TRACE, { status: 502 }));
    expect((await getMine()).status).toBe(503);
    expect(failing.attempts).toBe(1);
  });

  it('never retries the prescription state write on a network error', async () => {
    const write = override('put', SET_STATE, () => HttpResponse.error());
    await expectUnavailable(await putState(), 'recetas');
    expect(write.attempts).toBe(1);
    expect(h.mocks.state.data.recetas.items.find((r) => r._id === SEED_RECETA_IDS.anaPendingValid)?.estadoValidacion).toBe(
      'pendiente',
    );
  });

  it('answers 504 when the state write hangs, without retrying it', async () => {
    const write = override('put', SET_STATE, async () => {
      await delay('infinite');
      return undefined;
    });
    const response = await putState('VALIDADA');
    expect(response.status).toBe(504);
    expect((await errorBody(response)).details?.service).toBe('recetas');
    expect(write.attempts).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('opens after enough failures, refuses calls fast, and closes after a good trial', async () => {
    const failing = override('get', MY_PURCHASES, () => HttpResponse.text(STACK_TRACE, { status: 500 }));
    for (let i = 0; i < 4; i++) expect((await getMine()).status).toBe(503);
    expect(failing.attempts).toBe(4);
    expect((await ready()).usuarios?.breaker).toBe('open');

    const refused = await getMine();
    await expectUnavailable(refused, 'usuarios');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(failing.attempts).toBe(4);

    // An open breaker does not make the gateway unready, and only that service is open.
    const readiness = await h.request(`${API}/ready`);
    expect(readiness.status).toBe(200);
    expect((await ready()).productos?.breaker).toBe('closed');

    h.msw.resetHandlers();
    await new Promise((resolve) => setTimeout(resolve, 650));
    expect((await getMine()).status).toBe(200);
    expect((await ready()).usuarios?.breaker).toBe('closed');
  });

  it('stays closed below the volume threshold', async () => {
    const failing = override('get', MY_PURCHASES, () => HttpResponse.text('nope', { status: 500 }));
    for (let i = 0; i < 3; i++) await getMine();
    expect((await ready()).usuarios?.breaker).toBe('closed');
    await getMine();
    expect(failing.attempts).toBe(4);
  });

  it('never opens on product 404s during prescription checks, even 20 times', async () => {
    const missing = override('get', `${BASE_URLS.productos}/api/productos/:id`, () =>
      HttpResponse.json({ detail: 'Producto no encontrado' }, { status: 404 }),
    );
    for (let i = 0; i < 20; i++) {
      const response = await putState('VALIDADA');
      expect(response.status).toBe(422);
    }
    expect(missing.attempts).toBe(40);
    expect((await ready()).productos?.breaker).toBe('closed');
    h.msw.resetHandlers();
    expect((await putState('VALIDADA')).status).toBe(200);
  });

  it('never opens on the users service answering 403, even 20 times', async () => {
    const denied = override('get', MY_PURCHASES, () =>
      HttpResponse.json({ timestamp: 'x', status: 403, error: 'Acceso denegado', message: 'Access Denied' }, { status: 403 }),
    );
    for (let i = 0; i < 20; i++) {
      const response = await getMine();
      expect(response.status).toBe(403);
      expect((await errorBody(response)).code).toBe('FORBIDDEN');
    }
    expect((await ready()).usuarios?.breaker).toBe('closed');
    await getMine();
    expect(denied.attempts).toBe(21);
  });
});

describe('request budget', () => {
  // REQUEST_TIMEOUT_MS must exceed 2 x UPSTREAM_TIMEOUT_MS (a purchase's two writes), so the
  // budget is shorter than one call's cap only once something else has spent it: here a body that
  // takes 1900 of the 2100 ms to arrive, leaving about 200 ms for the first upstream call.
  const tight = createHarness({ UPSTREAM_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2100' });
  beforeAll(() => {
    h.msw.close();
    tight.listen();
  });
  beforeEach(tight.reset);
  afterAll(() => {
    tight.close();
    h.listen();
  });

  it('caps an upstream call at the request budget when that is shorter', { timeout: 5000 }, async () => {
    const heldFor: number[] = [];
    tight.msw.use(
      http.get(`${BASE_URLS.recetas}/api/recetas/:id`, async ({ request }) => {
        const arrived = performance.now();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
        heldFor.push(performance.now() - arrived);
        return undefined;
      }),
    );
    const response = await tight.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: { estadovalidacion: 'VALIDADA' },
      bodyDelayMs: 1900,
    });
    expect(response.status).toBe(504);
    expect(await errorBody(response)).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { service: 'recetas' } });
    // Given up when the budget ran out (about 200 ms), not at UPSTREAM_TIMEOUT_MS (1000 ms).
    expect(heldFor).toHaveLength(1);
    expect(heldFor[0]).toBeLessThan(800);
  });
});
