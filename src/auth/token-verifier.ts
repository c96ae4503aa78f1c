import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { JwtConfig } from '../config/config.js';
import type { MessageKey } from '../messages/messages.js';
import { GatewayError } from '../errors/gateway-error.js';
import { UpstreamError } from '../errors/upstream-error.js';
import type { Principal } from '../domain/request-context.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** Verifies a bearer token and returns who is calling; throws 401 (or 503 when keys are unreachable). */
export type TokenVerifier = (token: string) => Promise<Principal>;

const CLOCK_TOLERANCE_SECONDS = 30;
/** Far above any real token; keeps hostile megabyte tokens away from the crypto. */
const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const VERIFIED_CACHE_ENTRIES = 10_000;

const ClaimsSchema = z.object({
  sub: z.string().regex(/^\d{8,}$/, 'sub must be a DNI of 8+ digits'),
  role: z.enum(['CLIENTE', 'ADMIN']),
});

/** Errors that mean "this token is not acceptable", as opposed to "no key could be obtained". */
const TOKEN_PROBLEMS: ReadonlySet<string> = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWKInvalid.code,
]);

export function createTokenVerifier(config: JwtConfig, now: () => number = Date.now): TokenVerifier {
  const { key, algorithms } =
    config.mode === 'secret'
      ? { key: importHmacKey(config.secret), algorithms: ['HS256'] }
      : {
          // A kid missing from the cached set triggers a refetch, at most one every 30 s.
          key: createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 }),
          algorithms: ['RS256', 'ES256'],
        };
  const options = {
    algorithms,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp'],
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };

  const verified = new VerifiedTokenCache(VERIFIED_CACHE_ENTRIES, now);

  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw unauthenticated('auth.malformed_token');
    const cached = verified.get(token);
    if (cached) return cached;
    let payload: { exp?: number };
    try {
      payload = (
        key instanceof Promise
          ? await jwtVerify(token, await key, options)
          : await jwtVerify(token, key as JWTVerifyGetKey, options)
      ).payload;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (config.mode === 'jwks' && (code === undefined || !TOKEN_PROBLEMS.has(code))) {
        throw new UpstreamError('jwks', 'unavailable', { cause: error, message: 'signing keys unavailable' });
      }
      throw unauthenticated(code === errors.JWTExpired.code ? 'auth.expired_token' : 'auth.invalid_token', error);
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('auth.bad_claims');
    const principal: Principal = { dni: claims.data.sub, role: claims.data.role };
    // `exp` is required, so jose has checked it is a number.
    verified.set(token, principal, ((payload.exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000);
    return principal;
  };
}

/** Imported once: jose would otherwise import raw key bytes into WebCrypto on every verification. */
function importHmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
}

export const unauthenticated = (text: MessageKey, cause?: unknown) =>
  new GatewayError('UNAUTHENTICATED', { text, headers: { 'WWW-Authenticate': 'Bearer' }, cause });
