import { createMiddleware } from 'hono/factory';
import type { TokenVerifier } from '../../auth/token-verifier.js';
import { unauthenticated } from '../../auth/token-verifier.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { AppEnv } from '../app-env.js';
import { publicContextOf } from './public-context.js';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Verifies the bearer token before anything else of the route runs (validation included), so
 * a bad token is a 401 that costs no upstream call. Sets `principal` and `requestContext`
 * (identity, propagated headers and the request's time budget).
 */
export function authenticate(verify: TokenVerifier, requestTimeoutMs: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const authorization = c.req.header('authorization');
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!authorization || !token) throw unauthenticated('auth.missing_token');
    const principal = await verify(token);
    c.set('principal', principal);
    c.set('requestContext', { ...publicContextOf(c, requestTimeoutMs), principal, authorization: `Bearer ${token}` });
    await next();
  });
}

/** Lets only ADMIN tokens through; runs after `authenticate`. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('principal').role !== 'ADMIN') throw new GatewayError('FORBIDDEN', { text: 'forbidden.admin_required' });
  await next();
});
