// Shared helpers of the end-to-end tests: free ports, bounded polling, the compiled build, child
// processes and raw HTTP requests over controllable agents (all on 127.0.0.1).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');
export const DEMO_JS = join(ROOT, 'dist', 'scripts', 'demo.js');
export const BUILD_TIMEOUT_MS = 180_000;

/** A port nobody listens on right now (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Builds `dist/` when a test file runs without the build step before it. Test files run in
 * parallel workers, so one build at a time (an atomic mkdir lock); the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  const built = () => existsSync(MAIN_JS) && existsSync(DEMO_JS);
  if (built()) return;
  const lock = join(tmpdir(), `botica-e2e-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`);
  try {
    mkdirSync(lock);
  } catch {
    const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const stale = Date.now() - lockedAt > BUILD_TIMEOUT_MS;
    if (!stale) {
      await waitFor(() => !existsSync(lock), { timeoutMs: BUILD_TIMEOUT_MS, intervalMs: 250, what: 'the build of another worker' });
      if (!built()) throw new Error('the build of another test worker failed');
      return;
    }
  }
  try {
    const child = spawn('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0 || !built()) throw new Error(`npm run build failed (${code}):\n${output}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output streams are closed. */
  exited: Promise<Exit>;
  hasExited(): boolean;
  /** SIGKILL if still running (cleanup only). */
  kill(): Promise<void>;
}

/**
 * `node <script>` with exactly `env` (plus PATH), in an empty temporary directory so that no
 * `.env` of the checkout is picked up.
 */
export function spawnNode(script: string, env: Record<string, string>): NodeProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'botica-e2e-'));
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let done = false;
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
    kill: async () => {
      if (done) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Resolves with the exit, or rejects when the process is still running after `timeoutMs`. */
export async function exitWithin(proc: NodeProcess, timeoutMs: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process still running after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/** One request through `node:http` with an explicit agent (false = a fresh connection). */
export function httpRequest(
  url: string,
  { agent = false, method = 'GET', headers = {} }: { agent?: Agent | false; method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      // Read now: a keep-alive socket is detached from the response once it goes back to the pool.
      const socket = res.socket as Socket;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves when `socket` is closed (immediately if it already is). */
export function socketClosed(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
