// loadConfig: the spec's defaults, every variable read, and one line per bad variable (start-up
// prints them all at once: process-lifecycle.sockets checks the process side); and the one-line
// message of a port that cannot listen.
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { listenFailureMessage, MetricsPortListenFailure } from '../../src/server/listen-failure.js';

const SECRET = 'a-secret-that-is-at-least-32-bytes-long';
const JWKS = 'https://auth.example/jwks.json';
type Env = Record<string, string | undefined>;

function config(env: Env): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.errors.join('\n')}`);
  return result.config;
}

function errors(env: Env): string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected the configuration to be rejected');
  return result.errors;
}

describe('loadConfig reads', () => {
  it('the defaults of the spec table when only the secret is set', () => {
    const c = config({ JWT_SECRET: SECRET });
    expect(c.port).toBe(8888);
    expect(c.host).toBe('0.0.0.0');
    expect(c.upstreamUrls).toEqual({
      usuarios: 'http://localhost:8080',
      productos: 'http://localhost:8000',
      recetas: 'http://localhost:3000',
      tareas: 'http://localhost:8001',
      facturas: 'http://localhost:8002',
    });
    expect(c.jwt).toEqual({ mode: 'secret', secret: SECRET });
    expect(c.upstreamTimeoutMs).toBe(3000);
    expect(c.requestTimeoutMs).toBe(10_000);
    expect(c.breaker).toEqual({ errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 10_000 });
    expect(c.prescriptionValidityDays).toBe(30);
    expect(c.corsOrigins).toEqual([]);
    expect(c.bodyLimitBytes).toBe(102_400);
    expect(c.invoiceBodyLimitBytes).toBe(1_048_576);
    expect(c.shutdownGraceMs).toBe(10_000);
    expect(c.logLevel).toBe('info');
    expect(c.tls).toBeUndefined();
    expect(c.redis).toBeUndefined();
    expect(c.recetasApi).toBe('estado');
    // Absent: /metrics stays on PORT.
    expect(c.metricsPort).toBeUndefined();
    expect(c.trustedProxyHops).toBe(0);
  });

  it('every variable it is given', () => {
    const c = config({
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'botica',
      JWT_AUDIENCE: 'gateway',
      PORT: '9000',
      HOST: '127.0.0.1',
      URL_USUARIOS_COMPRAS: 'http://users.internal:8080/',
      UPSTREAM_TIMEOUT_MS: '1500',
      REQUEST_TIMEOUT_MS: '4000',
      BREAKER_ERROR_THRESHOLD_PERCENT: '25',
      BREAKER_VOLUME_THRESHOLD: '3',
      BREAKER_RESET_TIMEOUT_MS: '2000',
      RECETA_VALIDEZ_DIAS: '15',
      BODY_LIMIT_BYTES: '2048',
      INVOICE_BODY_LIMIT_BYTES: '4096',
      SHUTDOWN_GRACE_MS: '0',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      jwt: { mode: 'secret', issuer: 'botica', audience: 'gateway' },
      upstreamTimeoutMs: 1500,
      requestTimeoutMs: 4000,
      breaker: { errorThresholdPercentage: 25, volumeThreshold: 3, resetTimeoutMs: 2000 },
      prescriptionValidityDays: 15,
      bodyLimitBytes: 2048,
      invoiceBodyLimitBytes: 4096,
      shutdownGraceMs: 0,
      logLevel: 'debug',
    });
    expect(c.upstreamUrls.usuarios).toBe('http://users.internal:8080');
  });

  it.each<[string, Env, (c: Config) => unknown, unknown]>([
    ['JWKS mode when only JWT_JWKS_URL is set', { JWT_JWKS_URL: JWKS }, (c) => c.jwt, { mode: 'jwks', jwksUrl: JWKS }],
    ['an empty JWT_SECRET as unset', { JWT_SECRET: '', JWT_JWKS_URL: JWKS }, (c) => c.jwt.mode, 'jwks'],
    ['CORS_ORIGINS split on commas, each trimmed', { CORS_ORIGINS: ' https://a.example , https://b.example,,  ' }, (c) => c.corsOrigins, ['https://a.example', 'https://b.example']],
    ['TLS when both files are set', { TLS_CERT_FILE: '/tls/cert.pem', TLS_KEY_FILE: '/tls/key.pem' }, (c) => c.tls, { certFile: '/tls/cert.pem', keyFile: '/tls/key.pem' }],
    ['WORKERS greater than 1 with REDIS_URL', { WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }, (c) => c.workers, 2],
    ['a REQUEST_TIMEOUT_MS just above 2 x UPSTREAM_TIMEOUT_MS', { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1001' }, (c) => c.requestTimeoutMs, 1001],
    ['a rediss:// URL with password and database', { REDIS_URL: 'rediss://:p%40ss@redis.example:6380/2' }, (c) => c.redis, { url: 'rediss://:p%40ss@redis.example:6380/2', keyPrefix: 'botica:' }],
    ['REDIS_KEY_PREFIX', { REDIS_URL: 'redis://r:6379', REDIS_KEY_PREFIX: 'staging:' }, (c) => c.redis?.keyPrefix, 'staging:'],
    ['RECETAS_API validar and RECETAS_OCR_TIMEOUT_MS', { RECETAS_API: 'validar', RECETAS_OCR_TIMEOUT_MS: '15000' }, (c) => [c.recetasApi, c.recetasOcrTimeoutMs], ['validar', 15000]],
    ['an empty METRICS_PORT as unset', { METRICS_PORT: '' }, (c) => c.metricsPort, undefined],
    ['METRICS_PORT', { METRICS_PORT: '9464' }, (c) => c.metricsPort, 9464],
    ['METRICS_PORT 0 (any free port) with PORT 0', { PORT: '0', METRICS_PORT: '0' }, (c) => c.metricsPort, 0],
    ['TRUSTED_PROXY_HOPS 1', { TRUSTED_PROXY_HOPS: '1' }, (c) => c.trustedProxyHops, 1],
    ['TRUSTED_PROXY_HOPS 2', { TRUSTED_PROXY_HOPS: '2' }, (c) => c.trustedProxyHops, 2],
  ])('%s', (_name, env, read, expected) => {
    const withSecret = 'JWT_JWKS_URL' in env ? env : { JWT_SECRET: SECRET, ...env };
    expect(read(config(withSecret))).toEqual(expected);
  });
});

describe('loadConfig refuses, in one line starting with the variable', () => {
  it.each<[string, Env[], RegExp]>([
    ['PORT not a number', [{ PORT: 'abc' }], /^PORT: /],
    ['a negative UPSTREAM_TIMEOUT_MS', [{ UPSTREAM_TIMEOUT_MS: '-1' }], /^UPSTREAM_TIMEOUT_MS: /],
    ['a URL_TAREAS that is no URL', [{ URL_TAREAS: 'notaurl' }], /^URL_TAREAS: /],
    ['an unknown LOG_LEVEL', [{ LOG_LEVEL: 'loud' }], /^LOG_LEVEL: /],
    ['a JWT_SECRET under 32 bytes', [{ JWT_SECRET: 'too-short' }], /^JWT_SECRET: /],
    ['TLS_CERT_FILE without TLS_KEY_FILE', [{ TLS_CERT_FILE: '/tls/cert.pem' }], /^TLS_KEY_FILE: /],
    ['TLS_KEY_FILE without TLS_CERT_FILE', [{ TLS_KEY_FILE: '/tls/key.pem' }], /^TLS_CERT_FILE: /],
    ['both or neither of JWT_SECRET and JWT_JWKS_URL, naming both', [{ JWT_JWKS_URL: JWKS }, { JWT_SECRET: undefined }], /^JWT_SECRET: .*JWT_JWKS_URL/],
    ['a JWKS URL that is not http(s)', [{ JWT_SECRET: undefined, JWT_JWKS_URL: 'ftp://auth.example/jwks.json' }], /^JWT_JWKS_URL: /],
    ['WORKERS greater than 1 without REDIS_URL, naming both', [{ WORKERS: '2' }], /^WORKERS: .*REDIS_URL/],
    ['a REDIS_URL that is not redis(s)://', [{ REDIS_URL: 'http://redis.example' }], /^REDIS_URL: /],
    ['an unknown RECETAS_API', [{ RECETAS_API: 'ocr' }], /^RECETAS_API: /],
    ['a negative RECETAS_OCR_TIMEOUT_MS', [{ RECETAS_OCR_TIMEOUT_MS: '-5' }], /^RECETAS_OCR_TIMEOUT_MS: /],
    // The request budget must exceed 2 x UPSTREAM_TIMEOUT_MS (a purchase's two writes).
    ['a REQUEST_TIMEOUT_MS not above 2 x UPSTREAM_TIMEOUT_MS, naming both', [
      { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' },
      { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '800' },
      { UPSTREAM_TIMEOUT_MS: '6000' },
      { REQUEST_TIMEOUT_MS: '6000' },
    ], /^REQUEST_TIMEOUT_MS: .*UPSTREAM_TIMEOUT_MS/],
    // A bad timeout is reported once, as itself, not again as a budget the other cannot fit.
    ['an UPSTREAM_TIMEOUT_MS that is not whole', [{ UPSTREAM_TIMEOUT_MS: '6000.5' }], /^UPSTREAM_TIMEOUT_MS: /],
    ['a REQUEST_TIMEOUT_MS that is no number', [{ REQUEST_TIMEOUT_MS: 'soon' }], /^REQUEST_TIMEOUT_MS: /],
    ['a METRICS_PORT equal to PORT', [{ PORT: '9000', METRICS_PORT: '9000' }, { METRICS_PORT: '8888' }], /^METRICS_PORT: .*PORT/],
    ['a METRICS_PORT that is not a port', ['abc', '-1', '65536', '94.64'].map((value) => ({ METRICS_PORT: value })), /^METRICS_PORT: /],
    ['a TRUSTED_PROXY_HOPS that is not a small whole number', ['-1', '1.5', 'one', '33'].map((value) => ({ TRUSTED_PROXY_HOPS: value })), /^TRUSTED_PROXY_HOPS: /],
  ])('%s', (_name, bads, line) => {
    for (const bad of bads) expect(errors({ JWT_SECRET: SECRET, ...bad }), JSON.stringify(bad)).toEqual([expect.stringMatching(line)]);
  });

  it('reports every bad variable at once, one line each', () => {
    const lines = errors({ JWT_SECRET: SECRET, PORT: 'abc', LOG_LEVEL: 'loud', URL_TAREAS: 'notaurl' });
    expect(lines).toHaveLength(3);
    for (const name of ['PORT', 'LOG_LEVEL', 'URL_TAREAS']) {
      expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    }
  });

  it.each<[string, Env, string[]]>([
    ['a missing secret', { PORT: 'abc' }, ['PORT', 'JWT_SECRET']],
    ['an unpaired TLS file', { JWT_SECRET: SECRET, LOG_LEVEL: 'loud', TLS_CERT_FILE: '/tls/cert.pem' }, ['LOG_LEVEL', 'TLS_KEY_FILE']],
    ['a bad PORT and a METRICS_PORT of the same text, each as itself', { JWT_SECRET: SECRET, PORT: 'abc', METRICS_PORT: 'abc' }, ['PORT', 'METRICS_PORT']],
  ])('reports %s together with other bad variables', (_name, env, names) => {
    const lines = errors(env);
    expect(lines.map((line) => line.slice(0, line.indexOf(':'))).sort()).toEqual([...names].sort());
  });
});

describe('the one-line message of a port that cannot listen', () => {
  const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

  it.each<[string, string, string]>([
    // The METRICS_PORT listener's failure names that variable, with the port to try instead.
    ['METRICS_PORT', listenFailureMessage(new MetricsPortListenFailure(9464, inUse), '0.0.0.0', 8888, 'npm start'),
      'port 9464 on 0.0.0.0 is already in use; start on another port: METRICS_PORT=9465 npm start'],
    ['METRICS_PORT named by the caller', listenFailureMessage(inUse, '0.0.0.0', 9464, 'npm start', 'METRICS_PORT'),
      'port 9464 on 0.0.0.0 is already in use; start on another port: METRICS_PORT=9465 npm start'],
    ['PORT', listenFailureMessage(inUse, '127.0.0.1', 8888, 'npm run demo'),
      'port 8888 on 127.0.0.1 is already in use; start on another port: PORT=8889 npm run demo'],
  ])('names %s and the command to start on another port', (_name, message, expected) => {
    expect(message).toBe(expected);
  });
});
