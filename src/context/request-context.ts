/** Who is calling, as proven by the verified token. */
export interface Principal {
  /** The user's DNI (token `sub`). */
  dni: string;
  role: 'CLIENTE' | 'ADMIN';
}

/**
 * The one request context: what travels from the HTTP edge down to the upstream clients, free of
 * any framework: the request's id, the headers to propagate and its time budget. Built once per
 * request (http/middleware/public-context.ts); routes open to anyone (login, the catalogue) get
 * only this, authenticated routes a `RequestContext`, and an upstream call reads it as its
 * `CallContext` (upstreams/http/call-context.ts). Neither layer owns it: both import it from here.
 */
export interface PublicContext {
  requestId: string;
  /** W3C trace context to propagate, when the caller sent one. */
  traceparent?: string;
  /** Epoch ms after which no upstream call may still be running. */
  deadline: number;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /** Told about each upstream call (service, operation, outcome, duration). */
  onUpstreamCall?: (event: { service: string; operation: string; outcome: string; durationMs: number }) => void;
  /** With tracing on: opens a client span for one upstream call. */
  startUpstreamSpan?: (call: { service: string; operation: string; method: string }) => {
    traceparent: string;
    end(outcome: string): void;
  };
}

/** A public context plus the caller the verified token names. */
export interface RequestContext extends PublicContext {
  principal: Principal;
  /** The caller's original `Authorization` value, forwarded to services that check it. */
  authorization: string;
}

export const isAdmin = (ctx: RequestContext): boolean => ctx.principal.role === 'ADMIN';
