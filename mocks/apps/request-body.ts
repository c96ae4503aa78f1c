// Request bodies are read as text once (Hono caches it), so the recorder and the handler can
// both look at it and each service can answer malformed JSON the way its framework does.
// Multipart bodies are read as bytes instead (text would mangle a binary file).
import type { Context } from 'hono';
import { bodyBytes, isMultipart, multipartForRecording } from './multipart.js';

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; text: string };

export async function readJsonBody(c: Context): Promise<ParsedBody> {
  const text = await c.req.text();
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid', text };
  }
}

/**
 * What a RecordedCall stores: JSON when declared as JSON and parseable, a summary of the parts of
 * a multipart body (`{fields, files: [{field, filename, mimeType, size, sha256}]}`), else text,
 * else null.
 */
export async function bodyForRecording(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  if (isMultipart(contentType)) {
    const bytes = await bodyBytes(c);
    return bytes.length === 0 ? null : multipartForRecording(bytes, contentType);
  }
  const text = await c.req.text();
  if (text === '') return null;
  if (!/\bjson\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
