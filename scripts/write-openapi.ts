import { mkdirSync, writeFileSync } from 'node:fs';
import { renderOpenApiDocument } from './openapi-app.js';

/** Writes the committed copy of the OpenAPI document; a test fails when it drifts from the code. */
mkdirSync('openapi', { recursive: true });
writeFileSync('openapi/openapi.json', await renderOpenApiDocument());
console.log('wrote openapi/openapi.json');
