// The frame every mock service shares: control endpoints, call recording, fault injection
// (mocks/faults) and 404/500 answers shaped like the real service's framework. Each service app
// adds its own routes on top.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { injectFaults, registerFaultControl } from '../faults/fault-injection.js';
import type { MockState, ServiceName } from '../state.js';
import { bodyForRecording } from './request-body.js';

export interface MockAppOptions {
  /** HS256 secret shared with the gateway; the users and task services verify tokens with it. */
  jwtSecret: string;
  /** Simulated Celery latency of the task service before a task becomes `executed`. */
  taskExecutionDelayMs?: number;
  /**
   * Which generation of the prescriptions service to play: `estado` (PUT /api/recetas/estado/:id,
   * the default) or `validar` (the service in the pharmacy's repository today: OCR validation).
   */
  recetasApi?: 'estado' | 'validar';
}

/** How the real framework answers an unmatched route and an unhandled exception. */
export interface FrameworkErrors {
  notFound(c: Context): Response | Promise<Response>;
  internalError(c: Context, err: Error): Response;
}

const CONTROL_PREFIX = '/__mock/';

export function createMockApp(state: MockState, service: ServiceName, errors: FrameworkErrors): Hono {
  const app = new Hono();

  // Control endpoints for e2e tests, benchmarks and black-box checkers; never recorded.
  app.get(`${CONTROL_PREFIX}calls`, (c) => c.json(state.calls.filter((call) => call.service === service)));
  app.post(`${CONTROL_PREFIX}reset`, (c) => {
    state.reset();
    return c.body(null, 204);
  });
  registerFaultControl(app, state, service, `${CONTROL_PREFIX}faults`);

  // Record before handling, so even calls that fail auth or crash are visible to tests.
  app.use('*', async (c, next) => {
    if (!c.req.path.startsWith(CONTROL_PREFIX)) {
      const url = new URL(c.req.url);
      state.calls.push({
        service,
        method: c.req.method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        headers: Object.fromEntries(c.req.raw.headers),
        body: await bodyForRecording(c),
      });
    }
    await next();
  });
  // Faults apply to recorded calls only, before the service's own routes (registered after this).
  app.use('*', injectFaults(state, service, CONTROL_PREFIX));

  app.notFound((c) => errors.notFound(c));
  app.onError((err, c) => errors.internalError(c, err));
  return app;
}
