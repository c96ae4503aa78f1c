import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { setMetric } from 'hono/timing';
import type { PublicContext } from '../../domain/request-context.js';
import { incomingOrNewTraceparent } from '../../observability/trace-context.js';
import type { AppEnv } from '../app-env.js';

/**
 * What every API request carries down to its upstream calls, before and apart from who the
 * caller is: the request id, the trace context, one budget counted from the request's arrival,
 * the client's signal, and one Server-Timing entry per upstream call.
 */
export function publicContextOf(c: Context<AppEnv>, requestTimeoutMs: number): PublicContext {
  return {
    requestId: c.get('requestId'),
    // Only requests that may call upstreams need trace context: made here, not for every probe.
    traceparent: incomingOrNewTraceparent(c.req.header('traceparent')),
    deadline: c.get('startedAt') + requestTimeoutMs,
    signal: c.req.raw.signal,
    onUpstreamCall: ({ service, operation, outcome, durationMs }) =>
      setMetric(c, service, durationMs, outcome === 'success' ? operation : `${operation} (${outcome})`),
  };
}

/**
 * For routes open to anyone (login, register, the catalogue): an `Authorization` header is
 * ignored there - never verified, never forwarded - so an expired token never breaks a
 * catalogue page.
 */
export function publicContext(requestTimeoutMs: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('publicContext', publicContextOf(c, requestTimeoutMs));
    await next();
  });
}
