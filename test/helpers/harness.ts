import { Writable } from 'node:stream';
import { FetchDispatcher } from './fetch-dispatcher.js';
import { setupServer } from 'msw/node';
import { expect } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config, type ServiceName, upstreamUrlEnv } from '../../src/config/config.js';
import { createDeps, type GatewayDeps } from '../../src/deps.js';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { createMockUpstreams, signMockToken, SEED_DNI, type MockUpstreams, type RecordedCall } from '../../mocks/index.js';
import { createMswHandlers } from '../../mocks/handlers/msw-handlers.js';
import { fakeResolveHost } from './fake-dns.js';

export const TEST_SECRET = 'integration-test-secret-of-at-least-32-bytes';

export const BASE_URLS: Record<ServiceName, string> = {
  usuarios: 'http://usuarios.test',
  productos: 'http://productos.test',
  recetas: 'http://recetas.test',
  tareas: 'http://tareas.test',
  facturas: 'http://facturas.test',
};

export const testEnv = (env: Record<string, string> = {}): Record<string, string> => ({
  JWT_SECRET: TEST_SECRET,
  ...upstreamUrlEnv(BASE_URLS),
  LOG_LEVEL: 'info',
  // Suites here send identical purchases and many writes of one caller on purpose; the
  // double-submit rule and the per-caller limits have their own tests with them on
  // (purchases/idempotency.use-case.test.ts, security/caller-limits.http.test.ts).
  DOUBLE_SUBMIT_WINDOW_MS: '0',
  PURCHASES_IN_FLIGHT_PER_CALLER: '0',
  WRITES_PER_MINUTE_PER_CALLER: '0',
  LOGINS_PER_MINUTE_PER_ADDRESS: '0',
  // Shedding on event-loop delay would answer 503 to any test whenever the machine running the
  // suite is busy; load shedding has its own tests (resilience/load-shedding.http.test.ts).
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  ...env,
});

export function testConfig(env: Record<string, string> = {}): Config {
  const loaded = loadConfig(testEnv(env));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.config;
}

/** The production transport (undici), its pool replaced by a dispatcher that hands requests to msw. */
export const mswDispatcher = (origin: string) => new FetchDispatcher(origin);

/** Everything the gateway logged, one parsed JSON object per line. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * The gateway app over msw-backed mock upstreams (unhandled requests are errors). One msw server
 * per test file: call `listen()` in beforeAll, `reset()` in beforeEach, `close()` in afterAll.
 */
export function createHarness(
  env: Record<string, string> = {},
  options: {
    mockRecetasApi?: 'estado' | 'validar';
    /** Resolves task `base_url` hosts for the SSRF guard instead of the fake DNS (e.g. a slow one). */
    resolveHost?: (host: string, timeoutMs: number) => Promise<string[]>;
  } = {},
) {
  // The mock prescriptions service plays the generation the gateway is configured for, unless
  // a test asks for a mismatch.
  const mocks: MockUpstreams = createMockUpstreams({
    jwtSecret: TEST_SECRET,
    taskExecutionDelayMs: 20,
    recetasApi: options.mockRecetasApi ?? (env.RECETAS_API === 'validar' ? 'validar' : 'estado'),
  });
  const msw = setupServer(...createMswHandlers(mocks, BASE_URLS));
  const logs = new LogCapture();
  let deps: GatewayDeps;
  let app: ReturnType<typeof createApp>;

  const build = () => {
    deps = createDeps(testConfig(env), {
      logger: createLogger('info', logs),
      metrics: new GatewayMetrics({ processMetrics: false }),
      resolveHost: options.resolveHost ?? fakeResolveHost,
      upstreamDispatcher: mswDispatcher,
    });
    app = createApp(deps);
  };
  build();

  return {
    mocks,
    msw,
    logs,
    get app() {
      return app;
    },
    get deps() {
      return deps;
    },
    listen: () => msw.listen({ onUnhandledRequest: 'error' }),
    /** Fresh seed, fresh breakers and memory, no msw overrides. */
    reset: () => {
      msw.resetHandlers();
      mocks.reset();
      logs.lines.length = 0;
      deps.close();
      build();
    },
    close: () => {
      msw.close();
      deps.close();
    },
    calls: (service?: ServiceName): RecordedCall[] => mocks.calls(service),
    /** Calls that could change something upstream. */
    writes: (service?: ServiceName) => mocks.calls(service).filter((call) => call.method !== 'GET'),
    /**
     * `bodyDelayMs` sends the JSON body as a stream whose rest arrives only that long after its
     * first byte: a slow client, spending the request's budget before the route reads the body.
     */
    request: (path: string, init: RequestInit & { token?: string; json?: unknown; bodyDelayMs?: number } = {}) => {
      const { token, json, bodyDelayMs, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (json === undefined) return app.request(path, { ...rest, headers });
      headers.set('content-type', 'application/json');
      const text = JSON.stringify(json);
      if (bodyDelayMs === undefined) return app.request(path, { ...rest, headers, body: text });
      return app.request(path, { ...rest, headers, body: slowBody(text, bodyDelayMs), duplex: 'half' } as RequestInit);
    },
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** `text` as a stream: its first byte at once, the rest `delayMs` later. */
function slowBody(text: string, delayMs: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(bytes.subarray(0, 1));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      controller.enqueue(bytes.subarray(1));
      controller.close();
    },
  });
}

export const tokens = {
  ana: () => signMockToken(TEST_SECRET, { dni: SEED_DNI.ana, role: 'CLIENTE' }),
  luis: () => signMockToken(TEST_SECRET, { dni: SEED_DNI.luis, role: 'CLIENTE' }),
  pedro: () => signMockToken(TEST_SECRET, { dni: SEED_DNI.pedro, role: 'CLIENTE' }),
  admin: () => signMockToken(TEST_SECRET, { dni: SEED_DNI.admin, role: 'ADMIN' }),
};

export const API = '/api/orchestrator';

/** Reads a JSON error body and checks the uniform shape on the way. */
export async function errorBody(response: Response) {
  const body = (await response.json()) as { error: string; code: string; details?: Record<string, unknown>; requestId: string };
  if (body.requestId !== response.headers.get('x-request-id')) {
    throw new Error(`requestId ${body.requestId} differs from X-Request-Id ${response.headers.get('x-request-id')}`);
  }
  return body;
}

/** A 401 in the uniform body with `WWW-Authenticate: Bearer`, and no upstream called at all. */
export async function expectUnauthenticated(h: Harness, response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect((await errorBody(response)).code).toBe('UNAUTHENTICATED');
  expect(h.calls()).toEqual([]);
}
