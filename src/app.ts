import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { cors } from 'hono/cors';
import { timing } from 'hono/timing';
import type { Config } from './config/config.js';
import type { GatewayDeps } from './deps.js';
import { API_PREFIX } from './http/api-prefix.js';
import type { AppEnv } from './http/app-env.js';
import { createErrorHandler, notFoundHandler } from './http/error-handlers.js';
import { authenticate } from './http/middleware/authenticate.js';
import { limitBodies } from './http/middleware/body-limits.js';
import { publicContext } from './http/middleware/public-context.js';
import { accountRoutes } from './routes/account/index.js';
import { catalogueRoutes } from './routes/catalogue/index.js';
import { edge } from './http/middleware/edge.js';
import { shedLoad } from './http/middleware/load-shedding.js';
import { traceRequest } from './http/middleware/trace-request.js';
import { validationHook } from './http/validation-hook.js';
import { buildOpenApiDocument, registerSecurityScheme } from './routes/docs/openapi-document.js';
import { swaggerUi } from './routes/docs/swagger-ui.js';
import { healthRoutes } from './routes/health/index.js';
import { invoiceRoutes } from './routes/invoices/index.js';
import { prescriptionRoutes } from './routes/prescriptions/index.js';
import { purchaseRoutes } from './routes/purchases/index.js';
import { taskRoutes } from './routes/tasks/index.js';

/** The budget of a route that runs OCR: `max(REQUEST_TIMEOUT_MS, RECETAS_OCR_TIMEOUT_MS + 2000)` when the cap is set. */
function ocrBudgetMs(config: Config): number {
  if (config.recetasOcrTimeoutMs === undefined) return config.requestTimeoutMs;
  return Math.max(config.requestTimeoutMs, config.recetasOcrTimeoutMs + OCR_BUDGET_MARGIN_MS);
}

/** Validation runs OCR only with the `validar` generation. */
const validationBudgetMs = (config: Config) => (config.recetasApi === 'validar' ? ocrBudgetMs(config) : config.requestTimeoutMs);

/** How much an upload's body may exceed its PDF: multipart framing and the frontend's other fields. */
const UPLOAD_FRAMING_BYTES = 64 * 1024;
const OCR_BUDGET_MARGIN_MS = 2000;

/**
 * Builds the gateway from its dependencies. Never reads the environment and never listens:
 * tests build it with fakes, `main.ts` serves it.
 */
export function createApp(deps: GatewayDeps): OpenAPIHono<AppEnv> {
  const { config, logger, metrics } = deps;
  const app = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });

  app.use(edge({ hsts: config.tls !== undefined, logger, metrics, trustedProxyHops: config.trustedProxyHops }));
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: config.corsOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'traceparent', 'Accept-Language'],
        exposeHeaders: ['X-Request-Id', 'X-Gateway-Completed', 'Retry-After', 'Idempotent-Replayed', 'Server-Timing'],
        maxAge: 600,
      }),
    );
  }

  // Every API route but the probes: shed load first (cheapest refusal), body limits, who is
  // calling, then time the upstream calls (Server-Timing entries where there are calls to show).
  const bodyLimits = limitBodies(config.bodyLimitBytes, {
    // Invoice batches are the one large body: 1000 invoices need more than the default limit.
    [`${API_PREFIX}/facturas`]: config.invoiceBodyLimitBytes,
    // Streamed, with limits of its own (UPLOAD_LIMIT_BYTES).
    [`${API_PREFIX}/recetas/upload`]: null,
  });
  const chain = (identify: MiddlewareHandler) =>
    every(
      shedLoad(deps.loadMonitor),
      bodyLimits,
      identify,
      ...(deps.tracer ? [traceRequest(deps.tracer)] : []),
      timing({ totalDescription: 'gateway total', crossOrigin: config.corsOrigins.join(', ') || false }),
    );
  const auth = chain(authenticate(deps.verifyToken, config.requestTimeoutMs));
  // Routes open to anyone (login, register, the catalogue): the token is not read.
  const open = chain(publicContext(config.requestTimeoutMs));
  const api = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
  api.route('/', healthRoutes(deps.health));
  api.route('/', accountRoutes(deps.accounts, open, auth));
  api.route('/', catalogueRoutes(deps.catalogue, open));
  api.route('/', purchaseRoutes(deps.purchases, auth));
  api.route(
    '/',
    prescriptionRoutes(deps.prescriptions, auth, {
      validationBudgetMs: validationBudgetMs(config),
      uploadBudgetMs: ocrBudgetMs(config),
      uploadLimits: {
        fileBytes: config.uploadLimitBytes,
        bodyBytes: config.uploadLimitBytes + UPLOAD_FRAMING_BYTES,
        idleMs: config.upstreamTimeoutMs,
      },
    }),
  );
  api.route('/', taskRoutes(deps.tasks, auth));
  api.route('/', invoiceRoutes(deps.invoices, auth));
  app.route(API_PREFIX, api);

  registerSecurityScheme(app);
  const document = buildOpenApiDocument(app);
  app.get('/api/schema', (c) => c.json(document));
  app.route('/api/docs', swaggerUi('/api/schema'));
  // With METRICS_PORT, /metrics is served only there (server/metrics-server.ts): here it is an
  // unknown route, the uniform 404 NOT_FOUND.
  if (config.metricsPort === undefined) {
    const exposition = deps.metricsExposition;
    app.get('/metrics', async (c) => c.body(await exposition.text(), 200, { 'Content-Type': exposition.contentType }));
  }

  app.onError(createErrorHandler(logger));
  app.notFound(notFoundHandler);
  return app;
}
