import type { MiddlewareHandler } from 'hono';

/**
 * Attaches middleware (auth, body guards) to one route only, so they run before its validators
 * and an unknown path stays a plain 404 instead of a 401.
 */
export function withMiddleware<R extends object>(route: R, ...middleware: MiddlewareHandler[]) {
  return { ...route, middleware };
}
