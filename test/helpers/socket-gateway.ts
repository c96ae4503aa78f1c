// The real gateway (in-process `startServer`) in front of the real mock servers, every hop over
// a TCP socket on 127.0.0.1. Shared by the end-to-end and operations tests.
import { createMockUpstreams, signMockToken, SEED_DNI, type MockUpstreams } from '../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { loadConfig, upstreamUrlEnv } from '../../src/config/config.js';
import { createDeps, type DepsOverrides } from '../../src/deps.js';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { startServer, type RunningGateway } from '../../src/server/start-server.js';
import { fakeResolveHost } from './fake-dns.js';

export const OPS_SECRET = 'ops-tests-secret-of-at-least-32-bytes-long';

export interface GatewayUnderTest {
  /** Root URL of the gateway, e.g. `http://127.0.0.1:41234` (https with TLS). */
  url: string;
  mocks: MockUpstreams;
  upstreams: RunningMockServers;
  gateway: RunningGateway;
  clienteToken: string;
  adminToken: string;
  /** Restores the seed of every mock service. */
  resetMocks(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the mock upstreams and the gateway; `env` adds or overrides gateway variables and
 * `overrides` replaces dependencies (a tracer, a capturing logger).
 */
export async function startGatewayUnderTest(
  env: Record<string, string> = {},
  overrides: DepsOverrides = {},
): Promise<GatewayUnderTest> {
  // The mock prescriptions service plays the generation RECETAS_API names.
  const mocks = createMockUpstreams({
    jwtSecret: OPS_SECRET,
    taskExecutionDelayMs: 20,
    recetasApi: env.RECETAS_API === 'validar' ? 'validar' : 'estado',
  });
  const upstreams = await startMockServers(mocks);
  try {
    const loaded = loadConfig({
      JWT_SECRET: OPS_SECRET,
      ...upstreamUrlEnv(upstreams.urls),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // Identical purchases of one caller are sent on purpose; the double-submit rule is tested apart.
      DOUBLE_SUBMIT_WINDOW_MS: '0',
      PURCHASES_IN_FLIGHT_PER_CALLER: '0',
      WRITES_PER_MINUTE_PER_CALLER: '0',
      LOGINS_PER_MINUTE_PER_ADDRESS: '0',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const deps = createDeps(loaded.config, {
      logger: createLogger('silent'),
      metrics: new GatewayMetrics({ processMetrics: false }),
      resolveHost: fakeResolveHost,
      ...overrides,
    });
    const gateway = await startServer(deps);
    return {
      url: gateway.url,
      mocks,
      upstreams,
      gateway,
      clienteToken: await signMockToken(OPS_SECRET, { dni: SEED_DNI.ana, role: 'CLIENTE' }),
      adminToken: await signMockToken(OPS_SECRET, { dni: SEED_DNI.admin, role: 'ADMIN' }),
      resetMocks: async () => {
        const res = await fetch(`${upstreams.urls.usuarios}/__mock/reset`, { method: 'POST' });
        if (res.status !== 204) throw new Error(`mock reset answered ${res.status}`);
      },
      close: async () => {
        await gateway.drain();
        await upstreams.close();
      },
    };
  } catch (error) {
    await upstreams.close();
    throw error;
  }
}
