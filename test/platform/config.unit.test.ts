import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';

const SECRET = 'a-secret-that-is-at-least-32-bytes-long';

function config(env: Record<string, string | undefined>): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.errors.join('\n')}`);
  return result.config;
}

function errors(env: Record<string, string | undefined>): string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected the configuration to be rejected');
  return result.errors;
}

describe('loadConfig defaults', () => {
  it('uses the defaults of the spec table when only the secret is set', () => {
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
  });

  it('reads every variable it is given', () => {
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

  it('selects JWKS mode when only JWT_JWKS_URL is set', () => {
    expect(config({ JWT_JWKS_URL: 'https://auth.example/jwks.json' }).jwt).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://auth.example/jwks.json',
    });
  });

  it('treats an empty JWT_SECRET as unset', () => {
    expect(config({ JWT_SECRET: '', JWT_JWKS_URL: 'https://auth.example/jwks.json' }).jwt.mode).toBe('jwks');
  });

  it('splits CORS_ORIGINS on commas and trims each origin', () => {
    const c = config({ JWT_SECRET: SECRET, CORS_ORIGINS: ' https://a.example , https://b.example,,  ' });
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('serves TLS when both files are set', () => {
    const c = config({ JWT_SECRET: SECRET, TLS_CERT_FILE: '/tls/cert.pem', TLS_KEY_FILE: '/tls/key.pem' });
    expect(c.tls).toEqual({ certFile: '/tls/cert.pem', keyFile: '/tls/key.pem' });
  });
});

describe('loadConfig errors', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['UPSTREAM_TIMEOUT_MS', { UPSTREAM_TIMEOUT_MS: '-1' }],
    ['URL_TAREAS', { URL_TAREAS: 'notaurl' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['TLS_KEY_FILE', { TLS_CERT_FILE: '/tls/cert.pem' }],
    ['TLS_CERT_FILE', { TLS_KEY_FILE: '/tls/key.pem' }],
  ])('gives one line naming %s when it is bad', (name, bad) => {
    const lines = errors({ JWT_SECRET: SECRET, ...bad });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('rejects setting both JWT_SECRET and JWT_JWKS_URL in one line naming them', () => {
    const lines = errors({ JWT_SECRET: SECRET, JWT_JWKS_URL: 'https://auth.example/jwks.json' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('JWT_SECRET');
    expect(lines[0]).toContain('JWT_JWKS_URL');
  });

  it('rejects setting neither JWT_SECRET nor JWT_JWKS_URL in one line naming them', () => {
    const lines = errors({});
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('JWT_SECRET');
    expect(lines[0]).toContain('JWT_JWKS_URL');
  });

  it('rejects a JWKS URL that is not http(s)', () => {
    const lines = errors({ JWT_JWKS_URL: 'ftp://auth.example/jwks.json' });
    expect(lines.some((line) => line.includes('JWT_JWKS_URL'))).toBe(true);
  });

  it('rejects WORKERS greater than 1 without REDIS_URL, naming both variables', () => {
    const lines = errors({ JWT_SECRET: SECRET, WORKERS: '2' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WORKERS');
    expect(lines[0]).toContain('REDIS_URL');
    expect(config({ JWT_SECRET: SECRET, WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).workers).toBe(2);
  });

  it('rejects a REQUEST_TIMEOUT_MS not greater than 2 x UPSTREAM_TIMEOUT_MS in one line naming both', () => {
    for (const timing of [
      { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' },
      { UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '800' },
      { UPSTREAM_TIMEOUT_MS: '6000' },
      { REQUEST_TIMEOUT_MS: '6000' },
    ]) {
      const lines = errors({ JWT_SECRET: SECRET, ...timing });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^REQUEST_TIMEOUT_MS: /);
      expect(lines[0]).toContain('UPSTREAM_TIMEOUT_MS');
    }
    expect(config({ JWT_SECRET: SECRET, UPSTREAM_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1001' }).requestTimeoutMs).toBe(1001);
    // A bad timeout is reported once, as itself, not again as a budget the other cannot fit.
    expect(errors({ JWT_SECRET: SECRET, UPSTREAM_TIMEOUT_MS: '6000.5' })).toEqual([expect.stringMatching(/^UPSTREAM_TIMEOUT_MS: /)]);
    expect(errors({ JWT_SECRET: SECRET, REQUEST_TIMEOUT_MS: 'soon' })).toEqual([expect.stringMatching(/^REQUEST_TIMEOUT_MS: /)]);
  });

  it('takes redis:// and rediss:// URLs (password and database allowed) and refuses others', () => {
    expect(config({ JWT_SECRET: SECRET, REDIS_URL: 'rediss://:p%40ss@redis.example:6380/2' }).redis).toEqual({
      url: 'rediss://:p%40ss@redis.example:6380/2',
      keyPrefix: 'botica:',
    });
    expect(config({ JWT_SECRET: SECRET, REDIS_URL: 'redis://r:6379', REDIS_KEY_PREFIX: 'staging:' }).redis?.keyPrefix).toBe('staging:');
    expect(config({ JWT_SECRET: SECRET }).redis).toBeUndefined();
    expect(errors({ JWT_SECRET: SECRET, REDIS_URL: 'http://redis.example' }).join('\n')).toContain('REDIS_URL');
  });

  it('takes RECETAS_API estado or validar and a positive RECETAS_OCR_TIMEOUT_MS', () => {
    expect(config({ JWT_SECRET: SECRET }).recetasApi).toBe('estado');
    expect(config({ JWT_SECRET: SECRET, RECETAS_API: 'validar', RECETAS_OCR_TIMEOUT_MS: '15000' })).toMatchObject({
      recetasApi: 'validar',
      recetasOcrTimeoutMs: 15000,
    });
    expect(errors({ JWT_SECRET: SECRET, RECETAS_API: 'ocr' }).join('\n')).toContain('RECETAS_API');
    expect(errors({ JWT_SECRET: SECRET, RECETAS_OCR_TIMEOUT_MS: '-5' }).join('\n')).toContain('RECETAS_OCR_TIMEOUT_MS');
  });

  it('reports every bad variable at once, one line each', () => {
    const lines = errors({ JWT_SECRET: SECRET, PORT: 'abc', LOG_LEVEL: 'loud', URL_TAREAS: 'notaurl' });
    expect(lines).toHaveLength(3);
    for (const name of ['PORT', 'LOG_LEVEL', 'URL_TAREAS']) {
      expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    }
  });

  it('reports a missing secret together with other bad variables', () => {
    const lines = errors({ PORT: 'abc' });
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('PORT'))).toBe(true);
    expect(lines.some((line) => line.includes('JWT_SECRET'))).toBe(true);
  });

  it('reports an unpaired TLS file together with other bad variables', () => {
    const lines = errors({ JWT_SECRET: SECRET, LOG_LEVEL: 'loud', TLS_CERT_FILE: '/tls/cert.pem' });
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.includes('TLS_KEY_FILE'))).toBe(true);
  });
});
