import type { MiddlewareHandler } from 'hono';
import type { AccountUseCases } from '../../domain/account/account.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { getProfileRoute, loginRoute, registerRoute, updateProfileRoute } from './account.routes.js';

export type { AccountUseCases } from '../../domain/account/account.js';

/** Drops the fields the caller left empty: the service ignores them, so they are not forwarded. */
const withoutEmpty = <T extends Record<string, string | undefined>>(changes: T) =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined && value !== '')) as {
    [K in keyof T]?: string;
  };

/** `open`: the middleware of routes open to anyone; `auth`: of bearer routes. */
export function accountRoutes(accounts: AccountUseCases, open: MiddlewareHandler, auth: MiddlewareHandler) {
  return createRouter()
    .openapi(withMiddleware(loginRoute, open, jsonGuard), async (c) => {
      const { dni, email, password } = c.req.valid('json');
      // Exactly one identifier passed validation; only it and the password are forwarded.
      const credentials = dni !== undefined ? { dni, password } : { email: email as string, password };
      return c.json(await accounts.login(credentials, c.get('clientAddress'), c.get('publicContext')), 200);
    })
    .openapi(withMiddleware(registerRoute, open, jsonGuard), async (c) => {
      const { email, password, nombre, apellido, dni, distrito } = c.req.valid('json');
      const account = { email, password, nombre, apellido, dni, distrito };
      return c.json(await accounts.register(account, c.get('clientAddress'), c.get('publicContext')), 200);
    })
    .openapi(withMiddleware(getProfileRoute, auth), async (c) => c.json(await accounts.getProfile(c.get('requestContext')), 200))
    .openapi(withMiddleware(updateProfileRoute, auth, jsonGuard), async (c) =>
      c.json(await accounts.updateProfile(withoutEmpty(c.req.valid('json')), c.get('requestContext')), 200),
    );
}
