// The committed OpenAPI artefacts are fresh, and the shape check typed-client.test.ts runs every
// answer through is sound. The three ways the document is checked, each once: fresh here, linted
// by redocly (openapi-lint.test.ts), honest against the running gateway (typed-client.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApiDocument } from '../../scripts/openapi-app.js';
import { generateOpenApiTypes, OPENAPI_TYPES } from '../../scripts/ops/openapi-types.js';
import { loadCommittedDocument, ShapeChecker } from '../helpers/openapi-shapes.js';

describe('committed OpenAPI artefacts', () => {
  it('openapi/openapi.json matches the document the code serves (run `npm run openapi:write` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(await renderOpenApiDocument()).toBe(committed);
  });

  it('openapi/schema.d.ts is a fresh generation of openapi/openapi.json (run `npm run openapi:types` after `npm run openapi:write`)', async () => {
    expect(readFileSync(OPENAPI_TYPES, 'utf8')).toBe(await generateOpenApiTypes());
  });
});

describe('the shape check of typed-client.test.ts', () => {
  it('rejects undocumented statuses, wrong content types and bodies that break the documented schema', () => {
    const shapes = new ShapeChecker(loadCommittedDocument());
    const health = '/api/orchestrator/health';
    const ok = { status: 'healthy', service: 'orchestrator', message: 'up' };
    expect(() => shapes.check('GET', health, 200, 'application/json', ok)).not.toThrow();
    expect(() => shapes.check('GET', health, 200, 'application/json', { ...ok, status: 'sick' })).toThrow(/documented schema/);
    expect(() => shapes.check('GET', health, 200, 'application/json', { status: 'healthy', service: 'orchestrator' })).toThrow(/message/);
    expect(() => shapes.check('GET', health, 418, 'application/json', ok)).toThrow(/status not documented/);
    expect(() => shapes.check('GET', health, 200, 'text/html', ok)).toThrow(/content type/);
    expect(() => shapes.check('GET', '/api/orchestrator/nope', 200, 'application/json', ok)).toThrow(/not in the document/);
    const error = { error: 'x', code: 'NOT_FOUND', requestId: 'r' };
    const task = '/api/orchestrator/integration-tasks/{id}';
    expect(() => shapes.check('GET', task, 404, 'application/json', error)).not.toThrow();
    expect(() => shapes.check('GET', task, 404, 'application/json', { error: 'x', code: 'NOT_FOUND' })).toThrow(/requestId/);
    expect(() => shapes.check('DELETE', task, 204, null, undefined)).not.toThrow();
    expect(() => shapes.check('DELETE', task, 204, 'application/json', {})).toThrow(/without a body/);
  });
});
