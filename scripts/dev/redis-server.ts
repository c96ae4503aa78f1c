// A private redis-server (Debian's package) for the tests and benchmarks that need a real shared store: a free
// loopback port, no persistence, its own temporary directory, and killed with the test process
// (setpriv --pdeathsig) so no server outlives a crashed run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisUnderTest {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: nothing is persisted) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) it: a Redis that is slow rather than gone. */
  pause(): void;
  resume(): void;
  /** Empties it (every key of every test before). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function launch(port: number, dir: string, password?: string): Promise<ChildProcess> {
  const args = [
    '--pdeathsig', 'KILL', REDIS_SERVER,
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--dir', dir, '--logfile', '', '--hz', '100',
    ...(password ? ['--requirepass', password] : []),
  ];
  const child = spawn('setpriv', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Starts a private redis-server; `password` makes it require one (the URL carries it). */
export async function startRedis(options: { password?: string } = {}): Promise<RedisUnderTest> {
  // Fails loudly rather than skipping: these tests must run wherever the suite runs.
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is not installed: apt-get install redis-server (.ci/run installs it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'botica-redis-'));
  const port = await freePort();
  let child = await launch(port, dir, options.password);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      child = await launch(port, dir, options.password);
    },
    pause: () => child.kill('SIGSTOP'),
    flush: async () => {
      const client = new Redis(`redis://${auth}127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    resume: () => child.kill('SIGCONT'),
    stop: async () => {
      child.kill('SIGCONT');
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
