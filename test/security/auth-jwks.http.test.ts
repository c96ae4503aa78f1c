// JWT_JWKS_URL mode: RS256/ES256 tokens verified against a key set fetched over HTTP (msw), with
// refetch on an unknown kid, no algorithm confusion, and 503 (not 401) when no key can be had.
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, TEST_SECRET, createHarness, errorBody } from '../helpers/harness.js';

const JWKS_URL = 'http://keys.test/jwks.json';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
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

  it.each([
    ['the shared test secret', () => TEST_SECRET],
    ['the RSA public key PEM', () => rsa.publicPem],
    ['the RSA public JWK as JSON', () => JSON.stringify(rsa.publicJwk)],
    ['the RSA modulus bytes', () => Buffer.from(rsa.publicJwk.n ?? '', 'base64url')],
  ])('rejects an HS256 token keyed with %s (no algorithm confusion)', async (_name, secret) => {
    serveKeys(rsa, ec);
    const response = await reject(await signHs256(secret(), rsa.kid));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await errorBody(response)).code).toBe('UNAUTHENTICATED');
    expect(h.calls()).toEqual([]);
  });

  it('rejects a token signed by a key outside the set', async () => {
    serveKeys(rsa);
    const stranger = await signingKey('RS256', rsa.kid);
    const response = await reject(await signWith(stranger));
    expect(response.status).toBe(401);
    expect(h.calls()).toEqual([]);
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
