// Fault injection in the shared mock app frame: the control endpoints that set a service's rules
// (`PUT|GET|DELETE /__mock/faults`) and the middleware that applies them after a call has been
// recorded and before the service's handler runs.
//   latency         waits `latencyMs`, then the real handler answers; if the client hangs up
//                   meanwhile the handler never runs (nothing is applied) and the socket is dropped
//   late-apply      waits `latencyMs`, then the real handler runs even if the client hung up
//                   meanwhile: a write the service applies after the caller gave up on it
//   hang            never answers; the socket is dropped once the client aborts or the server closes
//                   (under msw the handler ends when the client aborts)
//   reset           drops the TCP connection without an answer (under msw / app.request, a
//                   `Response.error()`, which msw reports to the caller as a network error)
//   status          answers `status` (default 500) with `body` (JSON content type if it parses;
//                   no body for 204/205/304)
//   malformed-json  answers 2xx `application/json` that does not parse
//   wrong-shape     answers 2xx valid JSON that matches no contract of upstreams.md
import type { IncomingMessage } from 'node:http';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { MockState, ServiceName } from '../state.js';
import { parseFaultRules, takeFault } from './fault-rules.js';
import type { FaultRule } from './fault-rules.js';

const DEFAULT_BODIES = {
  status: '{"error":"injected fault"}',
  'malformed-json': '{"truncated": [1, 2',
  'wrong-shape': '{"unexpected":"shape"}',
} as const;

/** `PUT` replaces this service's rules (400 with `issues` when invalid), `GET` lists them, `DELETE` clears them. */
export function registerFaultControl(app: Hono, state: MockState, service: ServiceName, path: string): void {
  app.get(path, (c) => c.json(state.faultsOf(service)));
  app.put(path, async (c) => {
    let value: unknown;
    try {
      value = JSON.parse(await c.req.text()) as unknown;
    } catch {
      return c.json({ error: 'invalid fault rules', issues: ['body: must be a JSON array of fault rules'] }, 400);
    }
    const parsed = parseFaultRules(value);
    if ('issues' in parsed) return c.json({ error: 'invalid fault rules', issues: parsed.issues }, 400);
    state.setFaults(service, parsed.rules);
    return c.json(state.faultsOf(service));
  });
  app.delete(path, (c) => {
    state.setFaults(service, []);
    return c.body(null, 204);
  });
}

export function injectFaults(state: MockState, service: ServiceName, controlPrefix: string): MiddlewareHandler {
  return async (c, next) => {
    const rule = c.req.path.startsWith(controlPrefix) ? undefined : takeFault(state.faults, service, c.req.method, c.req.path);
    if (!rule) return next();
    return applyFault(c, rule, next);
  };
}

async function applyFault(c: Context, rule: FaultRule, next: () => Promise<void>): Promise<Response | void> {
  const signal = c.req.raw.signal;
  switch (rule.fault) {
    case 'latency':
      return (await elapsedUnlessAborted(rule.latencyMs ?? 0, signal)) ? next() : dropConnection(c);
    case 'late-apply':
      await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 0));
      return next();
    case 'hang':
      await aborted(signal);
      return dropConnection(c);
    case 'reset':
      return dropConnection(c);
    case 'status':
      return answer(c, rule.status ?? 500, rule.body ?? DEFAULT_BODIES.status);
    case 'malformed-json':
    case 'wrong-shape':
      return answer(c, rule.status ?? 200, rule.body ?? DEFAULT_BODIES[rule.fault], 'application/json');
  }
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

function answer(c: Context, status: number, body: string, contentType?: string): Response {
  if (NULL_BODY_STATUSES.has(status)) return c.body(null, status as 204);
  const type = contentType ?? (isJson(body) ? 'application/json' : 'text/plain; charset=utf-8');
  return c.body(body, status as ContentfulStatusCode, { 'content-type': type });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Over a real server: destroy the socket (the returned response is never written). Else a network error. */
function dropConnection(c: Context): Response {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.socket) {
    incoming.socket.destroy();
    return new Response(null, { status: 502 });
  }
  return Response.error();
}

/** Resolves true after `ms`, or false as soon as the client aborts. */
function elapsedUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when the client aborts (over a real server also when the server closes the socket). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
