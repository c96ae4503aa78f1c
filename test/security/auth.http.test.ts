// Bearer authentication in HS256 mode: every rejection is a 401 with WWW-Authenticate that costs
// no upstream call; a valid token without the needed role is a 403, also without upstream calls.
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, TEST_SECRET, createHarness, errorBody, tokens, type Harness, expectUnauthenticated } from '../helpers/harness.js';

const OTHER_SECRET = 'another-secret-that-is-at-least-32-bytes';
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface SignOptions {
  alg?: string;
  secret?: string;
  /** Claims set after the defaults; `undefined` removes a default. */
  claims?: Record<string, unknown>;
  exp?: number | null;
  nbf?: number;
}

/** An HS* token for Ana, with whatever special claims a test needs. */
async function sign({ alg = 'HS256', secret = TEST_SECRET, claims = {}, exp = now() + 600, nbf }: SignOptions = {}) {
  const payload: JWTPayload = { sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), ...claims };
  for (const [key, value] of Object.entries(claims)) if (value === undefined) delete payload[key];
  if (exp !== null) payload.exp = exp;
  if (nbf !== undefined) payload.nbf = nbf;
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

const PURCHASE = { productos: [{ producto_id: 1, cantidad: 1 }] };

describe('HS256 bearer tokens', () => {
  const h = createHarness();
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const getMine = (init: Parameters<Harness['request']>[1] = {}) => h.request(`${API}/compras/me`, init);
  const postPurchase = (token: string) => h.request(`${API}/compras`, { method: 'POST', token, json: PURCHASE });

  it('lets a valid CLIENTE token through to the upstreams', async () => {
    const response = await getMine({ token: await tokens.ana() });
    expect(response.status).toBe(200);
    expect(h.calls('usuarios').length).toBeGreaterThan(0);
  });

  it.each([
    ['no Authorization header', {}],
    ['a Basic scheme', { authorization: 'Basic YW5hOnNlY3JldA==' }],
    ['Bearer with nothing after it', { authorization: 'Bearer ' }],
    ['Bearer with a malformed token', { authorization: 'Bearer not.a-jwt' }],
    ['Bearer with random segments', { authorization: 'Bearer aaaa.bbbb.cccc' }],
  ])('rejects %s with 401 and calls nothing', async (_name, headers) => {
    await expectUnauthenticated(h, await getMine({ headers }));
    await expectUnauthenticated(h, await h.request(`${API}/compras`, { method: 'POST', headers, json: PURCHASE }));
  });

  it('rejects a token sent only in the query string', async () => {
    const token = await tokens.ana();
    await expectUnauthenticated(h, await h.request(`${API}/compras/me?token=${token}`));
    await expectUnauthenticated(h, await h.request(`${API}/compras/me?access_token=${token}`));
  });

  it('rejects a token expired beyond the 30 s tolerance', async () => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ exp: now() - 120 }) }));
    await expectUnauthenticated(h, await postPurchase(await sign({ exp: now() - 120 })));
  });

  it('accepts a token expired within the 30 s clock tolerance', async () => {
    // A prescriptions route: the users service (no tolerance of its own) is not involved.
    const response = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await sign({ exp: now() - 10 }),
      json: { estadovalidacion: 'VALIDADA' },
    });
    expect(response.status).toBe(200);
    expect(h.writes('recetas')).toHaveLength(1);
  });

  it('rejects a token not valid for another 5 minutes (nbf)', async () => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ nbf: now() + 300 }) }));
  });

  it('rejects a token without exp', async () => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ exp: null }) }));
  });

  it('rejects a token signed with another secret', async () => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ secret: OTHER_SECRET }) }));
    await expectUnauthenticated(h, await postPurchase(await sign({ secret: OTHER_SECRET })));
  });

  it('rejects an unsigned alg none token', async () => {
    const header = b64url({ alg: 'none', typ: 'JWT' });
    const payload = b64url({ sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), exp: now() + 600 });
    await expectUnauthenticated(h, await getMine({ headers: { authorization: `Bearer ${header}.${payload}.` } }));
    // Same, with a dummy signature so the token at least looks like a compact JWS.
    await expectUnauthenticated(h, await getMine({ headers: { authorization: `Bearer ${header}.${payload}.AAAA` } }));
  });

  it('rejects HS512 even with the right secret (HS256 only)', async () => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ alg: 'HS512' }) }));
  });

  it.each([
    ['no role', { role: undefined }],
    ['role SUPERUSER', { role: 'SUPERUSER' }],
    ['a lowercase role', { role: 'cliente' }],
    ['no sub', { sub: undefined }],
    ['a sub that is not a DNI', { sub: 'ana' }],
    ['a sub of only 7 digits', { sub: '7123456' }],
    ['a numeric sub', { sub: 71234567 }],
  ])('rejects a correctly signed token with %s', async (_name, claims) => {
    await expectUnauthenticated(h, await getMine({ token: await sign({ claims }) }));
    await expectUnauthenticated(h, await postPurchase(await sign({ claims })));
  });

  it('rejects a token over 8 KB even when correctly signed', async () => {
    const token = await sign({ claims: { padding: 'x'.repeat(8 * 1024) } });
    expect(token.length).toBeGreaterThan(8192);
    await expectUnauthenticated(h, await getMine({ token }));
  });

  it('answers 403 FORBIDDEN to a CLIENTE on an ADMIN route without calling upstream', async () => {
    const response = await h.request(`${API}/compras/all`, { token: await tokens.ana() });
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('FORBIDDEN');
    expect(h.calls()).toEqual([]);
  });

  it('lets an ADMIN token use the ADMIN route', async () => {
    const response = await h.request(`${API}/compras/all`, { token: await tokens.admin() });
    expect(response.status).toBe(200);
  });

  it('checks the token before validating the body', async () => {
    const response = await h.request(`${API}/compras`, { method: 'POST', json: { productos: 'nonsense' } });
    await expectUnauthenticated(h, response);
  });
});

describe('issuer and audience, when configured', () => {
  const h = createHarness({ JWT_ISSUER: 'botica', JWT_AUDIENCE: 'gateway' });
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  const getMine = async (claims: Record<string, unknown>) =>
    h.request(`${API}/compras/me`, { token: await sign({ claims }) });

  it('accepts a token with the right iss and aud', async () => {
    expect((await getMine({ iss: 'botica', aud: 'gateway' })).status).toBe(200);
  });

  it('accepts an aud list that contains the audience', async () => {
    expect((await getMine({ iss: 'botica', aud: ['other', 'gateway'] })).status).toBe(200);
  });

  it.each([
    ['a wrong issuer', { iss: 'evil', aud: 'gateway' }],
    ['no issuer', { aud: 'gateway' }],
    ['a wrong audience', { iss: 'botica', aud: 'billing' }],
    ['no audience', { iss: 'botica' }],
  ])('rejects %s with 401 and no upstream call', async (_name, claims) => {
    await expectUnauthenticated(h, await getMine(claims));
  });

  it('rejects the plain tokens of the users service, which carry neither', async () => {
    await expectUnauthenticated(h, await h.request(`${API}/compras/me`, { token: await tokens.ana() }));
  });
});
