// Runtime check of a response against the committed OpenAPI document: the status must be one the
// operation documents, and a JSON body must parse with the documented schema (converted to zod
// with `z.fromJSONSchema`, the components becoming `$defs`).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

interface MediaType { schema?: unknown }
interface ResponseObject { content?: Record<string, MediaType>; headers?: Record<string, { required?: boolean }> }
interface Operation { responses?: Record<string, ResponseObject> }
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export function loadCommittedDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;
}

/** Every `METHOD /path` the document declares. */
export function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

export class ShapeChecker {
  private readonly cache = new Map<string, z.ZodType>();

  constructor(private readonly document: OpenApiDocument) {}

  /**
   * Throws (with a readable reason) unless `status` is documented for the operation and `body`
   * (already parsed JSON, or undefined when the response had none) fits its documented content.
   */
  check(method: string, schemaPath: string, status: number, contentType: string | null, body: unknown): void {
    const where = `${method.toUpperCase()} ${schemaPath} -> ${status}`;
    const operation = this.document.paths[schemaPath]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${where}: operation not in the document`);
    const response = operation.responses?.[String(status)] ?? operation.responses?.default;
    if (!response) {
      throw new Error(`${where}: status not documented (documented: ${Object.keys(operation.responses ?? {}).join(', ')})`);
    }
    if (!response.content) {
      if (body !== undefined) throw new Error(`${where}: documented without a body, but one came back`);
      return;
    }
    const documentedTypes = Object.keys(response.content);
    const mediaType = documentedTypes.find((type) => contentType?.toLowerCase().startsWith(type.toLowerCase()));
    if (!mediaType) throw new Error(`${where}: content type ${contentType} is not one of ${documentedTypes.join(', ')}`);
    const schema = response.content[mediaType]?.schema;
    if (schema === undefined) return;
    const parsed = this.zodFor(`${where} ${mediaType}`, schema).safeParse(body);
    if (!parsed.success) {
      throw new Error(`${where}: body does not match the documented schema:\n${z.prettifyError(parsed.error)}\nbody: ${JSON.stringify(body)}`);
    }
  }

  private zodFor(key: string, schema: unknown): z.ZodType {
    let zod = this.cache.get(key);
    if (!zod) {
      const root = JSON.parse(
        JSON.stringify({ ...(schema as object), $defs: this.document.components?.schemas ?? {} }).replaceAll(
          '"#/components/schemas/',
          '"#/$defs/',
        ),
      ) as Parameters<typeof z.fromJSONSchema>[0];
      zod = z.fromJSONSchema(root, { defaultTarget: 'draft-2020-12' });
      this.cache.set(key, zod);
    }
    return zod;
  }
}
