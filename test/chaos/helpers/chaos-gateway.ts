// Shared frame of the chaos tests: the real mock servers (with fault injection) and the real
// gateway server in front of them, every hop over a TCP socket on 127.0.0.1, plus small helpers
// to call the gateway, read the mocks' recorded calls and capture the gateway's logs.
import { fakeResolveHost } from '../../helpers/fake-dns.js';
import { createMockUpstreams, signMockToken, SEED_DNI, type MockUpstreams, type RecordedCall, type ServiceName } from '../../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../../mocks/servers/start-mock-servers.js';
import { loadConfig, upstreamUrlEnv } from '../../../src/config/config.js';
import { createDeps, type GatewayDeps } from '../../../src/deps.js';
import { createLogger } from '../../../src/observability/logger.js';
import { GatewayMetrics } from '../../../src/observability/metrics.js';
import { startServer, type RunningGateway } from '../../../src/server/start-server.js';
import { LogCapture } from '../../helpers/harness.js';

export const CHAOS_SECRET = 'chaos-tests-secret-of-at-least-32-bytes!';

export interface Upstreams {
  mocks: MockUpstreams;
  urls: Record<ServiceName, string>;
  close(): Promise<void>;
}

export async function startUpstreams(): Promise<Upstreams> {
  const mocks = createMockUpstreams({ jwtSecret: CHAOS_SECRET, taskExecutionDelayMs: 20 });
  const servers: RunningMockServers = await startMockServers(mocks);
  return { mocks, urls: servers.urls, close: servers.close };
}

export interface ChaosGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `<url>/api/orchestrator` */
  api: string;
  deps: GatewayDeps;
  logs: LogCapture;
  close(): Promise<void>;
}

/** A gateway process-equivalent (own breakers, locks and idempotency memory) over real sockets. */
export async function startGateway(urls: Record<ServiceName, string>, env: Record<string, string> = {}): Promise<ChaosGateway> {
  const loaded = loadConfig({
    JWT_SECRET: CHAOS_SECRET,
    ...upstreamUrlEnv(urls),
    PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '2000',
    // The chaos suites repeat identical purchases of one caller on purpose (fault after fault); the
    // double-submit rule is tested apart with its window on.
    DOUBLE_SUBMIT_WINDOW_MS: '0',
    PURCHASES_IN_FLIGHT_PER_CALLER: '0',
    WRITES_PER_MINUTE_PER_CALLER: '0',
    LOGINS_PER_MINUTE_PER_ADDRESS: '0',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const logs = new LogCapture();
  const deps = createDeps(loaded.config, {
    logger: createLogger('info', logs),
    metrics: new GatewayMetrics({ processMetrics: false }),
    resolveHost: fakeResolveHost,
  });
  const running: RunningGateway = await startServer(deps);
  return { url: running.url, api: `${running.url}/api/orchestrator`, deps, logs, close: () => running.drain() };
}

export const tokens = {
  ana: () => signMockToken(CHAOS_SECRET, { dni: SEED_DNI.ana, role: 'CLIENTE' }),
  luis: () => signMockToken(CHAOS_SECRET, { dni: SEED_DNI.luis, role: 'CLIENTE' }),
  pedro: () => signMockToken(CHAOS_SECRET, { dni: SEED_DNI.pedro, role: 'CLIENTE' }),
  admin: () => signMockToken(CHAOS_SECRET, { dni: SEED_DNI.admin, role: 'ADMIN' }),
};

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

/** Every recorded call of every service, as `service METHOD /path`. */
export const describeCall = (call: RecordedCall) => `${call.service} ${call.method} ${call.path}`;
