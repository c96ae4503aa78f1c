import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { SERVICE_NAMES, type Config, type ServiceName } from './config/config.js';
import type { HealthStatus } from './domain/health.js';
import { listAllPurchases, listMyPurchases } from './domain/purchases/list-purchases.js';
import { registerPurchase } from './domain/purchases/register-purchase.js';
import { StockBatches } from './domain/purchases/stock-batches.js';
import { limitedWrite } from './domain/limited-writes.js';
import type { CallerLimits } from './domain/ports/caller-limits.js';
import {
  assertStateRequestAllowed,
  updatePrescriptionState,
  type PrescriptionState,
} from './domain/prescriptions/update-prescription-state.js';
import type { RequestContext } from './domain/request-context.js';
import { createCoordination } from './coordination/create-coordination.js';
import { LoadMonitor } from './observability/load-monitor.js';
import { registryExposition, type MetricsExposition } from './observability/cluster-metrics.js';
import { createLogger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { submitInvoices, type Invoice } from './domain/invoices/submit-invoices.js';
import { integrationTasks, type IntegrationTaskUseCases } from './domain/tasks/integration-tasks.js';
import type { InvoiceUseCases } from './routes/invoices/index.js';
import { accountUseCases, type AccountUseCases } from './domain/account/account.js';
import { catalogueUseCases, type CatalogueUseCases } from './domain/catalogue/catalogue.js';
import { readPrescription } from './domain/prescriptions/read-prescription.js';
import { uploadPrescription, type PdfInTransit } from './domain/prescriptions/upload-prescription.js';
import { createPrescriptionUploadClient } from './upstreams/recetas/upload-client.js';
import { createAccountClient } from './upstreams/usuarios/account-client.js';
import { createCatalogueClient } from './upstreams/productos/catalogue-client.js';
import type { PrescriptionUseCases } from './routes/prescriptions/index.js';
import type { PurchaseUseCases } from './routes/purchases/index.js';
import { createUpstream, type Upstream } from './upstreams/http/call-upstream.js';
import { createBreaker, type ServiceBreaker } from './upstreams/http/create-breaker.js';
import type { HttpTransport } from './upstreams/http/transport.js';
import { undiciTransport } from './upstreams/http/undici-transport.js';
import { createInvoicesClient } from './upstreams/facturas/facturas-client.js';
import { createProductsClient } from './upstreams/productos/productos-client.js';
import { createPrescriptionsClient } from './upstreams/recetas/recetas-client.js';
import { createTasksClient } from './upstreams/tareas/tareas-client.js';
import { createUsersClient } from './upstreams/usuarios/usuarios-client.js';
import { resolveHost } from './upstreams/dns/resolve-host.js';


/**
 * Services that receive the caller's Authorization: the users service and both queues (the invoice
 * queue checks none itself, but deployments put it behind an authenticating proxy).
 */
const FORWARDS_AUTHORIZATION: Record<ServiceName, boolean> = {
  usuarios: true,
  productos: false,
  recetas: false,
  tareas: true,
  facturas: true,
};

/** Everything the app is built from; tests replace any part. */
export interface GatewayDeps {
  config: Config;
  logger: Logger;
  metrics: GatewayMetrics;
  /** What GET /metrics answers: `metrics`' registry, or with WORKERS > 1 the sum over the workers. */
  metricsExposition: MetricsExposition;
  verifyToken: TokenVerifier;
  health: HealthStatus & { startDraining(): void };
  loadMonitor: LoadMonitor;
  /** Present only when tracing is on (see observability/tracing.ts). */
  tracer?: Tracer;
  purchases: PurchaseUseCases;
  prescriptions: PrescriptionUseCases;
  tasks: IntegrationTaskUseCases;
  invoices: InvoiceUseCases;
  accounts: AccountUseCases;
  catalogue: CatalogueUseCases;
  /** Stops breaker timers; call on shutdown. */
  close(): void;
}

export interface DepsOverrides {
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** A cluster worker's: the sum over every worker, asked of the primary (main.ts). */
  metricsExposition?: MetricsExposition;
  verifyToken?: TokenVerifier;
  /** What carries upstream requests instead of undici's Pool (tests: a dispatcher that hands them to msw). */
  upstreamDispatcher?: (origin: string) => Dispatcher;
  now?: () => Date;
  tracer?: Tracer;
  /** Resolves task `base_url` host names for the SSRF guard (tests inject a fake DNS). */
  resolveHost?: (host: string, timeoutMs: number) => Promise<string[]>;
}

/** The composition root: one undici transport (a keep-alive Pool) and one breaker per upstream, built once per process. */
export function createDeps(config: Config, overrides: DepsOverrides = {}): GatewayDeps {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = overrides.metrics ?? new GatewayMetrics();
  const now = overrides.now ?? (() => new Date());

  const transports: HttpTransport[] = [];
  const transportFor = (baseUrl: string): HttpTransport => {
    const transport = undiciTransport(baseUrl, overrides.upstreamDispatcher ? { dispatcher: overrides.upstreamDispatcher } : {});
    transports.push(transport);
    return transport;
  };

  const breakers = {} as Record<ServiceName, ServiceBreaker>;
  const upstreams = {} as Record<ServiceName, Upstream>;
  for (const service of SERVICE_NAMES) {
    const breaker = createBreaker(service, config.breaker);
    metrics.initBreaker(service);
    breaker.onStateChange((state) => {
      metrics.breakerChanged(service, state);
      logger.warn({ service, breaker: state }, 'circuit breaker state changed');
    });
    breakers[service] = breaker;
    upstreams[service] = createUpstream({
      service,
      breaker,
      transport: transportFor(config.upstreamUrls[service]),
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      forwardAuthorization: FORWARDS_AUTHORIZATION[service],
      observer: metrics,
    });
  }

  const coordination = createCoordination(config, logger, metrics);
  const users = createUsersClient(upstreams.usuarios);
  const products = createProductsClient(upstreams.productos);
  const prescriptionsClient = createPrescriptionsClient(upstreams.recetas, {
    api: config.recetasApi,
    ...(config.recetasOcrTimeoutMs !== undefined ? { ocrTimeoutMs: config.recetasOcrTimeoutMs } : {}),
  });
  const invoicesClient = createInvoicesClient(upstreams.facturas);
  const validity = { prescriptionValidityDays: config.prescriptionValidityDays, now };

  const purchaseDeps = {
    users,
    products,
    prescriptions: prescriptionsClient,
    stockLocks: coordination.stockLocks,
    stockBatches: new StockBatches(coordination.stockLocks, products, logger, config.stockBatching),
    idempotency: coordination.idempotency,
    limits: coordination.limits,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    doubleSubmitWindowMs: config.doubleSubmitWindowMs,
    logger,
    ...validity,
  };
  const prescriptionDeps = {
    prescriptions: prescriptionsClient,
    products,
    users,
    logger,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    ...(config.recetasOcrTimeoutMs !== undefined ? { ocrTimeoutMs: config.recetasOcrTimeoutMs } : {}),
    ...validity,
  };
  const uploadDeps = {
    uploads: createPrescriptionUploadClient(upstreams.recetas, {
      ...(config.recetasOcrTimeoutMs !== undefined ? { ocrTimeoutMs: config.recetasOcrTimeoutMs } : {}),
    }),
    logger,
    uploadTimeoutMs: config.recetasOcrTimeoutMs ?? config.upstreamTimeoutMs,
  };
  const invoiceDeps = { client: invoicesClient, upstreamTimeoutMs: config.upstreamTimeoutMs };

  const loadMonitor = new LoadMonitor(config.loadShedding);
  let draining = false;
  return {
    config,
    logger,
    metrics,
    metricsExposition: overrides.metricsExposition ?? registryExposition(metrics.registry),
    verifyToken: overrides.verifyToken ?? createTokenVerifier(config.jwt),
    health: {
      isDraining: () => draining,
      startDraining: () => {
        draining = true;
      },
      breakerStates: () => Object.fromEntries(SERVICE_NAMES.map((service) => [service, breakers[service].state()])),
      load: () => loadMonitor.snapshot(),
      coordination: () => coordination.state(),
    },
    loadMonitor,
    ...(overrides.tracer ? { tracer: overrides.tracer } : {}),
    purchases: {
      registerPurchase: (input, ctx) => registerPurchase(purchaseDeps, input, ctx),
      listMyPurchases: (ctx) => listMyPurchases(purchaseDeps, ctx),
      listAllPurchases: (page, ctx) => listAllPurchases(purchaseDeps, page, ctx),
    },
    // Every write but purchases (which count themselves, around their replays) passes the
    // per-caller write limit first.
    prescriptions: {
      updatePrescriptionState: limitedWrite(
        coordination.limits,
        (id: string, state: PrescriptionState, ctx: RequestContext) => updatePrescriptionState(prescriptionDeps, id, state, ctx),
        (_id, state, ctx) => assertStateRequestAllowed(config.recetasApi, state, ctx),
      ),
      getPrescription: (id, ctx) => readPrescription(prescriptionsClient, id, ctx),
      uploadPrescription: limitedWrite(coordination.limits, (pdf: PdfInTransit, ctx: RequestContext) =>
        uploadPrescription(uploadDeps, pdf, ctx),
      ),
    },
    accounts: withLimitedProfileChanges(
      accountUseCases({ accounts: createAccountClient(upstreams.usuarios), limits: coordination.limits, upstreamTimeoutMs: config.upstreamTimeoutMs }),
      coordination.limits,
    ),
    catalogue: catalogueUseCases(createCatalogueClient(upstreams.productos)),
    tasks: withLimitedTaskWrites(
      integrationTasks(
        createTasksClient(upstreams.tareas),
        { allowedHosts: config.taskAllowedHosts, resolve: overrides.resolveHost ?? resolveHost },
        config.upstreamTimeoutMs,
      ),
      coordination.limits,
    ),
    invoices: {
      submitInvoices: limitedWrite(coordination.limits, (invoices: Invoice[], key: string, ctx: RequestContext) =>
        submitInvoices(invoiceDeps, invoices, key, ctx),
      ),
    },
    close: () => {
      for (const service of SERVICE_NAMES) breakers[service].shutdown();
      loadMonitor.close();
      for (const transport of transports) void transport.close();
      void coordination.close();
    },
  };
}

/** A profile change is a write: it passes the per-caller write limit; reads, login and register do not. */
function withLimitedProfileChanges(accounts: AccountUseCases, limits: CallerLimits): AccountUseCases {
  return { ...accounts, updateProfile: limitedWrite(limits, accounts.updateProfile) };
}

/** The task writes (create, update, delete, execute) behind the per-caller write limit; reads are not limited. */
function withLimitedTaskWrites(tasks: IntegrationTaskUseCases, limits: CallerLimits): IntegrationTaskUseCases {
  return {
    ...tasks,
    createTask: limitedWrite(limits, tasks.createTask),
    updateTask: limitedWrite(limits, tasks.updateTask),
    deleteTask: limitedWrite(limits, tasks.deleteTask),
    executeTask: limitedWrite(limits, tasks.executeTask),
  };
}
