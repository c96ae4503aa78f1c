// METRICS_PORT and TRUSTED_PROXY_HOPS: defaults, parsing, the one-line start-up error of a
// METRICS_PORT equal to PORT, and the listen-failure line that names METRICS_PORT.
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { listenFailureMessage, MetricsPortListenFailure } from '../../src/server/listen-failure.js';

const SECRET = 'a-secret-that-is-at-least-32-bytes-long';

function config(env: Record<string, string | undefined>): Config {
  const result = loadConfig({ JWT_SECRET: SECRET, ...env });
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.errors.join('\n')}`);
  return result.config;
}

function errors(env: Record<string, string | undefined>): string[] {
  const result = loadConfig({ JWT_SECRET: SECRET, ...env });
  if (result.ok) throw new Error('expected the configuration to be rejected');
  return result.errors;
}

describe('METRICS_PORT', () => {
  it('is absent by default (and when empty): /metrics stays on PORT', () => {
    expect(config({}).metricsPort).toBeUndefined();
    expect(config({ METRICS_PORT: '' }).metricsPort).toBeUndefined();
  });

  it('reads a port, 0 (any free port) included', () => {
    expect(config({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(config({ PORT: '0', METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('refuses a port equal to PORT in one line naming METRICS_PORT', () => {
    for (const env of [{ PORT: '9000', METRICS_PORT: '9000' }, { METRICS_PORT: '8888' }]) {
      const lines = errors(env);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^METRICS_PORT: .*PORT/);
    }
  });

  it('refuses what is not a port, once', () => {
    for (const value of ['abc', '-1', '65536', '94.64']) {
      expect(errors({ METRICS_PORT: value })).toEqual([expect.stringMatching(/^METRICS_PORT: /)]);
    }
    // A bad PORT and a METRICS_PORT with the same text: each reported once, as itself.
    expect(errors({ PORT: 'abc', METRICS_PORT: 'abc' })).toHaveLength(2);
  });
});

describe('TRUSTED_PROXY_HOPS', () => {
  it('is 0 by default and reads a count', () => {
    expect(config({}).trustedProxyHops).toBe(0);
    expect(config({ TRUSTED_PROXY_HOPS: '1' }).trustedProxyHops).toBe(1);
    expect(config({ TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
  });

  it('refuses what is not a small whole number, in one line', () => {
    for (const value of ['-1', '1.5', 'one', '33']) {
      expect(errors({ TRUSTED_PROXY_HOPS: value })).toEqual([expect.stringMatching(/^TRUSTED_PROXY_HOPS: /)]);
    }
  });
});

describe('a METRICS_PORT that cannot listen', () => {
  const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

  it('is named in the one-line message, with the port to try instead', () => {
    expect(listenFailureMessage(new MetricsPortListenFailure(9464, inUse), '0.0.0.0', 8888, 'npm start')).toBe(
      'port 9464 on 0.0.0.0 is already in use; start on another port: METRICS_PORT=9465 npm start',
    );
    expect(listenFailureMessage(inUse, '0.0.0.0', 9464, 'npm start', 'METRICS_PORT')).toContain('METRICS_PORT=9465');
  });

  it('leaves the PORT message as it was', () => {
    expect(listenFailureMessage(inUse, '127.0.0.1', 8888, 'npm run demo')).toBe(
      'port 8888 on 127.0.0.1 is already in use; start on another port: PORT=8889 npm run demo',
    );
  });
});
