import type { z } from 'zod';
import type { ServiceName } from '../../config/config.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import { childTraceparent } from '../../observability/trace-context.js';
import type { ServiceBreaker } from './create-breaker.js';
import type { CallContext, CallOutcome, UpstreamObserver } from './call-context.js';
import type { HttpMethod, HttpTransport, StreamedBody } from './transport.js';

export type { HttpMethod } from './transport.js';

export interface UpstreamRequest<T> {
  operation: string;
  method: HttpMethod;
  /** Relative to the service's base URL, without a leading slash. */
  path: string;
  searchParams?: Record<string, string | number | boolean>;
  json?: unknown;
  idempotencyKey?: string;
  /** This call's cap instead of the service's `upstreamTimeoutMs` (OCR calls take seconds). */
  timeoutMs?: number;
  /**
   * The service answers some clients' input with a 5xx (a PDF its OCR cannot read): such answers
   * are still 503s, but never count towards the breaker, so no caller can open it on purpose.
   */
  serverErrorsAreInputErrors?: boolean;
  /**
   * A body streamed as the client sends it (the upload). The call's timeout starts only once
   * `sent` resolves (the client's last byte): a slow client is never the upstream's timeout. The
   * request context's signal may abort it (the client's body turned out invalid or stalled):
   * nothing complete was sent, so that is no upstream failure.
   */
  stream?: StreamedBody & { sent: Promise<void> };
  /** Parses a 2xx body; a mismatch is the upstream's failure, not ours. */
  schema: z.ZodType<T>;
}

export interface UpstreamDeps {
  service: ServiceName;
  transport: HttpTransport;
  breaker: ServiceBreaker;
  upstreamTimeoutMs: number;
  /** Whether the caller's Authorization is forwarded (users and queue services check it). */
  forwardAuthorization: boolean;
  observer?: UpstreamObserver;
}

/** One upstream service, called through its breaker within the request's budget. */
export interface Upstream {
  readonly service: ServiceName;
  call<T>(request: UpstreamRequest<T>, ctx: CallContext): Promise<T>;
  /** While the breaker is open: the 503 a call would get, so a use-case can refuse before any call. */
  refusal(): UpstreamError | null;
}

const MIN_RETRY_BUDGET_MS = 50;

export function createUpstream(deps: UpstreamDeps): Upstream {
  const { service } = deps;

  async function attempt<T>(request: UpstreamRequest<T>, ctx: CallContext, traceparent: string | undefined): Promise<T> {
    const remaining = ctx.deadline - Date.now();
    if (remaining <= 0) throw new UpstreamError(service, 'timeout', { message: `${service}: request budget spent` });
    const capMs = request.timeoutMs ?? deps.upstreamTimeoutMs;
    // A client hanging up abandons reads, never writes: a half-done purchase is worse than a
    // finished one. A streamed body is the exception: until its last byte nothing can apply.
    const clientSignal = request.method === 'GET' || request.stream ? ctx.signal : undefined;
    const abort = callAbort(
      request.stream ? { after: request.stream.sent, ms: () => Math.min(capMs, ctx.deadline - Date.now()) } : { ms: () => Math.min(capMs, remaining) },
      clientSignal,
    );

    try {
      const { status, text } = await deps.transport.send({
        method: request.method,
        path: request.path,
        headers: upstreamHeaders(request, ctx, deps.forwardAuthorization, traceparent),
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
        ...(request.json !== undefined ? { json: request.json } : {}),
        ...(request.stream ? { stream: { contentType: request.stream.contentType, body: request.stream.body } } : {}),
        signal: abort.signal,
      });
      if (status >= 500) {
        throw new UpstreamError(service, 'unavailable', {
          status,
          ...(request.serverErrorsAreInputErrors ? { excludedFromBreaker: true } : {}),
        });
      }
      if (status >= 400) throw new UpstreamError(service, 'rejected', { status, body: parseJsonOrText(text) });
      return parseBody(service, request.schema, text);
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if (abort.timedOut()) throw new UpstreamError(service, 'timeout', { cause: error });
      if (clientSignal?.aborted) throw new UpstreamError(service, 'cancelled', { cause: error });
      throw new UpstreamError(service, 'unavailable', { cause: error });
    } finally {
      abort.release();
    }
  }

  return {
    service,
    refusal: () => deps.breaker.refusal(),
    async call<T>(request: UpstreamRequest<T>, ctx: CallContext): Promise<T> {
      const started = performance.now();
      const span = ctx.startUpstreamSpan?.({ service, operation: request.operation, method: request.method });
      // Same trace id as the request; a span id of its own (the exported span's, when tracing).
      const traceparent = span?.traceparent ?? (ctx.traceparent ? childTraceparent(ctx.traceparent) : undefined);
      try {
        const result = await deps.breaker.run(async () => {
          try {
            return await attempt(request, ctx, traceparent);
          } catch (error) {
            // Reads are safe to repeat once after a network error (not after a timeout or a 5xx:
            // a slow or failing service must not receive double the load).
            const retryable =
              request.method === 'GET' &&
              error instanceof UpstreamError &&
              error.kind === 'unavailable' &&
              error.status === undefined &&
              ctx.deadline - Date.now() > MIN_RETRY_BUDGET_MS;
            if (!retryable) throw error;
            return attempt(request, ctx, traceparent);
          }
        });
        report('success');
        return result;
      } catch (error) {
        report(error instanceof UpstreamError ? error.kind : 'unavailable');
        throw error;
      }

      function report(outcome: CallOutcome) {
        const event = { service, operation: request.operation, outcome, durationMs: performance.now() - started };
        deps.observer?.onCall(event);
        ctx.onUpstreamCall?.(event);
        span?.end(outcome);
      }
    },
  };
}

/**
 * One call's abort signal: its timeout (from now, or from when `after` resolves: the streamed
 * body's last byte) and the client going away. Released as soon as the call settles: a pending
 * `AbortSignal.timeout` would keep the signal, the transport's listener on it and through that the
 * whole request alive for the full timeout after the answer (measured: most of the peak RSS at
 * 200 connections).
 */
function callAbort(timeout: { ms: () => number; after?: Promise<void> }, clientSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const arm = () => {
    if (released) return;
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('upstream timeout', 'TimeoutError'));
    }, Math.max(0, timeout.ms()));
  };
  if (timeout.after) timeout.after.then(arm, () => undefined);
  else arm();
  const onClientAbort = () => controller.abort(clientSignal?.reason);
  if (clientSignal?.aborted) onClientAbort();
  else clientSignal?.addEventListener('abort', onClientAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      released = true;
      clearTimeout(timer);
      clientSignal?.removeEventListener('abort', onClientAbort);
    },
  };
}

function upstreamHeaders(
  request: UpstreamRequest<unknown>,
  ctx: CallContext,
  forwardAuthorization: boolean,
  traceparent: string | undefined,
) {
  // Built from scratch: only allow-listed headers ever reach an upstream.
  const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': ctx.requestId };
  if (traceparent) headers.traceparent = traceparent;
  if (forwardAuthorization && ctx.authorization) headers.authorization = ctx.authorization;
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  return headers;
}

function parseBody<T>(service: ServiceName, schema: z.ZodType<T>, text: string): T {
  let value: unknown;
  try {
    value = text.length === 0 ? undefined : JSON.parse(text);
  } catch (error) {
    throw new UpstreamError(service, 'bad-response', { message: `${service}: body is not JSON`, cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new UpstreamError(service, 'bad-response', {
      message: `${service}: unexpected response shape`,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
