import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context as OtelContext, type Tracer } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../app-env.js';

const OK_OUTCOMES = new Set(['success', 'rejected']);

/**
 * With tracing on: a server span per API request, joined to the caller's trace (the request's
 * traceparent), and a client span per upstream call, whose id is the one the upstream receives.
 * Runs after `authenticate`, which made the request context.
 */
export function traceRequest(tracer: Tracer) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const requestContext = c.get('requestContext');
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
    c.set('requestContext', {
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
    });
    try {
      await next();
    } finally {
      span.setAttribute('http.response.status_code', c.res.status);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}
