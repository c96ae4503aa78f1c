// multipart/form-data bodies read with busboy, the parser under the real prescriptions service's
// multer, so parse errors carry busboy's own messages ("Unexpected end of form", "Multipart:
// Boundary not found", ...). The body is read once as bytes (Hono caches it), which works the same
// for a Fetch Request from msw and for one the node server built from a socket.
import { createHash } from 'node:crypto';
import busboy from 'busboy';
import type { Context } from 'hono';

export type MultipartPart =
  | { kind: 'field'; name: string | undefined; value: string; nameTruncated: boolean; valueTruncated: boolean }
  | { kind: 'file'; name: string | undefined; filename: string | undefined; mimeType: string; data: Buffer };

export interface MultipartBody {
  /** Every part in arrival order (files whole: no size limit is applied here). */
  parts: MultipartPart[];
  /** busboy's error, if the body stopped being readable after `parts`. */
  error?: string;
}

/** What `type-is` calls multipart (multer reads only these bodies). */
export function isMultipart(contentType: string | undefined): boolean {
  return /^\s*multipart\//i.test(contentType ?? '');
}

/** The request body as bytes, cached by Hono so the recorder and the handler read the same bytes. */
export async function bodyBytes(c: Context): Promise<Buffer> {
  return Buffer.from(await c.req.arrayBuffer());
}

/** Parses a multipart body with busboy's default limits (those multer keeps for fields). */
export function parseMultipart(bytes: Buffer, contentType: string): Promise<MultipartBody> {
  const parts: MultipartPart[] = [];
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType } });
  } catch (error) {
    return Promise.resolve({ parts, error: error instanceof Error ? error.message : String(error) });
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      // After the pending stream events, so a file cut short has its bytes.
      setImmediate(() => resolve(error === undefined ? { parts } : { parts, error: error instanceof Error ? error.message : String(error) }));
    };
    parser.on('field', (name, value, info) => {
      parts.push({ kind: 'field', name, value, nameTruncated: info.nameTruncated, valueTruncated: info.valueTruncated });
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      const part: MultipartPart = { kind: 'file', name, filename: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0) };
      parts.push(part);
      const keep = () => {
        part.data = Buffer.concat(chunks);
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', keep);
      // A body cut short destroys the open file stream with busboy's error: keep what arrived.
      stream.on('error', keep);
    });
    parser.on('error', settle);
    parser.on('close', () => settle());
    parser.end(bytes);
  });
}

/** What a RecordedCall keeps of a multipart body: the fields, and each file's name, type, size and SHA-256. */
export async function multipartForRecording(bytes: Buffer, contentType: string): Promise<unknown> {
  const { parts, error } = await parseMultipart(bytes, contentType);
  const fields: Record<string, string> = {};
  const files: Array<{ field: string | null; filename: string | null; mimeType: string; size: number; sha256: string }> = [];
  for (const part of parts) {
    if (part.kind === 'field') {
      if (part.name !== undefined) fields[part.name] = part.value;
      continue;
    }
    const sha256 = createHash('sha256').update(part.data).digest('hex');
    files.push({ field: part.name ?? null, filename: part.filename ?? null, mimeType: part.mimeType, size: part.data.length, sha256 });
  }
  return error === undefined ? { fields, files } : { fields, files, error };
}
