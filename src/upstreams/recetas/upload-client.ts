import { randomUUID } from 'node:crypto';
import { GatewayError, validationError } from '../../errors/gateway-error.js';
import { isRejectedWith } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import { UploadAnswerSchema, type UploadAnswer } from './recetas-payloads.js';

export type { UploadAnswer } from './recetas-payloads.js';

/** A PDF on its way from the client: its bytes as they arrive, and when the client's body is complete. */
export interface PdfInTransit {
  filename: string;
  bytes: AsyncIterable<Uint8Array>;
  /** Resolves at the client's last byte; rejects when the client's body turned out invalid. */
  sent: Promise<void>;
}

/** `POST /api/recetas/upload`: the service stores the PDF and reads its fields by OCR (seconds). */
export interface PrescriptionUploadClient {
  /**
   * Streams the PDF as the one multipart part `archivoPDF`; the service's 201 comes back as
   * received. Its "File too large" is a 413; another 400 (no file, unreadable) a 400 on
   * `archivoPDF`; its 500 (OCR failed on this PDF) a 503 that does not count towards the breaker.
   */
  upload(pdf: PdfInTransit, ctx: CallContext): Promise<UploadAnswer>;
}

export function createPrescriptionUploadClient(upstream: Upstream, options: { ocrTimeoutMs?: number }): PrescriptionUploadClient {
  return {
    async upload(pdf, ctx) {
      const boundary = `----botica-gateway-${randomUUID()}`;
      try {
        return await upstream.call(
          {
            operation: 'uploadPrescription',
            method: 'POST',
            path: 'api/recetas/upload',
            stream: { contentType: `multipart/form-data; boundary=${boundary}`, body: multipartOf(pdf, boundary), sent: pdf.sent },
            schema: UploadAnswerSchema,
            serverErrorsAreInputErrors: true,
            ...(options.ocrTimeoutMs !== undefined ? { timeoutMs: options.ocrTimeoutMs } : {}),
          },
          ctx,
        );
      } catch (error) {
        if (!isRejectedWith(error, 400)) throw error;
        if (isFileTooLarge(error.body)) throw new GatewayError('PAYLOAD_TOO_LARGE', { text: 'upload.too_large', cause: error });
        throw validationError([{ path: 'archivoPDF', message: { key: 'issue.rejected_by_service' } }]);
      }
    },
  };
}

/** multer's answer to a file over its limit. */
const isFileTooLarge = (body: unknown) =>
  typeof body === 'object' && body !== null && /file too large/i.test(String((body as { error?: unknown }).error));

/**
 * The one-part multipart body: the part header, the PDF's bytes as they arrive, and the closing
 * boundary only once the client's body is complete and valid (otherwise the body fails and the
 * request is aborted, so the service never gets a complete upload).
 */
async function* multipartOf(pdf: PdfInTransit, boundary: string): AsyncGenerator<Uint8Array> {
  const filename = pdf.filename.replace(/[^\w.\- ]/g, '_').slice(0, 120) || 'receta.pdf';
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="archivoPDF"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  for await (const chunk of pdf.bytes) yield chunk;
  await pdf.sent;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}
