import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context as OtelContext, type Tracer } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { PublicContext } from '../../domain/request-context.js';
import type { AppEnv } from '../app-env.js';

const OK_OUTCOMES = new Set(['success', 'rejected']);

/**
 * With tracing on: a server span per API request, joined to the caller's trace (the request's
 * traceparent), and a client span per upstream call, whose id is the one the upstream receives.
 * Runs after `authenticate` (or `publicContext` on routes open to anyone), which made the context.
 */
export function traceRequest(tracer: Tracer) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // Authenticated routes carry a request context; routes open to anyone, a public one.
    const authenticated = c.get('requestContext') as AppEnv['Variables']['requestContext'] | undefined;
    const requestContext = authenticated ?? c.get('publicContext');
    const [, traceId = '', parentSpanId = '', flags = '01'] = requestContext.traceparent?.split('-') ?? [];
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId,
      spanId: parentSpanId,
      traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
      isRemote: true,
    });
    const route = matchedRoutes(c).at(-1)?.path ?? c.req.path;
    const span = tracer.startSpan(
      `${c.req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': c.req.method, 'http.route': route, 'gateway.request_id': requestContext.requestId },
      },
      parent,
    );
    const inSpan: OtelContext = trace.setSpan(parent, span);
    const traced: PublicContext = {
      ...requestContext,
      traceparent: `00-${traceId}-${span.spanContext().spanId}-${flags}`,
      startUpstreamSpan: ({ service, operation, method }) => {
        const call = tracer.startSpan(
          `${service} ${operation}`,
          { kind: SpanKind.CLIENT, attributes: { 'peer.service': service, 'http.request.method': method } },
          inSpan,
        );
        return {
          traceparent: `00-${traceId}-${call.spanContext().spanId}-${flags}`,
          end: (outcome) => {
            call.setAttribute('gateway.outcome', outcome);
            if (!OK_OUTCOMES.has(outcome)) call.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            call.end();
          },
        };
      },
    };
    if (authenticated) c.set('requestContext', { ...authenticated, ...traced });
    else c.set('publicContext', traced);
    try {
      await next();
    } finally {
      span.setAttribute('http.response.status_code', c.res.status);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}
