import { createMiddleware } from 'hono/factory';
import { incomingOrNewTraceparent } from '../../observability/trace-context.js';
import type { AppEnv } from '../app-env.js';

/** Starts the request's clock (one deadline for every upstream call) and its trace context. */
export function requestBudget(requestTimeoutMs: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('deadline', Date.now() + requestTimeoutMs);
    c.set('traceparent', incomingOrNewTraceparent(c.req.header('traceparent')));
    await next();
  });
}
