// scripts/ops/npm-audit.sh (the CI supply-chain step) against a fake `npm` that replays what the
// real one prints: high/critical findings fail, the registry's 405 on the audit endpoint only
// warns, any other audit failure fails.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/ops/npm-audit.sh', import.meta.url));
const bin = mkdtempSync(join(tmpdir(), 'botica-fake-npm-'));
writeFileSync(
  join(bin, 'npm'),
  `#!/usr/bin/env bash
if [ "$1" = "config" ]; then echo "https://registry.example/"; exit 0; fi
if [ "$1" = "audit" ]; then
  [ "$*" = "audit --omit=dev --audit-level=high --json --loglevel=warn" ] || { echo "unexpected arguments: $*" >&2; exit 99; }
  printf '%s' "$FAKE_STDOUT"; printf '%s' "$FAKE_STDERR" >&2; exit "$FAKE_CODE"
fi
exit 98
`,
);
chmodSync(join(bin, 'npm'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function audit(stdout: string, stderr: string, code: number) {
  const run = spawnSync('bash', [SCRIPT], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_STDOUT: stdout, FAKE_STDERR: stderr, FAKE_CODE: String(code) },
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

const report = (high: number, critical: number) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high, critical, total: high + critical } } });
const ERROR_405 = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 }, null, 2);

describe('scripts/ops/npm-audit.sh', () => {
  it('passes when the production dependencies have no high or critical advisory', () => {
    const run = audit(report(0, 0), '', 0);
    expect(run).toMatchObject({ code: 0 });
    expect(run.output).toMatch(/no high or critical advisory/);
  });

  it.each([
    ['a high advisory', report(1, 0), '', /npm audit failed[\s\S]*"high":1/],
    ['a critical advisory', report(0, 2), '', undefined],
    ['an audit endpoint error other than 405', ERROR_405.replace(/405/g, '500'), 'npm error audit endpoint returned an error\n', undefined],
    ['a 405 that comes with another npm error', ERROR_405, 'npm error network request failed\n', undefined],
  ])('fails on %s', (_name, stdout, stderr, output) => {
    const run = audit(stdout, stderr, 1);
    expect(run.code).toBe(1);
    if (output) expect(run.output).toMatch(output);
  });

  it('only warns when the registry answers 405 on the audit endpoint', () => {
    const run = audit(ERROR_405, 'npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n', 1);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/WARNING: npm audit did NOT run: https:\/\/registry\.example\/ answered 405/);
  });
});
