import { existsSync } from 'node:fs';
import { EnvSchema, type Env } from './env-schema.js';

export type ServiceName = 'usuarios' | 'productos' | 'recetas' | 'tareas' | 'facturas';
export const SERVICE_NAMES: readonly ServiceName[] = ['usuarios', 'productos', 'recetas', 'tareas', 'facturas'];

/** The environment variable that holds each upstream's base URL. */
export const UPSTREAM_URL_VARS: Record<ServiceName, string> = {
  usuarios: 'URL_USUARIOS_COMPRAS',
  productos: 'URL_PRODUCTOS_OFERTAS',
  recetas: 'URL_RECETAS_MEDICOS',
  tareas: 'URL_TAREAS',
  facturas: 'URL_FACTURAS',
};

/** The environment that points the gateway at these upstream base URLs (demo, tests, benchmarks). */
export function upstreamUrlEnv(urls: Record<ServiceName, string>): Record<string, string> {
  return Object.fromEntries(SERVICE_NAMES.map((service) => [UPSTREAM_URL_VARS[service], urls[service]]));
}

export type JwtConfig =
  | { mode: 'secret'; secret: string; issuer?: string; audience?: string }
  | { mode: 'jwks'; jwksUrl: string; issuer?: string; audience?: string };

/** The typed configuration every other module receives; nothing else reads process.env. */
export interface Config {
  port: number;
  host: string;
  /** Processes serving the port (node:cluster); 1 means no cluster. */
  workers: number;
  /**
   * When set, /metrics is served only on this port (plain HTTP on `host`; by the cluster's primary
   * when `workers` > 1) and `port` answers it 404. Absent: /metrics is on `port`.
   */
  metricsPort?: number;
  /**
   * Proxies in front of the gateway that append to X-Forwarded-For: 0, the client address is the
   * TCP peer; n, the n-th entry from the right (see http/client-address.ts).
   */
  trustedProxyHops: number;
  upstreamUrls: Record<ServiceName, string>;
  jwt: JwtConfig;
  upstreamTimeoutMs: number;
  requestTimeoutMs: number;
  breaker: { errorThresholdPercentage: number; volumeThreshold: number; resetTimeoutMs: number };
  prescriptionValidityDays: number;
  /**
   * Which prescriptions API the service speaks: `estado` (PUT /api/recetas/estado/{id}) or
   * `validar` (the current service: PUT /api/recetas/{id}/validar, OCR and its own doctor check).
   */
  recetasApi: 'estado' | 'validar';
  /** Cap of the calls that run OCR (upload, validar); absent: `upstreamTimeoutMs` applies. */
  recetasOcrTimeoutMs?: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  invoiceBodyLimitBytes: number;
  shutdownGraceMs: number;
  loadShedding: { maxEventLoopDelayMs: number; maxInFlight: number };
  logLevel: Env['LOG_LEVEL'];
  tls?: { certFile: string; keyFile: string };
  /**
   * The Redis (or Valkey) every process and replica shares: stock locks, idempotency records and
   * limits. Absent: the embedded in-process store (one process only).
   */
  redis?: { url: string; keyPrefix: string };
  /** An unkeyed purchase identical to one the same caller sent this recently gets the first answer (0: off). */
  doubleSubmitWindowMs: number;
  /** Per-caller limits (0: none): purchases in progress at once, and writes per sliding minute. */
  callerLimits: { purchasesInFlight: number; writesPerMinute: number; loginsPerMinute: number };
  /** Buyers of the same products waiting in this process share one lock hold (`STOCK_BATCHING`). */
  stockBatching: boolean;
  /** Largest PDF part of a prescription upload (`UPLOAD_LIMIT_BYTES`). */
  uploadLimitBytes: number;
  /** Host names task `base_url`s may use (`*.example.com` for subdomains); empty: any public host. */
  taskAllowedHosts: string[];
  /** OTLP/HTTP trace export; absent (no cost at all) unless the OTEL_* variables ask for it. */
  tracing?: { tracesUrl: string; serviceName: string };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const stripTrailingSlash = (value: string) => value.replace(/\/+$/, '');

/**
 * The process's own configuration: a `.env` file in the working directory (when there is one) is
 * loaded into the environment first, then the environment is read. The one place in src/ that
 * reads `process.env` (a lint rule keeps it so): everything else gets the typed `Config`.
 */
export function loadProcessConfig(envFile = '.env'): ConfigResult {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return loadConfig(process.env);
}

/** Parses the environment once; each bad variable becomes one line of `errors`. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const claims = { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE };
  const jwt: JwtConfig =
    e.JWT_SECRET !== undefined
      ? { mode: 'secret', secret: e.JWT_SECRET, ...claims }
      : { mode: 'jwks', jwksUrl: e.JWT_JWKS_URL as string, ...claims };
  return {
    ok: true,
    config: {
      port: e.PORT,
      host: e.HOST,
      workers: e.WORKERS,
      ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
      trustedProxyHops: e.TRUSTED_PROXY_HOPS,
      upstreamUrls: {
        usuarios: stripTrailingSlash(e.URL_USUARIOS_COMPRAS),
        productos: stripTrailingSlash(e.URL_PRODUCTOS_OFERTAS),
        recetas: stripTrailingSlash(e.URL_RECETAS_MEDICOS),
        tareas: stripTrailingSlash(e.URL_TAREAS),
        facturas: stripTrailingSlash(e.URL_FACTURAS),
      },
      jwt,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      breaker: {
        errorThresholdPercentage: e.BREAKER_ERROR_THRESHOLD_PERCENT,
        volumeThreshold: e.BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: e.BREAKER_RESET_TIMEOUT_MS,
      },
      prescriptionValidityDays: e.RECETA_VALIDEZ_DIAS,
      recetasApi: e.RECETAS_API,
      ...(e.RECETAS_OCR_TIMEOUT_MS !== undefined ? { recetasOcrTimeoutMs: e.RECETAS_OCR_TIMEOUT_MS } : {}),
      corsOrigins: e.CORS_ORIGINS,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      invoiceBodyLimitBytes: e.INVOICE_BODY_LIMIT_BYTES,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      loadShedding: { maxEventLoopDelayMs: e.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS, maxInFlight: e.LOAD_SHED_MAX_IN_FLIGHT },
      logLevel: e.LOG_LEVEL,
      ...(e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { tls: { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } } : {}),
      ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } } : {}),
      doubleSubmitWindowMs: e.DOUBLE_SUBMIT_WINDOW_MS,
      callerLimits: {
        purchasesInFlight: e.PURCHASES_IN_FLIGHT_PER_CALLER,
        writesPerMinute: e.WRITES_PER_MINUTE_PER_CALLER,
        loginsPerMinute: e.LOGINS_PER_MINUTE_PER_ADDRESS,
      },
      uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
      stockBatching: e.STOCK_BATCHING === 'on',
      taskAllowedHosts: e.TASK_ALLOWED_HOSTS,
      ...tracingConfig(e),
    },
  };
}

const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

/** OpenTelemetry's rules: on when an OTLP endpoint or `OTEL_TRACES_EXPORTER=otlp` is set, off when disabled. */
function tracingConfig(e: Env): Pick<Config, 'tracing'> {
  const exporter = e.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  const asked = exporter === 'otlp' || e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (e.OTEL_SDK_DISABLED === 'true' || exporter === 'none' || !asked) return {};
  const tracesUrl =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${stripTrailingSlash(e.OTEL_EXPORTER_OTLP_ENDPOINT)}/v1/traces` : DEFAULT_OTLP_TRACES_URL);
  return { tracing: { tracesUrl, serviceName: e.OTEL_SERVICE_NAME } };
}
