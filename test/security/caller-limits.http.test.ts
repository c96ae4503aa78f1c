// Per-caller limits with the limits on: purchases in progress at once and writes per sliding
// minute, what counts and what does not, and that nothing over a limit reaches an upstream.
import { delay, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_PASSWORDS, SEED_RECETA_IDS, SEED_TASK_IDS } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

const PURCHASE = { productos: [{ producto_id: 1, cantidad: 1 }] };

describe('PURCHASES_IN_FLIGHT_PER_CALLER', () => {
  const h = createHarness({ PURCHASES_IN_FLIGHT_PER_CALLER: '2', WRITES_PER_MINUTE_PER_CALLER: '0' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('answers a third concurrent purchase of one caller 429 in_flight with Retry-After: 1, calling nothing for it', async () => {
    h.msw.use(
      http.get(`${BASE_URLS.productos}/api/productos/:id`, async () => {
        await delay(150);
        return undefined;
      }),
    );
    const token = await tokens.ana();
    const send = (producto_id: number) =>
      h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [{ producto_id, cantidad: 1 }] } });
    const answers = await Promise.all([send(1), send(2), send(5)]);
    expect(answers.map((res) => res.status).sort()).toEqual([201, 201, 429]);
    const refused = answers.find((res) => res.status === 429) as Response;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await errorBody(refused)).details).toEqual({ limit: 'in_flight' });
    expect(h.writes('usuarios')).toHaveLength(2);
    // Another caller is not held back by Ana's purchases.
    expect((await h.request(`${API}/compras`, { method: 'POST', token: await tokens.luis(), json: PURCHASE })).status).toBe(201);
  });
});

describe('WRITES_PER_MINUTE_PER_CALLER', () => {
  const h = createHarness({ WRITES_PER_MINUTE_PER_CALLER: '3', PURCHASES_IN_FLIGHT_PER_CALLER: '0' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const buy = async (key?: string) =>
    h.request(`${API}/compras`, {
      method: 'POST',
      token: await tokens.ana(),
      json: PURCHASE,
      headers: key ? { 'idempotency-key': key } : {},
    });

  it('answers the fourth write of a minute 429 per_minute with Retry-After, reaching no upstream', async () => {
    for (let i = 0; i < 3; i += 1) expect((await buy()).status).toBe(201);
    const calls = h.calls().length;
    const refused = await buy();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await errorBody(refused)).details).toEqual({ limit: 'per_minute' });
    expect(h.calls()).toHaveLength(calls);
    // Reads are not limited, and each caller has a count of their own.
    expect((await h.request(`${API}/compras/me`, { token: await tokens.ana() })).status).toBe(200);
    expect((await h.request(`${API}/compras`, { method: 'POST', token: await tokens.luis(), json: PURCHASE })).status).toBe(201);
  });

  it('counts writes of every kind, and a refused write (404, 409) counts too', async () => {
    const token = await tokens.ana();
    const outOfStock = await h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [{ producto_id: 7, cantidad: 1 }] } });
    expect(outOfStock.status).toBe(409);
    const execute = await h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}/execute`, { method: 'POST', token });
    expect(execute.status).toBe(202);
    const state = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token,
      json: { estadovalidacion: 'VALIDADA' },
    });
    expect(state.status).toBe(200);
    const task = await h.request(`${API}/integration-tasks`, {
      method: 'POST',
      token,
      json: { name: 'x', config: { base_url: 'https://api.example.com', http_method: 'GET' } },
    });
    expect(task.status).toBe(429);
  });

  it('neither counts nor limits what is refused before any upstream call (400, 403)', async () => {
    const token = await tokens.ana();
    for (let i = 0; i < 5; i += 1) {
      expect((await h.request(`${API}/compras`, { method: 'POST', token, json: { productos: [] } })).status).toBe(400);
      const forbidden = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
        method: 'PUT',
        token,
        json: { estadovalidacion: 'RECHAZADA' },
      });
      expect(forbidden.status).toBe(403);
    }
    expect((await buy()).status).toBe(201);
  });

  it('answers replays even over the limit, and never counts them', async () => {
    expect((await buy('rep-1')).status).toBe(201);
    for (let i = 0; i < 4; i += 1) {
      const replay = await buy('rep-1');
      expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    }
    expect((await buy()).status).toBe(201);
    expect((await buy()).status).toBe(201);
    expect((await buy()).status).toBe(429);
    const replay = await buy('rep-1');
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
  });
});

describe('the limits without them', () => {
  const h = createHarness({ WRITES_PER_MINUTE_PER_CALLER: '0', PURCHASES_IN_FLIGHT_PER_CALLER: '0' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  it('lets 0 mean no limit (70 writes of one caller, over the default 60, sent at once)', async () => {
    const token = await tokens.ana();
    const execute = () => h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}/execute`, { method: 'POST', token });
    const answers = await Promise.all(Array.from({ length: 70 }, execute));
    expect(answers.map((res) => res.status)).toEqual(Array.from({ length: 70 }, () => 202));
  });
});

describe('LOGINS_PER_MINUTE_PER_ADDRESS', () => {
  const h = createHarness({ LOGINS_PER_MINUTE_PER_ADDRESS: '3', WRITES_PER_MINUTE_PER_CALLER: '1' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const login = (password: string) =>
    h.request(`${API}/auth/login`, { method: 'POST', json: { dni: SEED_DNI.ana, password } });

  it('answers the fourth attempt of a minute from one address 429 per_address, forwarding nothing for it', async () => {
    const answers = [await login('wrong'), await login('wrong'), await login(SEED_PASSWORDS.ana)];
    expect(answers.map((res) => res.status)).toEqual([401, 401, 200]);
    const refused = await login(SEED_PASSWORDS.ana);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await errorBody(refused)).details).toEqual({ limit: 'per_address' });
    expect(h.calls('usuarios')).toHaveLength(3);
  });

  it('counts register attempts in the same bucket, and a 400 of its own validation not at all', async () => {
    expect((await h.request(`${API}/auth/register`, { method: 'POST', json: { dni: '1' } })).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await login('wrong')).status).toBe(401);
    const register = await h.request(`${API}/auth/register`, {
      method: 'POST',
      json: { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' },
    });
    expect(register.status).toBe(429);
  });

  it('counts a profile change as a write of the caller, not as a login', async () => {
    const token = await tokens.ana();
    const change = () => h.request(`${API}/user/me`, { method: 'PUT', token, json: { distrito: 'Barranco' } });
    expect((await change()).status).toBe(200);
    const refused = await change();
    expect(refused.status).toBe(429);
    expect((await errorBody(refused)).details).toEqual({ limit: 'per_minute' });
    expect((await login(SEED_PASSWORDS.ana)).status).toBe(200);
  });
});
