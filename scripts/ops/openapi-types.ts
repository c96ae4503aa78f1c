// Generates the TypeScript types of the committed OpenAPI document with openapi-typescript's
// programmatic API. `openapi/schema.d.ts` is their committed copy: `npm run openapi:types`
// rewrites it, and test/deployment/typed-client.test.ts fails when it drifts from a fresh generation.
import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { fromRoot } from './project-root.js';

export const OPENAPI_DOCUMENT = fromRoot('openapi', 'openapi.json');
export const OPENAPI_TYPES = fromRoot('openapi', 'schema.d.ts');

/** The contents `openapi/schema.d.ts` must have for the given document (default: the committed one). */
export async function generateOpenApiTypes(documentPath: string = OPENAPI_DOCUMENT): Promise<string> {
  const document = JSON.parse(await readFile(documentPath, 'utf8')) as OpenAPI3;
  const ast = await openapiTS(document, { silent: true });
  return `${COMMENT_HEADER}// Source: openapi/openapi.json. Regenerate with \`npm run openapi:types\` (after \`npm run openapi:write\`).\n\n${astToString(ast)}`;
}
