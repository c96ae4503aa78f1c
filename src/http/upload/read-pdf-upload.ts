import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { GatewayError, validationError } from '../../errors/gateway-error.js';
import { UpstreamError } from '../../errors/upstream-error.js';

/** The one PDF of a prescription upload, validated up front and streamed on as it arrives. */
export interface PdfUpload {
  filename: string;
  /** The file's bytes, from the first (already checked to start `%PDF-`). */
  bytes: AsyncIterable<Uint8Array>;
  /**
   * Resolves once the client's whole body was read and is valid (one PDF, within the limits);
   * rejects with the answer otherwise (400, 413). Until then the upload must not complete.
   */
  finished: Promise<void>;
}

export interface UploadLimits {
  /** Largest PDF part (`UPLOAD_LIMIT_BYTES`). */
  fileBytes: number;
  /** Largest whole body: the file plus form framing and other fields. */
  bodyBytes: number;
  /** A client that sends nothing for this long is cut off (400: body incomplete). */
  idleMs: number;
}

/** The field names the PDF may come in: the service's own, and the one a frontend page sends. */
const FILE_FIELDS = new Set(['archivoPDF', 'file']);
const PDF_MAGIC = Buffer.from('%PDF-');

const fileIssue = (key: 'issue.upload_no_file' | 'issue.upload_two_files' | 'issue.upload_incomplete') =>
  validationError([{ path: 'archivoPDF', message: { key } }]);
const notPdf = () => new GatewayError('UNSUPPORTED_MEDIA_TYPE', { text: 'upload.not_pdf' });
const tooLarge = (limit: number) => new GatewayError('PAYLOAD_TOO_LARGE', { text: 'body.too_large', params: { limit } });

/**
 * Parses a multipart body with busboy as it arrives. Resolves once the PDF part's declared type
 * and first bytes were checked (nothing has been sent anywhere yet), so a wrong body costs no
 * upstream call; any later problem (a second file, a limit, a stalled client) rejects `finished`.
 * Other form fields are read and dropped.
 */
export function readPdfUpload(request: Request, limits: UploadLimits): Promise<PdfUpload> {
  const contentType = request.headers.get('content-type');
  const body = request.body;
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !body) return Promise.reject(notPdf());
  // A declared length over the limit is refused before a byte is read; chunked bodies are counted.
  if (Number(request.headers.get('content-length') ?? 0) > limits.bodyBytes) return Promise.reject(tooLarge(limits.fileBytes));
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: { fileSize: limits.fileBytes, files: 10, fields: 100 } });
  } catch {
    // A multipart type without a boundary.
    return Promise.reject(fileIssue('issue.upload_no_file'));
  }

  return new Promise<PdfUpload>((resolveUpload, rejectUpload) => {
    let upload: PdfUpload | undefined;
    let settleFinished!: (error?: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => {
      settleFinished = (error) => (error ? reject(error) : resolve());
    });
    finished.catch(() => undefined);
    let failed = false;
    // Set at the first PDF part's header, synchronously: busboy may announce a second part before
    // the first one's bytes were checked (a body that arrives in one chunk).
    let pdfPartSeen = false;
    /** The first problem decides the answer: before the PDF was accepted it is the upload's, after it `finished`'s. */
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (upload) settleFinished(error);
      else rejectUpload(error);
      void pump.cancel();
    };

    parser.on('file', (name, file, info) => {
      // A part cut short (the body failed, or the parser was destroyed) errors its stream; the
      // failure is answered once, through `fail`, whoever reads the part.
      file.on('error', () => undefined);
      if (!FILE_FIELDS.has(name)) return void file.resume();
      if (pdfPartSeen || failed) {
        file.resume();
        return fail(fileIssue('issue.upload_two_files'));
      }
      pdfPartSeen = true;
      if (info.mimeType.toLowerCase() !== 'application/pdf') {
        file.resume();
        return fail(notPdf());
      }
      file.once('limit', () => fail(tooLarge(limits.fileBytes)));
      void startPdf(file).then(
        (bytes) => {
          if (failed || !bytes) return bytes ? undefined : fail(notPdf());
          upload = { filename: info.filename || 'receta.pdf', bytes, finished };
          resolveUpload(upload);
        },
        (error: unknown) => fail(error),
      );
    });
    parser.on('error', () => fail(fileIssue('issue.upload_incomplete')));
    parser.on('close', () => {
      if (failed) return;
      if (!upload) return fail(fileIssue('issue.upload_no_file'));
      settleFinished();
    });

    const pump = feed(body, parser, limits, fail);
  });
}

/**
 * Reads until the first five bytes are in and checks them (`null`: not a PDF); the bytes come
 * back as an iterable that replays them and then the rest of the file.
 */
async function startPdf(file: Readable): Promise<AsyncIterable<Uint8Array> | null> {
  const iterator = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let length = 0;
  while (length < PDF_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  const first = Buffer.concat(head);
  if (first.length < PDF_MAGIC.length || !first.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    file.resume();
    return null;
  }
  return (async function* () {
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
}

/**
 * Writes the client's body into the parser with backpressure, counting bytes against the body
 * limit (chunked bodies included) and cutting off a client idle for `idleMs`.
 */
function feed(body: ReadableStream<Uint8Array>, parser: busboy.Busboy, limits: UploadLimits, fail: (error: unknown) => void) {
  const reader = body.getReader();
  let stopped = false;
  const run = async () => {
    let total = 0;
    for (;;) {
      const chunk = await readWithin(reader, limits.idleMs);
      if (chunk === 'idle') return fail(fileIssue('issue.upload_incomplete'));
      if (chunk.done) return void parser.end();
      total += chunk.value.length;
      if (total > limits.bodyBytes) return fail(tooLarge(limits.fileBytes));
      if (!parser.write(chunk.value) && !(await drainedOrClosed(parser, limits.idleMs))) {
        // The parser waits for the PDF's bytes to be taken, and the service has not taken them.
        return fail(new UpstreamError('recetas', 'timeout', { message: 'recetas: upload not read' }));
      }
      if (stopped) return;
    }
  };
  void run().catch(() => fail(fileIssue('issue.upload_incomplete')));
  return {
    cancel: async () => {
      stopped = true;
      // Released rather than cancelled: the rest of a refused body is the server's to discard once
      // the answer is sent (Node drains or closes the connection), and cancelling a stream its
      // producer is still filling makes some producers throw where nobody can catch it.
      try {
        reader.releaseLock();
      } catch {
        // already released
      }
      parser.destroy();
    },
  };
}

/** `true` when the parser wants more or is gone (destroyed after a failure); `false` after `ms` of neither. */
function drainedOrClosed(parser: busboy.Busboy, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (drained: boolean) => () => {
      clearTimeout(timer);
      parser.off('drain', onDrain);
      parser.off('close', onDrain);
      resolve(drained);
    };
    const onDrain = done(true);
    const timer = setTimeout(done(false), ms);
    parser.once('drain', onDrain);
    parser.once('close', onDrain);
  });
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<'idle'>((resolve) => {
    timer = setTimeout(() => resolve('idle'), idleMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
