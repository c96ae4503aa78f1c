import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApiDocument } from '../../scripts/openapi-app.js';

describe('committed OpenAPI document', () => {
  it('matches the document the code serves (run `npm run openapi:write` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    expect(await renderOpenApiDocument()).toBe(committed);
  });
});
