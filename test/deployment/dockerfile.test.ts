// The Dockerfile, without a Docker engine: its structure (multi-stage on Node 24 slim, production
// dependencies only, non-root, exec-form CMD and HEALTHCHECK) and its HEALTHCHECK command, run
// with this Node against a real gateway (HTTP and HTTPS) and against a closed port.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { freePort } from '../helpers/e2e.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction { keyword: string; args: string; line: number }
interface Stage { from: string; name: string | undefined; instructions: Instruction[] }

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') startLine = index + 1;
    if (line.startsWith('#')) return;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const [keyword = ''] = full.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: full.slice(keyword.length).trim(), line: startLine };
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`line ${startLine}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  });
  return stages;
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1) as Stage;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const one = (stage: Stage, keyword: string) => {
  const found = all(stage, keyword);
  expect(found, `${keyword} instructions in stage ${stage.name}`).toHaveLength(1);
  return found[0] as Instruction;
};
/** The JSON array of an exec-form instruction (throws for the shell form). */
const execForm = (args: string): string[] => {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
};

describe('Dockerfile', () => {
  it('is multi-stage, every stage on node:24-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toBe('node:24-bookworm-slim');
    expect(new Set(stages.map((s) => s.name)).size).toBe(stages.length);
  });

  it('ships only production dependencies, installed with npm ci --omit=dev from the lock file', () => {
    const copies = all(runtime, 'COPY').map((i) => i.args);
    const modules = copies.find((args) => / \.\/node_modules$/.test(args));
    expect(modules, 'runtime copies node_modules from a stage').toMatch(/^--from=(\S+) /);
    const source = stages.find((s) => s.name === /^--from=(\S+)/.exec(modules ?? '')?.[1]);
    const installs = all(source as Stage, 'RUN').map((i) => i.args).filter((args) => /\bnpm (ci|install|i)\b/.test(args));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b.*--omit=dev/);
    // Nothing but the build output, the production modules and package.json (for "type": "module").
    expect(copies.sort()).toEqual(['--from=build /app/dist/src ./dist/src', modules, 'package.json ./'].sort());
    expect(all(runtime, 'RUN')).toEqual([]);
  });

  it('runs as the node user (uid 1000, as deploy/kubernetes expects), with node as PID 1 (exec form)', () => {
    const user = one(runtime, 'USER');
    const cmd = one(runtime, 'CMD');
    expect(user.args).toBe('node');
    expect(user.line).toBeLessThan(cmd.line);
    expect(execForm(cmd.args)).toEqual(['node', 'dist/src/main.js']);
    expect(all(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true);
    const stop = all(runtime, 'STOPSIGNAL');
    if (stop.length > 0) expect(stop[0]?.args).toBe('SIGTERM');
  });

  it('exposes the port of the Kubernetes Deployment', () => {
    const deployment = parseDocument(readFileSync(join(ROOT, 'deploy', 'kubernetes', 'deployment.yaml'), 'utf8')).toJS() as {
      spec: { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } };
    };
    const containerPort = deployment.spec.template.spec.containers[0]?.ports[0]?.containerPort;
    expect(one(runtime, 'EXPOSE').args).toBe(String(containerPort));
    expect(all(runtime, 'ENV').map((i) => i.args).join(' ')).toMatch(new RegExp(`\\bPORT=${containerPort}\\b`));
  });

  it('keeps secrets and local builds out of the build context (.dockerignore)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist', '.git']));
    for (const copied of ['src', 'scripts', 'mocks', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(ignored).not.toContain(copied);
    }
  });
});

describe('the HEALTHCHECK command', () => {
  const healthcheck = one(runtime, 'HEALTHCHECK');
  const [, cmdArgs = ''] = /\bCMD\s+(.*)$/.exec(healthcheck.args) ?? [];
  const command = execForm(cmdArgs);
  let sut: GatewayUnderTest;

  /** Runs the HEALTHCHECK command with this Node and `env`; resolves with its exit code. */
  function runHealthcheck(env: Record<string, string>): Promise<number | null> {
    expect(command[0]).toBe('node');
    const child = spawn(process.execPath, command.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    return new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  beforeAll(async () => {
    sut = await startGatewayUnderTest();
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('is in exec form with an interval, a timeout and retries', () => {
    expect(healthcheck.args).toMatch(/--interval=\d+s/);
    expect(healthcheck.args).toMatch(/--timeout=\d+s/);
    expect(healthcheck.args).toMatch(/--retries=\d+/);
    expect(command.join(' ')).toContain('/api/orchestrator/health');
  });

  it('exits 0 against a healthy gateway', async () => {
    expect(await runHealthcheck({ PORT: new URL(sut.url).port })).toBe(0);
  });

  it('exits 1 when nothing listens', async () => {
    expect(await runHealthcheck({ PORT: String(await freePort()) })).toBe(1);
  });

  it('exits 1 when the port answers something else than the gateway health (404)', async () => {
    const mockPort = new URL(sut.upstreams.urls.usuarios).port;
    expect(await runHealthcheck({ PORT: mockPort })).toBe(1);
  });

  const opensslMissing = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0;
  it.skipIf(opensslMissing)(`exits 0 against a gateway serving HTTPS (TLS variables set)${opensslMissing ? ' - SKIPPED: no openssl CLI' : ''}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'botica-hc-tls-'));
    const tls = { TLS_CERT_FILE: join(dir, 'c.pem'), TLS_KEY_FILE: join(dir, 'k.pem') };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', tls.TLS_KEY_FILE, '-out', tls.TLS_CERT_FILE,
      '-days', '1', '-subj', '/CN=localhost'], { stdio: 'pipe' });
    const secure = await startGatewayUnderTest(tls);
    try {
      const port = new URL(secure.url).port;
      expect(await runHealthcheck({ PORT: port, ...tls })).toBe(0);
      // Without the TLS variables the command speaks plain HTTP, which the TLS port does not answer.
      expect(await runHealthcheck({ PORT: port })).toBe(1);
    } finally {
      await secure.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
