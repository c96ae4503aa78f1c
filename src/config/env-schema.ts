import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** Every environment variable of the gateway, with its documented default (README, Configuration). */
export const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8888),
    HOST: z.string().min(1).default('0.0.0.0'),
    WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    // Absent: /metrics on PORT. Set: only there (plain HTTP on HOST), and PORT answers it 404. 0: any free port.
    METRICS_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(0).max(65_535).optional()),
    // Proxies in front that append to X-Forwarded-For (0: the TCP peer is the client; one Ingress: 1).
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(32).default(0),
    URL_USUARIOS_COMPRAS: url.default('http://localhost:8080'),
    URL_PRODUCTOS_OFERTAS: url.default('http://localhost:8000'),
    URL_RECETAS_MEDICOS: url.default('http://localhost:3000'),
    URL_TAREAS: url.default('http://localhost:8001'),
    URL_FACTURAS: url.default('http://localhost:8002'),
    JWT_SECRET: optionalString.refine((value) => value === undefined || Buffer.byteLength(value) >= 32, {
      message: 'must be at least 32 bytes',
    }),
    JWT_JWKS_URL: optionalString.pipe(url.optional()),
    JWT_ISSUER: optionalString,
    JWT_AUDIENCE: optionalString,
    UPSTREAM_TIMEOUT_MS: positiveInt(3000),
    REQUEST_TIMEOUT_MS: positiveInt(10_000),
    BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(0).default(10),
    BREAKER_RESET_TIMEOUT_MS: positiveInt(10_000),
    RECETA_VALIDEZ_DIAS: positiveInt(30),
    RECETAS_API: z.enum(['estado', 'validar']).default('estado'),
    RECETAS_OCR_TIMEOUT_MS: optionalString.pipe(z.coerce.number<string | undefined>().int().positive().optional()),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin.length > 0),
      ),
    BODY_LIMIT_BYTES: positiveInt(102_400),
    INVOICE_BODY_LIMIT_BYTES: positiveInt(1_048_576),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
    LOAD_SHED_MAX_IN_FLIGHT: z.coerce.number().int().min(0).default(5000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // OpenTelemetry's standard variables: tracing is off unless one of them asks for OTLP.
    OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
    OTEL_TRACES_EXPORTER: optionalString,
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(url.optional()),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString.pipe(url.optional()),
    OTEL_SERVICE_NAME: z.string().min(1).default('botica-gateway'),
    TLS_CERT_FILE: optionalString,
    TLS_KEY_FILE: optionalString,
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default('botica:'),
    DOUBLE_SUBMIT_WINDOW_MS: z.coerce.number().int().min(0).default(10_000),
    PURCHASES_IN_FLIGHT_PER_CALLER: z.coerce.number().int().min(0).default(2),
    WRITES_PER_MINUTE_PER_CALLER: z.coerce.number().int().min(0).default(60),
    // Group commit of stock writes; `off` serves each purchase alone (for comparison and as a kill switch).
    STOCK_BATCHING: z.enum(['on', 'off']).default('on'),
    LOGINS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(0).default(10),
    UPLOAD_LIMIT_BYTES: positiveInt(5_242_880),
    TASK_ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((host) => host.trim().toLowerCase())
          .filter((host) => host.length > 0),
      ),
  })
  .superRefine((env, ctx) => {
    const modes = [env.JWT_SECRET, env.JWT_JWKS_URL].filter((value) => value !== undefined).length;
    if (modes !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'exactly one of JWT_SECRET and JWT_JWKS_URL must be set',
      });
    }
    if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'],
        message: 'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
      });
    }
    if (env.WORKERS > 1 && env.REDIS_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKERS'],
        message: 'WORKERS greater than 1 needs REDIS_URL: per-process locks and idempotency records would let processes oversell and register twice',
      });
    }
    // A purchase starts its writes only with 2 x UPSTREAM_TIMEOUT_MS of budget left (a stock write
    // and the registration): a request budget not above that would refuse every purchase.
    const positive = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;
    if (positive(env.REQUEST_TIMEOUT_MS) && positive(env.UPSTREAM_TIMEOUT_MS) && env.REQUEST_TIMEOUT_MS <= 2 * env.UPSTREAM_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REQUEST_TIMEOUT_MS'],
        message:
          `must be greater than 2 x UPSTREAM_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS} <= 2 x ${env.UPSTREAM_TIMEOUT_MS}): ` +
          'no purchase could ever start its writes (a stock write and the registration)',
      });
    }
    if (typeof env.METRICS_PORT === 'number' && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: the metrics port serves only /metrics, and PORT then answers it 404',
      });
    }
    // Run even when some variable failed: start-up reports every bad variable at once.
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

export type Env = z.infer<typeof EnvSchema>;
