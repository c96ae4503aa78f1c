// JWT_JWKS_URL mode: RS256/ES256 tokens verified against a key set fetched over HTTP (msw), with
// refetch on an unknown kid, no algorithm confusion, and 503 (not 401) when no key can be had.
import { SignJWT, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, TEST_SECRET, createHarness, errorBody, expectUnauthenticated } from '../helpers/harness.js';
import { forger } from './token-forgery.js';

const JWKS_URL = 'http://keys.test/jwks.json';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: SEED_DNI.ana, role: 'CLIENTE' };

const signWith = (key: SigningKey, kid = key.kid) =>
  new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid }).setIssuedAt().setExpirationTime(now() + 600).sign(key.privateKey);

const signHs256 = (secret: string | Uint8Array, kid: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid })
    .setIssuedAt()
    .setExpirationTime(now() + 600)
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);

describe('JWKS bearer tokens', () => {
  const h = createHarness({ JWT_SECRET: '', JWT_JWKS_URL: JWKS_URL });
  let rsa: SigningKey;
  let ec: SigningKey;
  let jwksFetches = 0;

  /** Serves the given keys as the key set from now on, counting fetches. */
  const serveKeys = (...keys: SigningKey[]) =>
    h.msw.use(
      http.get(JWKS_URL, () => {
        jwksFetches += 1;
        return HttpResponse.json({ keys: keys.map((key) => key.publicJwk) });
      }),
    );

  // A route that does not involve the users service (whose mock only knows HS256 tokens).
  const reject = (token: string) =>
    h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token,
      json: { estadovalidacion: 'VALIDADA' },
    });

  beforeAll(async () => {
    h.listen();
    rsa = await signingKey('RS256', 'rsa-2025');
    ec = await signingKey('ES256', 'ec-2025');
  });
  beforeEach(() => {
    h.reset();
    jwksFetches = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(h.close);

  it('is configured in JWKS mode when JWT_SECRET is empty', () => {
    expect(h.deps.config.jwt).toEqual({ mode: 'jwks', jwksUrl: JWKS_URL });
  });

  it('accepts an RS256 token signed by a key of the set', async () => {
    serveKeys(rsa, ec);
    const response = await reject(await signWith(rsa));
    expect(response.status).toBe(200);
    expect(h.writes('recetas')).toHaveLength(1);
  });

  it('accepts an ES256 token signed by a key of the set', async () => {
    serveKeys(rsa, ec);
    expect((await reject(await signWith(ec))).status).toBe(200);
  });

  it('fetches the key set once and caches it', async () => {
    serveKeys(rsa, ec);
    for (let i = 0; i < 3; i++) expect((await reject(await signWith(rsa))).status).toBe(200);
    expect((await reject(await signWith(ec))).status).toBe(200);
    expect(jwksFetches).toBe(1);
  });

  // Algorithm confusion, a key outside the set, and the claims rules in this mode.
  const f = forger(TEST_SECRET);
  it.each([
    ['HS256 keyed with the shared test secret', () => signHs256(TEST_SECRET, rsa.kid)],
    ['HS256 keyed with the RSA public key PEM', () => signHs256(rsa.publicPem, rsa.kid)],
    ['HS256 keyed with the RSA public JWK as JSON', () => signHs256(JSON.stringify(rsa.publicJwk), rsa.kid)],
    ['HS256 keyed with the RSA modulus bytes', () => signHs256(Buffer.from(rsa.publicJwk.n ?? '', 'base64url'), rsa.kid)],
    ['alg none', async () => f.unsigned()],
    ['PS256 signed by the RSA key of the set', async () => f.signAsym('PS256', await importPKCS8(await exportPKCS8(rsa.privateKey), 'PS256'), { kid: rsa.kid })],
    ['RS256 signed by a key outside the set under the same kid', async () => signWith(await signingKey('RS256', rsa.kid))],
    ['an expired RS256 token', () => f.signAsym('RS256', rsa.privateKey, { kid: rsa.kid, exp: Math.floor(Date.now() / 1000) - 120 })],
    ['an RS256 token without exp', () => f.signAsym('RS256', rsa.privateKey, { kid: rsa.kid, exp: null })],
    ['an RS256 token with nbf in the future', () => f.signAsym('RS256', rsa.privateKey, { kid: rsa.kid, claims: { nbf: Math.floor(Date.now() / 1000) + 300 } })],
    ['an RS256 token with a bad role', () => f.signAsym('RS256', rsa.privateKey, { kid: rsa.kid, claims: { role: 'ROOT' } })],
  ])('rejects %s: 401, no upstream call', async (_name, token) => {
    serveKeys(rsa, ec);
    await expectUnauthenticated(h, await reject(await token()));
  });

  it('picks up a rotated key set without a restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    serveKeys(rsa);
    expect((await reject(await signWith(rsa))).status).toBe(200);
    expect(jwksFetches).toBe(1);

    const rotated = await signingKey('RS256', 'rsa-2026');
    serveKeys(rotated);
    vi.setSystemTime(Date.now() + 31_000);
    const response = await reject(await signWith(rotated));
    expect(response.status).toBe(200);
    expect(jwksFetches).toBe(2);
  });

  it('refetches at most once within 30 s however many unknown kids arrive', async () => {
    serveKeys(rsa);
    expect((await reject(await signWith(rsa))).status).toBe(200);
    const unknown = await signingKey('RS256', 'nobody-knows-me');
    for (let i = 0; i < 5; i++) expect((await reject(await signWith(unknown))).status).toBe(401);
    expect(jwksFetches).toBeLessThanOrEqual(2);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE naming jwks when the key set is unreachable', async () => {
    h.msw.use(http.get(JWKS_URL, () => HttpResponse.error()));
    const response = await reject(await signWith(rsa));
    expect(response.status).toBe(503);
    const body = await errorBody(response);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details?.service).toBe('jwks');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(h.calls()).toEqual([]);
  });

  it('answers 503 naming jwks when the key set endpoint fails with 500', async () => {
    h.msw.use(http.get(JWKS_URL, () => HttpResponse.text('boom', { status: 500 })));
    const response = await reject(await signWith(rsa));
    expect(response.status).toBe(503);
    expect((await errorBody(response)).details?.service).toBe('jwks');
    expect(h.calls()).toEqual([]);
  });

  it('answers 503 naming jwks when the key set is not a key set', async () => {
    h.msw.use(http.get(JWKS_URL, () => HttpResponse.json({ nope: true })));
    const response = await reject(await signWith(rsa));
    expect(response.status).toBe(503);
    expect((await errorBody(response)).details?.service).toBe('jwks');
  });

  it('still rejects a token with a bad structure with 401 while the key set is down', async () => {
    h.msw.use(http.get(JWKS_URL, () => HttpResponse.error()));
    const response = await h.request(`${API}/compras/me`, { headers: { authorization: 'Bearer nonsense' } });
    expect(response.status).toBe(401);
  });
});
