// The demo command (`node dist/scripts/demo.js`): its printed tokens and curl lines work as
// printed, and SIGINT stops everything with exit code 0.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, DEMO_JS, ensureBuilt, exitWithin, freePort, spawnNode, waitFor, type NodeProcess } from '../helpers/e2e.js';

interface CurlRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** `$NAME` and `${NAME}` from the exported variables, as the shell expands them outside single quotes. */
const expand = (text: string, vars: Record<string, string>) =>
  text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    if (!(name in vars)) throw new Error(`$${name} is not exported by the demo`);
    return vars[name] as string;
  });

/** Splits a shell line into words: single quotes are literal, double quotes allow `\"` and `$VAR`. */
function shellWords(line: string, vars: Record<string, string> = {}): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'" || ch === '"') {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unbalanced ${ch} in: ${line}`);
      const quoted = line.slice(i + 1, end);
      word = (word ?? '') + (ch === '"' ? expand(quoted.replace(/\\(["\\`])/g, '$1'), vars) : quoted);
      i = end;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      const unquoted = /^[^'"\s]+/.exec(line.slice(i))?.[0] ?? ch;
      word = (word ?? '') + expand(unquoted, vars);
      i += unquoted.length - 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The variables the demo's `export NAME=value` lines set. */
function exportedVariables(lines: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of lines) {
    const match = /^export (\w+)=(\S+)$/.exec(line.trim());
    if (match) vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

/** The request a printed `curl` line makes (only the options the demo prints). */
function parseCurl(line: string, vars: Record<string, string>): CurlRequest {
  const [command, ...args] = shellWords(line, vars);
  expect(command).toBe('curl');
  const request: Partial<CurlRequest> & { headers: Record<string, string> } = { headers: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} without a value in: ${line}`);
      return next;
    };
    if (arg === '-s' || arg === '--silent') continue;
    else if (arg === '-X' || arg === '--request') request.method = value();
    else if (arg === '-H' || arg === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === '-d' || arg === '--data') request.body = value();
    else if (arg.startsWith('-')) throw new Error(`unexpected curl option ${arg} in: ${line}`);
    else request.url = new URL(arg);
  }
  if (!request.url) throw new Error(`no URL in: ${line}`);
  return { method: request.method ?? (request.body === undefined ? 'GET' : 'POST'), url: request.url, headers: request.headers, body: request.body };
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

let demo: NodeProcess | undefined;
let port: number;

beforeAll(async () => {
  await ensureBuilt();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await demo?.kill();
});

describe('demo command', () => {
  it('prints tokens and curl lines that answer as documented, then stops on SIGINT', async () => {
    port = await freePort();
    const proc = spawnNode(DEMO_JS, { PORT: String(port), HOST: '127.0.0.1' });
    demo = proc;
    await waitFor(
      () => {
        if (proc.hasExited()) throw new Error(`demo exited early:\n${proc.stdout()}\n${proc.stderr()}`);
        return proc.stdout().includes('Ctrl-C stops everything');
      },
      { timeoutMs: 20_000, what: 'demo banner' },
    );
    const lines = proc.stdout().split('\n');

    // The tokens are printed once, as shell variables the curl lines use.
    const vars = exportedVariables(lines);
    const cliente = vars.CLIENTE as string;
    const admin = vars.ADMIN as string;
    expect(cliente).toMatch(JWT);
    expect(admin).toMatch(JWT);
    expect(cliente).not.toBe(admin);
    expect(vars.API).toBe(`http://127.0.0.1:${port}/api/orchestrator`);
    const curlLines = lines.filter((line) => line.startsWith('curl '));
    for (const line of curlLines) expect(line, 'a token is printed once, not in every line').not.toMatch(/eyJ/);

    const requests = curlLines.map((line) => parseCurl(line, vars));
    const bearer = (token: string) => `Bearer ${token}`;
    const isPurchase = (r: CurlRequest, token: string) =>
      r.method === 'POST' && r.url.pathname.endsWith('/compras') && r.headers.authorization === bearer(token) &&
      r.headers['content-type'] === 'application/json';
    const expected: Array<{ what: string; status: number; matches: (r: CurlRequest) => boolean; then?: (body: unknown) => Promise<void> }> = [
      { what: 'health', status: 200, matches: (r) => r.method === 'GET' && r.url.pathname.endsWith('/health') },
      {
        what: 'log in with a DNI and a password',
        status: 200,
        matches: (r) =>
          r.method === 'POST' && r.url.pathname.endsWith('/auth/login') && r.headers.authorization === undefined &&
          r.headers['content-type'] === 'application/json' && Object.keys(JSON.parse(r.body ?? '{}')).sort().join() === 'dni,password',
        // The token the users service issued works on the gateway's bearer routes, as $CLIENTE does.
        then: async (body) => {
          const token = (body as { token?: string }).token ?? '';
          expect(token).toMatch(JWT);
          const me = await fetch(`${vars.API}/user/me`, { headers: { authorization: bearer(token) } });
          expect(me.status).toBe(200);
          expect(((await me.json()) as { dni?: string }).dni).toBe(JSON.parse(requests[1]?.body ?? '{}').dni);
        },
      },
      {
        what: 'a catalogue search, with no token',
        status: 200,
        matches: (r) => r.method === 'GET' && r.url.pathname.endsWith('/productos/nombre') && r.url.searchParams.has('nombre') && r.headers.authorization === undefined,
        then: async (body) => {
          expect((body as { productos?: unknown[] }).productos?.length).toBeGreaterThan(0);
        },
      },
      { what: 'my purchases', status: 200, matches: (r) => r.method === 'GET' && r.url.pathname.endsWith('/compras/me') && r.headers.authorization === bearer(cliente) },
      { what: 'a purchase', status: 201, matches: (r) => isPurchase(r, cliente) && !('cantidades' in JSON.parse(r.body ?? '{}')) },
      { what: 'a low-stock purchase', status: 409, matches: (r) => isPurchase(r, cliente) && 'cantidades' in JSON.parse(r.body ?? '{}') },
      { what: 'prescription VALIDADA', status: 200, matches: (r) => r.method === 'PUT' && /\/recetas\/estado\/[0-9a-f]{24}$/.test(r.url.pathname) && /VALIDADA/.test(r.body ?? '') },
      { what: 'prescription with a bad doctor', status: 422, matches: (r) => r.method === 'PUT' && /\/recetas\/validar\/[0-9a-f]{24}$/.test(r.url.pathname) },
      { what: 'all purchases (ADMIN)', status: 200, matches: (r) => r.method === 'GET' && r.url.pathname.endsWith('/compras/all') && r.headers.authorization === bearer(admin) },
      { what: 'my integration tasks', status: 200, matches: (r) => r.method === 'GET' && r.url.pathname.endsWith('/integration-tasks') },
      { what: 'execute a task', status: 202, matches: (r) => r.method === 'POST' && /\/integration-tasks\/\d+\/execute$/.test(r.url.pathname) },
      { what: 'poll the task', status: 200, matches: (r) => r.method === 'GET' && /\/integration-tasks\/\d+$/.test(r.url.pathname) },
      { what: 'an invoice batch', status: 202, matches: (r) => r.method === 'POST' && r.url.pathname.endsWith('/facturas') && r.headers['idempotency-key'] === 'demo-lote-1' },
      { what: 'the same batch replayed', status: 409, matches: (r) => r.method === 'POST' && r.url.pathname.endsWith('/facturas') && r.headers['idempotency-key'] === 'demo-lote-1' },
    ];
    expect(requests).toHaveLength(expected.length);

    for (const [i, request] of requests.entries()) {
      const expectation = expected[i] as (typeof expected)[number];
      expect(expectation.matches(request), `curl line ${i + 1} is ${expectation.what}`).toBe(true);
      expect(request.url.host).toBe(`127.0.0.1:${port}`);
      const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
      const text = await res.text();
      expect(res.status, `${expectation.what}: ${text}`).toBe(expectation.status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body: unknown = JSON.parse(text);
      await expectation.then?.(body);
    }

    // A frontend dev server on Vite's default origin works at once (CORS_ORIGINS unset).
    const preflight = await fetch(`${vars.API}/compras/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');

    proc.child.kill('SIGINT');
    expect(await exitWithin(proc, 15_000)).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('says in one line which port is taken and how to pick another, with no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const proc = spawnNode(DEMO_JS, { PORT: String(taken), HOST: '127.0.0.1' });
      const exit = await exitWithin(proc, 20_000);
      expect(exit.code).toBe(1);
      const stderr = proc.stderr().trim().split('\n');
      expect(stderr).toEqual([`port ${taken} on 127.0.0.1 is already in use; start on another port: PORT=${taken + 1} npm run demo`]);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
