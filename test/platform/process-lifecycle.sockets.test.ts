// The compiled gateway as a child process (`node dist/src/main.js`): start-up validation (the
// messages themselves: config.unit), a taken port, graceful drain on SIGTERM, and no token in its
// output. Child processes are slow: each behaviour here is checked on one process only.
import { createServer, Agent, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockUpstreams, signMockToken, SEED_DNI } from '../../mocks/index.js';
import { startMockServers, type RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { upstreamUrlEnv } from '../../src/config/config.js';
import { TEST_SECRET, tokens } from '../helpers/harness.js';
import {
  BUILD_TIMEOUT_MS, MAIN_JS, ensureBuilt, exitWithin, freePort, httpRequest, socketClosed, spawnNode, waitFor,
  type NodeProcess,
} from '../helpers/e2e.js';

const GRACE_MS = 8_000;
const EXIT_MARGIN_MS = 5_000;

let upstreams: RunningMockServers;
const processes: NodeProcess[] = [];

beforeAll(async () => {
  await ensureBuilt();
  upstreams = await startMockServers(createMockUpstreams({ jwtSecret: TEST_SECRET }));
}, BUILD_TIMEOUT_MS);

afterEach(async () => {
  await Promise.all(processes.splice(0).map((proc) => proc.kill()));
});

afterAll(async () => {
  await upstreams?.close();
});

async function startGateway(overrides: Record<string, string> = {}) {
  const port = await freePort();
  const proc = spawnNode(MAIN_JS, {
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
    // Long enough that the held request of the drain test is never cut short; the request budget
    // must exceed 2 x UPSTREAM_TIMEOUT_MS (a purchase's two writes).
    UPSTREAM_TIMEOUT_MS: '8000',
    REQUEST_TIMEOUT_MS: '17000',
    ...upstreamUrlEnv(upstreams.urls),
    ...overrides,
  });
  processes.push(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (proc.hasExited()) throw new Error(`gateway exited early:\n${proc.stderr()}`);
      return (await httpRequest(`${base}/api/orchestrator/health`)).status === 200;
    },
    { timeoutMs: 20_000, what: 'gateway listening' },
  );
  return { proc, base, api: `${base}/api/orchestrator` };
}

/** A users service whose GET /api/compras/me is held until the test releases it. */
async function startHeldUsersService() {
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/api/compras/me') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404}');
      return;
    }
    arrive();
    void released.then(() => {
      const compras = [{ id: 41, fechaCompra: '2025-10-21T12:30:11.123456', usuarioId: 3, productos: [1], cantidades: [2] }];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(compras));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      release();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, arrived, release, close };
}

describe('gateway process', () => {
  it('exits non-zero at start-up with one stderr line per bad variable', async () => {
    // WORKERS > 1 without REDIS_URL is one of them, named with REDIS_URL.
    const proc = spawnNode(MAIN_JS, { PORT: 'abc', URL_TAREAS: 'notaurl', WORKERS: '3' });
    processes.push(proc);
    const exit = await exitWithin(proc, 15_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const lines = proc.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(4);
    for (const name of ['PORT', 'URL_TAREAS', 'JWT_SECRET', 'WORKERS', 'REDIS_URL']) {
      expect(lines.filter((line) => new RegExp(`\\b${name}\\b`).test(line)), name).toHaveLength(1);
    }
    expect(proc.stdout()).not.toContain('gateway listening');
  });

  it('says in one line that the port is taken and how to start on another, with no stack trace', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const proc = spawnNode(MAIN_JS, { PORT: String(taken), HOST: '127.0.0.1', JWT_SECRET: TEST_SECRET });
      processes.push(proc);
      expect((await exitWithin(proc, 15_000)).code).toBe(1);
      expect(proc.stderr().trim().split('\n')).toEqual([
        `port ${taken} on 127.0.0.1 is already in use; start on another port: PORT=${taken + 1} npm start`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('drains on SIGTERM: refuses new connections, finishes the in-flight request, exits 0; its output holds no token nor the secret', async () => {
    const held = await startHeldUsersService();
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { proc, base, api } = await startGateway({ URL_USUARIOS_COMPRAS: held.url });
      const token = await tokens.ana();
      const forged = await signMockToken('another-secret-of-at-least-32-bytes!!', { dni: SEED_DNI.ana, role: 'ADMIN' });
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });

      // Requests whose log lines must not hold the token: refused, forged, and answered.
      expect((await httpRequest(`${api}/compras/all`, { headers: auth(token) })).status).toBe(403);
      expect((await httpRequest(`${api}/compras/me`, { headers: auth(forged) })).status).toBe(401);
      expect((await httpRequest(`${api}/integration-tasks`, { headers: auth(token) })).status).toBe(200);

      // One idle keep-alive connection that must not hold the process open.
      const idle = await httpRequest(`${api}/ready`, { agent: idleAgent });
      expect(idle.status).toBe(200);
      expect(JSON.parse(idle.body)).toMatchObject({ status: 'ready' });
      const idleClosed = socketClosed(idle.socket);

      const inFlight = httpRequest(`${api}/compras/me`, { agent: busyAgent, headers: auth(token) });
      inFlight.catch(() => undefined); // awaited below; avoid an unhandled rejection if an earlier step fails
      await held.arrived;
      const signalledAt = Date.now();
      proc.child.kill('SIGTERM');

      // Readiness: a 503 `draining` answer or (once the listener is closed) a refused connection.
      const probe = async () => {
        try {
          const res = await httpRequest(`${api}/ready`);
          if (res.status === 200) return undefined;
          expect(res.status).toBe(503);
          expect(JSON.parse(res.body)).toMatchObject({ status: 'draining' });
          return 'draining' as const;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'refused' as const;
          throw error;
        }
      };
      expect(['draining', 'refused']).toContain(await waitFor(probe, { timeoutMs: 5_000, what: 'drain to start' }));
      await waitFor(async () => (await probe()) === 'refused', { timeoutMs: 5_000, what: 'listener closed' });
      await waitFor(() => idle.socket.destroyed, { timeoutMs: 5_000, what: 'idle keep-alive socket closed' });
      await idleClosed;
      expect(proc.hasExited()).toBe(false); // still waiting for the held request

      held.release();
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      const body = JSON.parse(answered.body) as { compras: Array<{ id: number; productos_detalle: unknown[] }> };
      expect(body.compras).toHaveLength(1);
      expect(body.compras[0]).toMatchObject({ id: 41, productos_detalle: [{ producto_id: 1, cantidad: 2, nombre: 'Paracetamol 500mg' }] });
      await waitFor(() => answered.socket.destroyed, { timeoutMs: 5_000, what: 'busy keep-alive socket closed' });

      const exit = await exitWithin(proc, GRACE_MS + EXIT_MARGIN_MS - (Date.now() - signalledAt));
      expect(exit).toEqual({ code: 0, signal: null });
      expect(proc.stdout()).toContain('drained; exiting');
      await expect(httpRequest(`${base}/api/orchestrator/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      const output = proc.stdout() + proc.stderr();
      // The logs did record the forged and the held request, so the absence below means something.
      expect(output.match(/"path":"\/api\/orchestrator\/compras\/me"/g)).toHaveLength(2);
      for (const secret of [token, forged, token.split('.')[2] as string, forged.split('.')[2] as string, TEST_SECRET]) {
        expect(output).not.toContain(secret);
      }
      expect(output).not.toMatch(/Bearer\s+ey/);
    } finally {
      idleAgent.destroy();
      busyAgent.destroy();
      await held.close();
    }
  });
});
