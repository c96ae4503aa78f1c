// Bad tokens, made the ways an attacker would: for the verifier's table (token-verifier.unit) and
// the route checks (auth.http, open-routes.http). Every token is for Ana (DNI 71234567, CLIENTE)
// unless a variant changes that.
import { createHmac } from 'node:crypto';
import { SignJWT, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { SEED_DNI } from '../../mocks/index.js';

export const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface SignOptions {
  alg?: string;
  secret?: string | Uint8Array;
  /** Claims set after the defaults; `undefined` removes a default. */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** `null`: no exp at all. */
  exp?: number | null;
}

/** The token makers for a gateway whose HS256 secret is `secret`. */
export function forger(secret: string) {
  /** An HS* token, signed with `secret` unless told otherwise. */
  function signHs({ alg = 'HS256', secret: key = secret, claims = {}, header = {}, exp = now() + 600 }: SignOptions = {}) {
    const payload: JWTPayload = { sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), ...claims };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete payload[name];
    if (exp !== null) payload.exp = exp;
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header, alg }).sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
  }

  /** An asymmetric token signed with `privateKey`. */
  function signAsym(alg: string, privateKey: CryptoKey, { kid, claims = {}, exp = now() + 600 }: { kid?: string; claims?: Record<string, unknown>; exp?: number | null } = {}) {
    const payload: JWTPayload = { sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), ...claims };
    if (exp !== null) payload.exp = exp;
    return new SignJWT(payload).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(privateKey);
  }

  /** alg none, with whatever signature segment. */
  function unsigned(claims: Record<string, unknown> = {}, signature = '') {
    const payload = b64url({ sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), exp: now() + 600, ...claims });
    return `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`;
  }

  /** Any protected header, HMAC-SHA256-signed with the gateway's own secret. */
  function hmacWithHeader(protectedHeader: Record<string, unknown>) {
    const header = b64url(protectedHeader);
    const payload = b64url({ sub: SEED_DNI.ana, role: 'CLIENTE', iat: now(), exp: now() + 600 });
    return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
  }

  /** A good token with the payload swapped for an ADMIN one, signature kept. */
  async function tamperedToAdmin() {
    const [header, , signature] = (await signHs()).split('.');
    return `${header}.${b64url({ sub: SEED_DNI.admin, role: 'ADMIN', iat: now(), exp: now() + 600 })}.${signature}`;
  }

  return { signHs, signAsym, unsigned, hmacWithHeader, tamperedToAdmin };
}

export type Forger = ReturnType<typeof forger>;

/**
 * Token contents an HS256 gateway must refuse, whatever route they come to: algorithm tricks,
 * time, signatures, structure, size and claims. (How a token may be sent is auth.http's table.)
 */
export const hsTokenAttacks = (f: Forger, otherSecret: string): Array<[string, () => Promise<string>]> => [
  ['alg none without signature', async () => f.unsigned()],
  ['alg none with a dummy signature', async () => f.unsigned({}, 'AAAA')],
  ['alg none claiming ADMIN', async () => f.unsigned({ sub: SEED_DNI.admin, role: 'ADMIN' })],
  ['HS512 with the right secret', () => f.signHs({ alg: 'HS512' })],
  ['HS384 with the right secret', () => f.signHs({ alg: 'HS384' })],
  ['an RS256 token', async () => f.signAsym('RS256', (await generateKeyPair('RS256')).privateKey)],
  ['an ES256 token', async () => f.signAsym('ES256', (await generateKeyPair('ES256')).privateKey)],
  ['an RS256 header over an HMAC of the secret', async () => f.hmacWithHeader({ alg: 'RS256', typ: 'JWT' })],
  ['expired beyond the 30 s tolerance', () => f.signHs({ exp: now() - 120 })],
  ['nbf 5 minutes in the future', () => f.signHs({ claims: { nbf: now() + 300 } })],
  ['no exp', () => f.signHs({ exp: null })],
  ['exp as a string', () => f.signHs({ exp: null, claims: { exp: String(now() + 600) } })],
  ['signed with another secret', () => f.signHs({ secret: otherSecret })],
  ['a payload swapped to ADMIN under the original signature', () => f.tamperedToAdmin()],
  ['a signature stripped off', async () => `${(await f.signHs()).split('.').slice(0, 2).join('.')}.`],
  ['malformed (two segments)', async () => 'not.a-jwt'],
  ['malformed (random segments)', async () => 'aaaa.bbbb.cccc'],
  ['malformed (JSON payload not base64url)', async () => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.{"sub":"71234567"}.AAAA`],
  ['an unknown critical header', async () => f.hmacWithHeader({ alg: 'HS256', crit: ['x-evil'], 'x-evil': true })],
  ['over 8 KB even though correctly signed', () => f.signHs({ claims: { padding: 'x'.repeat(8 * 1024) } })],
  ['no role', () => f.signHs({ claims: { role: undefined } })],
  ['role SUPERUSER', () => f.signHs({ claims: { role: 'SUPERUSER' } })],
  ['a lowercase role (admin)', () => f.signHs({ claims: { role: 'admin' } })],
  ['a lowercase role (cliente)', () => f.signHs({ claims: { role: 'cliente' } })],
  ['a role list', () => f.signHs({ claims: { role: ['ADMIN'] } })],
  ['no sub', () => f.signHs({ claims: { sub: undefined } })],
  ['a sub that is not a DNI (an email)', () => f.signHs({ claims: { sub: 'ana@example.com' } })],
  ['a sub that is not a DNI (a name)', () => f.signHs({ claims: { sub: 'ana' } })],
  ['a sub of only 7 digits', () => f.signHs({ claims: { sub: '7123456' } })],
  ['a numeric sub', () => f.signHs({ claims: { sub: Number(SEED_DNI.ana) } })],
];
