// `npm run lint:openapi` (redocly lint with .redocly.yaml): the committed document has no error,
// and the configuration's one exemption (public health routes) does not hide anything else.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'botica-redocly-'));

interface LintOutcome { code: number | null; problems: { ruleId: string; severity: string; message: string }[] }

function lint(documentPath: string): Promise<LintOutcome> {
  const child = spawn(process.execPath, [REDOCLY, 'lint', '--config', join(ROOT, '.redocly.yaml'), '--format=json', documentPath], {
    cwd: ROOT,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.resume();
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      try {
        resolve({ code, problems: (JSON.parse(out.slice(out.indexOf('{'))) as LintOutcome).problems });
      } catch (error) {
        reject(new Error(`redocly printed no JSON (exit ${code}): ${out}`, { cause: error }));
      }
    }),
  );
}

/** A copy of the committed document changed by `edit`, written to a temporary file. */
function brokenCopy(name: string, edit: (document: { paths: Record<string, Record<string, Record<string, unknown>>> }) => void): string {
  const document = JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')) as Parameters<typeof edit>[0];
  edit(document);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(document, null, 2));
  return path;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The two redocly runs mostly wait (the CLI starts slowly): run side by side.
describe.concurrent('redocly lint with .redocly.yaml', () => {
  it('finds no error in the committed openapi/openapi.json', async ({ expect }) => {
    const outcome = await lint(join(ROOT, 'openapi', 'openapi.json'));
    expect(outcome.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(outcome.code).toBe(0);
  }, 30_000);

  it('still fails an authenticated operation that loses its security, and a broken $ref', async ({ expect }) => {
    const path = brokenCopy('broken.json', (document) => {
      const compras = document.paths['/api/orchestrator/compras']?.post;
      if (!compras) throw new Error('POST /api/orchestrator/compras is not in the document');
      delete compras.security;
      compras.responses = { ...(compras.responses as object), 418: { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } };
    });
    const outcome = await lint(path);
    expect(outcome.code).not.toBe(0);
    const errors = outcome.problems.filter((p) => p.severity === 'error').map((p) => p.ruleId);
    expect(errors).toEqual(expect.arrayContaining(['security-defined', 'no-unresolved-refs']));
  }, 30_000);
});
