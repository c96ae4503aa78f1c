// Gateway processes (`node dist/src/main.js`) sharing one Redis, in front of the mock servers:
// what an operator runs with several replicas or WORKERS > 1.
import { createMockUpstreams, type MockUpstreams } from '../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { upstreamUrlEnv } from '../../src/config/config.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startRedis, type RedisUnderTest } from '../../scripts/dev/redis-server.js';
import { TEST_SECRET, tokens } from './harness.js';
import { BUILD_TIMEOUT_MS, MAIN_JS, ensureBuilt, freePort, spawnNode, waitFor, type NodeProcess } from './e2e.js';

export interface GatewayProcess {
  proc: NodeProcess;
  api: string;
}

export async function startUpstreamServers(): Promise<{ mocks: MockUpstreams; servers: RunningMockServers }> {
  const mocks = createMockUpstreams({ jwtSecret: TEST_SECRET, taskExecutionDelayMs: 20 });
  return { mocks, servers: await startMockServers(mocks) };
}

/** Starts one gateway process and waits until it answers `/ready` (200, whatever the store's state). */
export async function startGatewayProcess(
  upstreams: RunningMockServers,
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const port = await freePort();
  const proc = spawnNode(MAIN_JS, {
    JWT_SECRET: TEST_SECRET,
    ...upstreamUrlEnv(upstreams.urls),
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_MS: '1000',
    ...env,
  });
  const api = `http://127.0.0.1:${port}/api/orchestrator`;
  await waitFor(
    async () => {
      if (proc.hasExited()) throw new Error(`gateway exited:\n${proc.stderr()}${proc.stdout()}`);
      return (await fetch(`${api}/ready`)).status === 200;
    },
    { timeoutMs: 20_000, what: 'gateway ready' },
  );
  return { proc, api };
}

/** Tokens of the seeded customers (one caller per concurrent buyer group). */
export const customerTokens = () => Promise.all([tokens.ana(), tokens.luis(), tokens.pedro()]);

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function buy(api: string, token: string, productoId: number, cantidad = 1): Promise<Answer> {
  const response = await fetch(`${api}/compras`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ productos: [{ producto_id: productoId, cantidad }] }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const statusCounts = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

/** What a scale-out test file works with: a private Redis, the mock servers and customer tokens. */
export interface ScaleOutWorld {
  readonly redis: RedisUnderTest;
  readonly mocks: MockUpstreams;
  readonly servers: RunningMockServers;
  /** Ana, Luis and Pedro. */
  readonly tokens: string[];
  /** Starts `count` gateway processes with `env`; they are killed after the test. */
  start(count: number, env: Record<string, string>): Promise<GatewayProcess[]>;
}

/** Registers the file's hooks: one Redis and mock servers per file, emptied before each test. */
export function useScaleOutWorld(): ScaleOutWorld {
  let state: { redis: RedisUnderTest; mocks: MockUpstreams; servers: RunningMockServers; tokens: string[] } | undefined;
  const running: GatewayProcess[] = [];
  const world = () => {
    if (!state) throw new Error('the scale-out world starts in beforeAll');
    return state;
  };
  beforeAll(async () => {
    await ensureBuilt();
    const redis = await startRedis();
    const { mocks, servers } = await startUpstreamServers();
    state = { redis, mocks, servers, tokens: await customerTokens() };
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await state?.servers.close();
    await state?.redis.stop();
  });
  beforeEach(async () => {
    world().mocks.reset();
    await world().redis.flush();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((gateway) => gateway.proc.kill()));
  });
  return {
    get redis() {
      return world().redis;
    },
    get mocks() {
      return world().mocks;
    },
    get servers() {
      return world().servers;
    },
    get tokens() {
      return world().tokens;
    },
    async start(count, env) {
      const started = await Promise.all(Array.from({ length: count }, () => startGatewayProcess(world().servers, env)));
      running.push(...started);
      return started;
    },
  };
}
