import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { generateOpenApiTypes, OPENAPI_TYPES } from './openapi-types.js';

/** `npm run openapi:types`: rewrites openapi/schema.d.ts from openapi/openapi.json. */
await writeFile(OPENAPI_TYPES, await generateOpenApiTypes());
console.log(`wrote ${relative(process.cwd(), OPENAPI_TYPES)}`);
