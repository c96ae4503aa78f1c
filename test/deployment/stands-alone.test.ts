// A user clones only this repository: nothing in it may send them to the team's working contract
// next to it. The README, docs/ and the OpenAPI document carry everything.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
// `../shared/` followed by a module (`../shared/dates.js`) is a folder of src/, not the contract.
const OUTSIDE_REFERENCE = /\.\.\/shared(?!\/[\w-]+\.js\b)|shared\/spec|ARCHITECTURE\.md/;

describe('the project stands alone', () => {
  it('has no tracked file that points outside the repository', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    const self = 'test/deployment/stands-alone.test.ts';
    const offenders = files
      .filter((file) => file !== self && !/\.(png|ico|jpg)$/.test(file))
      .filter((file) => OUTSIDE_REFERENCE.test(readFileSync(new URL(file, ROOT), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('documents every upstream call in docs/upstreams.md, both prescriptions generations included', () => {
    const doc = readFileSync(new URL('docs/upstreams.md', ROOT), 'utf8');
    for (const route of [
      'GET /api/compras/me', 'POST /api/compras', 'GET /api/user/all', 'GET /api/productos/{id}', 'PUT /api/productos/{id}',
      'GET /api/recetas/{id}', 'GET /api/recetas/filter', 'GET /api/medicos/filter', 'PUT /api/recetas/estado/{id}',
      'PUT /api/recetas/{id}/validar', 'GET /integration-tasks/get_tasks/', 'POST /integration-tasks/',
      'PUT /integration-tasks/{id}/', 'DELETE /integration-tasks/{id}/', 'POST /integration-tasks/execute/{id}/', 'POST /facturas/',
    ]) {
      expect(doc, route).toContain(route);
    }
  });
});
