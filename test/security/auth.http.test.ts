// Bearer authentication through the app. Every secured route runs the same `authenticate`
// middleware before anything else of the route (validation included): each refusal is a 401 with
// WWW-Authenticate that costs no upstream call, and a valid token without the needed role a 403,
// also without upstream calls. What a token must contain is the verifier's table
// (token-verifier.unit); here: that every route is wired to it, that only the Authorization header
// is read, and that JWT_ISSUER/JWT_AUDIENCE reach the verifier. JWKS mode: auth-jwks.http.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI } from '../../mocks/index.js';
import { API, TEST_SECRET, createHarness, errorBody, expectUnauthenticated, tokens, type Harness } from '../helpers/harness.js';
import { SECURED, bearer, documentedOperations, send, tableOf, type Attack, type Endpoint } from './auth-endpoints.js';
import { forger } from './token-forgery.js';

const f = forger(TEST_SECRET);
const OTHER_SECRET = 'an-attacker-secret-that-is-at-least-32-bytes';
const goodToken = (endpoint: Endpoint) => (endpoint.admin ? tokens.admin() : tokens.ana());

/** Fresh seed and no recorded calls before each case (the app itself keeps no state an attack could change). */
const freshUpstreams = (h: Harness) => () => {
  h.mocks.reset();
  h.logs.lines.length = 0;
};

/** Attacks made once, before the cases that send them. */
function prepare(attacks: Array<[string, () => Promise<Attack>]>) {
  const prepared = new Map<string, Attack>();
  beforeAll(async () => {
    for (const [name, make] of attacks) prepared.set(name, await make());
  });
  return (name: string) => {
    const attack = prepared.get(name);
    if (!attack) throw new Error(`attack ${name} was not prepared`);
    return attack;
  };
}

describe('HS256 mode', () => {
  const h = createHarness();
  beforeAll(h.listen);
  beforeEach(freshUpstreams(h));
  afterAll(h.close);

  it('secures exactly the operations the OpenAPI document secures with the bearer scheme', async () => {
    const secured = await documentedOperations(h, (security) => (security ?? []).length > 0);
    expect(tableOf(SECURED).sort()).toEqual(secured.sort());
    expect(SECURED).toHaveLength(16);
  });

  // One of each way the middleware can refuse (no header, a token the verifier refuses for its
  // signature, its algorithm, a forged payload): enough to show each route is behind it.
  const ROUTE_ATTACKS: Array<[string, () => Promise<Attack>]> = [
    ['no Authorization header', async () => ({})],
    ['a token signed with another secret', async () => bearer(await f.signHs({ secret: OTHER_SECRET }))],
    ['an alg none token claiming ADMIN', async () => bearer(f.unsigned({ sub: SEED_DNI.admin, role: 'ADMIN' }))],
    ['a payload swapped to ADMIN under the original signature', async () => bearer(await f.tamperedToAdmin())],
  ];
  const routeAttack = prepare(ROUTE_ATTACKS);

  describe.each(SECURED.map((endpoint) => [endpoint.name, endpoint] as const))('%s', (_name, endpoint) => {
    it('lets a good token through to an upstream (the control)', async () => {
      const response = await send(h, endpoint, bearer(await goodToken(endpoint)));
      expect(response.status, await response.clone().text()).toBe(endpoint.success);
      expect(h.calls().length).toBeGreaterThan(0);
    });

    it.each(ROUTE_ATTACKS.map(([name]) => [name]))('refuses %s: 401, no upstream call', async (name) => {
      await expectUnauthenticated(h, await send(h, endpoint, routeAttack(name)));
    });
  });

  // How a token may arrive: only as `Authorization: Bearer <one token>`.
  const HEADER_ATTACKS: Array<[string, () => Promise<Attack>]> = [
    ['a Basic scheme', async () => ({ headers: { authorization: `Basic ${Buffer.from('ana:secret').toString('base64')}` } })],
    ['Bearer with nothing after it', async () => ({ headers: { authorization: 'Bearer ' } })],
    ['two tokens in one header', async () => ({ headers: { authorization: `Bearer ${await tokens.ana()} ${await tokens.ana()}` } })],
    [
      'a good token only in the query string (token, access_token, jwt, authorization)',
      async () => {
        const token = await tokens.ana();
        return { query: `token=${token}&access_token=${token}&jwt=${token}&authorization=${encodeURIComponent(`Bearer ${token}`)}` };
      },
    ],
    ['a good token only in a cookie', async () => ({ headers: { cookie: `token=${await tokens.ana()}; access_token=${await tokens.ana()}` } })],
  ];
  const headerAttack = prepare(HEADER_ATTACKS);
  const purchase = SECURED[0] as Endpoint;

  it.each(HEADER_ATTACKS.map(([name]) => [name]))('refuses %s on POST /compras: 401, no upstream call', async (name) => {
    await expectUnauthenticated(h, await send(h, purchase, headerAttack(name)));
  });

  it('checks the token before validating the body', async () => {
    await expectUnauthenticated(h, await h.request(`${API}/compras`, { method: 'POST', json: { productos: 'nonsense' } }));
  });

  it('answers 403 FORBIDDEN to a CLIENTE on an ADMIN route without calling upstream', async () => {
    const response = await h.request(`${API}/compras/all`, { token: await tokens.ana() });
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('FORBIDDEN');
    expect(h.calls()).toEqual([]);
  });
});

describe('with JWT_ISSUER and JWT_AUDIENCE', () => {
  const h = createHarness({ JWT_ISSUER: 'botica', JWT_AUDIENCE: 'gateway' });
  beforeAll(h.listen);
  beforeEach(freshUpstreams(h));
  afterAll(h.close);
  const getMine = async (claims: Record<string, unknown>) => h.request(`${API}/compras/me`, { token: await f.signHs({ claims }) });

  it('accepts a token with the right iss and aud', async () => {
    expect((await getMine({ iss: 'botica', aud: 'gateway' })).status).toBe(200);
  });

  it('refuses the plain tokens of the users service, which carry neither: 401, no upstream call', async () => {
    await expectUnauthenticated(h, await h.request(`${API}/compras/me`, { token: await tokens.ana() }));
    await expectUnauthenticated(h, await getMine({ iss: 'evil', aud: 'gateway' }));
  });
});
