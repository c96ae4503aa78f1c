// The token verifier (HS256 mode), the one place a token's content is judged: every route runs it
// through the same `authenticate` middleware (auth.http checks that wiring per route). Each refusal
// is a 401 UNAUTHENTICATED carrying `WWW-Authenticate: Bearer`.
import { describe, expect, it } from 'vitest';
import { SEED_DNI } from '../../mocks/index.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { forger, hsTokenAttacks, now } from './token-forgery.js';

const SECRET = 'unit-test-secret-of-at-least-32-bytes!!';
const OTHER_SECRET = 'an-attacker-secret-that-is-at-least-32-bytes';
const f = forger(SECRET);
const ANA = { dni: SEED_DNI.ana, role: 'CLIENTE' };
const REFUSED = { code: 'UNAUTHENTICATED', status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };

describe('HS256 verifier', () => {
  const verify = createTokenVerifier({ mode: 'secret', secret: SECRET });

  it('accepts a good token, naming the caller and the role', async () => {
    await expect(verify(await f.signHs())).resolves.toEqual(ANA);
    await expect(verify(await f.signHs({ claims: { sub: SEED_DNI.admin, role: 'ADMIN' } }))).resolves.toEqual({ dni: SEED_DNI.admin, role: 'ADMIN' });
  });

  it('accepts a token expired within the 30 s clock tolerance', async () => {
    await expect(verify(await f.signHs({ exp: now() - 10 }))).resolves.toEqual(ANA);
  });

  it('accepts a large token under the 8 KB cap (the cap is on length, not on padding claims)', async () => {
    await expect(verify(await f.signHs({ claims: { padding: 'x'.repeat(4 * 1024) } }))).resolves.toEqual(ANA);
    // The over-8 KB twin in the table below is refused: check it really is over.
    expect((await f.signHs({ claims: { padding: 'x'.repeat(8 * 1024) } })).length).toBeGreaterThan(8192);
  });

  it.each(hsTokenAttacks(f, OTHER_SECRET))('rejects a token with %s: 401 with WWW-Authenticate', async (_name, make) => {
    await expect(verify(await make())).rejects.toMatchObject(REFUSED);
  });
});

describe('HS256 verifier with JWT_ISSUER and JWT_AUDIENCE', () => {
  const verify = createTokenVerifier({ mode: 'secret', secret: SECRET, issuer: 'botica', audience: 'gateway' });

  it.each([
    ['the right iss and aud', { iss: 'botica', aud: 'gateway' }],
    ['an aud list that contains the audience', { iss: 'botica', aud: ['other', 'gateway'] }],
  ])('accepts %s', async (_name, claims) => {
    await expect(verify(await f.signHs({ claims }))).resolves.toEqual(ANA);
  });

  it.each([
    ['a wrong issuer', { iss: 'evil', aud: 'gateway' }],
    ['an issuer differing in case', { iss: 'Botica', aud: 'gateway' }],
    ['no issuer', { aud: 'gateway' }],
    ['a wrong audience', { iss: 'botica', aud: 'billing' }],
    ['no audience', { iss: 'botica' }],
    ["neither (the users service's plain tokens)", {}],
  ])('rejects %s', async (_name, claims) => {
    await expect(verify(await f.signHs({ claims }))).rejects.toMatchObject(REFUSED);
  });
});
