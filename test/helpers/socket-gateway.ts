// The one socket-level gateway of the tests: the real gateway (in-process `startServer`) in front
// of the real mock servers (with fault injection), every hop over a TCP socket on 127.0.0.1, plus
// small helpers to call it and read what the mocks recorded. Used by the end-to-end, operations,
// chaos and hostile-limits tests. Same secret and tokens as the in-memory harness.
import { createMockUpstreams, type MockUpstreams, type RecordedCall, type ServiceName } from '../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { loadConfig, upstreamUrlEnv } from '../../src/config/config.js';
import { createDeps, type DepsOverrides, type GatewayDeps } from '../../src/deps.js';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { startServer, type RunningGateway, type ServerTimeouts } from '../../src/server/start-server.js';
import { fakeResolveHost } from './fake-dns.js';
import { API, LogCapture, TEST_SECRET, tokens } from './harness.js';

/** The mock services over real sockets, with the state behind them. */
export interface MockServersUnderTest extends RunningMockServers {
  mocks: MockUpstreams;
}

/** Starts every mock service on a free port; `recetasApi` is the generation the prescriptions mock plays. */
export async function startMockServersUnderTest(options: { recetasApi?: 'estado' | 'validar' } = {}): Promise<MockServersUnderTest> {
  const mocks = createMockUpstreams({ jwtSecret: TEST_SECRET, taskExecutionDelayMs: 20, recetasApi: options.recetasApi ?? 'estado' });
  const servers = await startMockServers(mocks);
  return { mocks, urls: servers.urls, close: servers.close };
}

export interface GatewayOptions {
  /**
   * Mock servers already running (one set per test file, a fresh gateway per test); `close()`
   * then leaves them running. Without it the gateway gets its own, closed with it.
   */
  upstreams?: MockServersUnderTest;
  /** Writes the gateway's log at `info` into `logs` (otherwise the logger is silent). */
  captureLogs?: boolean;
  /** startServer's socket timeouts (slow-loris, idle keep-alive); production's defaults without it. */
  timeouts?: ServerTimeouts;
}

export interface GatewayUnderTest {
  /** Root URL of the gateway, e.g. `http://127.0.0.1:41234` (https with TLS). */
  url: string;
  /** `<url>/api/orchestrator` */
  api: string;
  mocks: MockUpstreams;
  upstreams: MockServersUnderTest;
  gateway: RunningGateway;
  deps: GatewayDeps;
  /** The gateway's log lines with `captureLogs`; empty otherwise. */
  logs: LogCapture;
  clienteToken: string;
  adminToken: string;
  /** Restores the seed of every mock service (through the control endpoint). */
  resetMocks(): Promise<void>;
  /** Drains the gateway, and closes the mock servers unless they were given. */
  close(): Promise<void>;
}

/**
 * A gateway process-equivalent (own breakers, locks and idempotency memory) over real sockets;
 * `env` adds or overrides gateway variables and `overrides` replaces dependencies (a tracer, a
 * capturing logger).
 */
export async function startGatewayUnderTest(
  env: Record<string, string> = {},
  overrides: DepsOverrides = {},
  options: GatewayOptions = {},
): Promise<GatewayUnderTest> {
  // Own mock servers play the prescriptions generation RECETAS_API names.
  const upstreams = options.upstreams ?? (await startMockServersUnderTest({ recetasApi: env.RECETAS_API === 'validar' ? 'validar' : 'estado' }));
  const closeOwnUpstreams = () => (options.upstreams ? Promise.resolve() : upstreams.close());
  try {
    const loaded = loadConfig({
      JWT_SECRET: TEST_SECRET,
      ...upstreamUrlEnv(upstreams.urls),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // Identical purchases of one caller are sent on purpose (fault after fault in the chaos
      // suites); the double-submit rule and the per-caller limits are tested apart.
      DOUBLE_SUBMIT_WINDOW_MS: '0',
      PURCHASES_IN_FLIGHT_PER_CALLER: '0',
      WRITES_PER_MINUTE_PER_CALLER: '0',
      LOGINS_PER_MINUTE_PER_ADDRESS: '0',
      // As in the in-process harness: no 503 because the machine running the tests is busy.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const logs = new LogCapture();
    const deps = createDeps(loaded.config, {
      logger: options.captureLogs ? createLogger('info', logs) : createLogger('silent'),
      metrics: new GatewayMetrics({ processMetrics: false }),
      resolveHost: fakeResolveHost,
      ...overrides,
    });
    const gateway = await startServer(deps, options.timeouts);
    return {
      url: gateway.url,
      api: `${gateway.url}${API}`,
      mocks: upstreams.mocks,
      upstreams,
      gateway,
      deps,
      logs,
      clienteToken: await tokens.ana(),
      adminToken: await tokens.admin(),
      resetMocks: async () => {
        const res = await fetch(`${upstreams.urls.usuarios}/__mock/reset`, { method: 'POST' });
        if (res.status !== 204) throw new Error(`mock reset answered ${res.status}`);
      },
      close: async () => {
        await gateway.drain();
        await closeOwnUpstreams();
      },
    };
  } catch (error) {
    await closeOwnUpstreams();
    throw error;
  }
}

export interface GatewayAnswer {
  status: number;
  headers: Headers;
  /** The raw body, to check nothing of an upstream leaks into it. */
  text: string;
  body: Record<string, unknown>;
}

export interface CallInit {
  token?: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Gives up waiting after this long (bounds the wait; it is not a latency assertion). */
  waitAtMostMs?: number;
}

/** One JSON call over a socket; `base` is usually a gateway's `api`. */
export async function callGateway(base: string, path: string, init: CallInit = {}): Promise<GatewayAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    ...(init.waitAtMostMs ? { signal: AbortSignal.timeout(init.waitAtMostMs) } : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  if (text) body = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, text, body };
}

/** What a mock server recorded, read through its control endpoint (as an outside checker would). */
export async function recordedCalls(urls: Record<ServiceName, string>, service: ServiceName): Promise<RecordedCall[]> {
  const res = await fetch(`${urls[service]}/__mock/calls`);
  if (res.status !== 200) throw new Error(`/__mock/calls answered ${res.status}`);
  return (await res.json()) as RecordedCall[];
}

/** A recorded call as `service METHOD /path`. */
export const describeCall = (call: RecordedCall) => `${call.service} ${call.method} ${call.path}`;
