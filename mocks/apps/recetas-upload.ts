// `POST /api/recetas/upload` of the prescriptions service (served in both generations). The
// service takes one PDF with multer (`single('archivoPDF')`, in memory, 5 MiB, PDF content type
// only), stores it in S3, reads it with Textract and saves a `pendiente` document with what it
// read. The mock's Textract is the convention of mocks/data/sample-pdf.ts. Bodies as the service
// answers them: multer's and busboy's errors are 400 `{"error": message}`, a failed read 500.
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { Context, Hono } from 'hono';
import { OCR_FAILURE_MARKER, readPdfTextLines } from '../data/sample-pdf.js';
import type { Receta, RecetaProducto } from '../data/types.js';
import type { MockState } from '../state.js';
import { bodyBytes, isMultipart, parseMultipart } from './multipart.js';

/**
 * multer's `limits.fileSize`. A file of exactly this size is accepted here; multer 2.0.2 over
 * busboy 1.6 refuses it too (busboy reports the limit once a file reaches it).
 */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;
export const UPLOAD_FIELD = 'archivoPDF';
/** Where the uploaded PDFs go, as `https://<bucket>.s3.<region>.amazonaws.com/recetas/<uuid><ext>`. */
const BUCKET_URL = 'https://botica-recetas.s3.us-east-1.amazonaws.com';
/** Textract's UnsupportedDocumentException message. */
const UNSUPPORTED_DOCUMENT = 'Request has unsupported document format';
/** The middle 5 bytes of the ObjectIds this mock generates (the per-process random part). */
const OBJECT_ID_MIDDLE = 'b07ca5e5d1';

interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** multer's `single(UPLOAD_FIELD)` with its file filter: the file, none, or the error it answers 400 with. */
async function receiveUpload(c: Context): Promise<{ file?: UploadedFile } | { error: string }> {
  const contentType = c.req.header('content-type');
  // multer only reads multipart bodies; any other request reaches the handler without a file.
  if (contentType === undefined || !isMultipart(contentType)) return {};
  const { parts, error } = await parseMultipart(await bodyBytes(c), contentType);
  let file: UploadedFile | undefined;
  for (const part of parts) {
    if (part.name === undefined) return { error: 'Field name missing' };
    if (part.kind === 'field') {
      if (part.nameTruncated) return { error: 'Field name too long' };
      if (part.valueTruncated) return { error: 'Field value too long' };
      continue;
    }
    if (!part.filename) continue; // a file part without a file name is skipped
    if (part.name !== UPLOAD_FIELD || file !== undefined) return { error: 'Unexpected field' };
    if (part.mimeType !== 'application/pdf') return { error: 'Solo se permiten archivos PDF' };
    if (part.data.length > MAX_PDF_BYTES) return { error: 'File too large' };
    file = { filename: part.filename, data: part.data };
  }
  return error === undefined ? { file } : { error };
}

interface ReadPrescription {
  pacienteDNI?: string;
  medicoCMP?: string;
  fechaEmision?: string;
  productos: Array<Pick<RecetaProducto, 'id' | 'nombre' | 'cantidad'>>;
}

/** The fields the service reads from the OCR text (its labels and line formats). */
function readPrescription(text: string): ReadPrescription {
  const start = text.indexOf('Productos:');
  const end = start === -1 ? -1 : text.indexOf('Observaciones:', start);
  const block = start === -1 ? '' : text.slice(start, end === -1 ? undefined : end);
  return {
    pacienteDNI: /Paciente DNI:\s*(\d{8,12})/.exec(text)?.[1],
    medicoCMP: /Médico CMP:\s*([A-Za-z0-9]+)/.exec(text)?.[1],
    fechaEmision: /Fecha de emisión:\s*([\d-]+)/.exec(text)?.[1],
    productos: [...block.matchAll(/- Código:\s*(\d+),\s*Nombre:\s*([^,]+),\s*Cantidad:\s*(\d+)/g)].map((match) => ({
      id: Number(match[1]),
      nombre: (match[2] ?? '').trim(),
      cantidad: Number(match[3]),
    })),
  };
}

/** The mock's Textract: the fields, or the message of the exception the read fails with. */
function ocr(pdf: Buffer): ReadPrescription | { failure: string } {
  const lines = readPdfTextLines(pdf);
  if (lines === null || lines.some((line) => line.includes(OCR_FAILURE_MARKER))) return { failure: UNSUPPORTED_DOCUMENT };
  return readPrescription(lines.join('\n'));
}

export function registerUploadRoute(app: Hono, state: MockState): void {
  const objectId = () => {
    const seconds = Math.floor(state.now().getTime() / 1000);
    const counter = state.data.recetas.nextObjectIdCounter++;
    return `${seconds.toString(16).padStart(8, '0')}${OBJECT_ID_MIDDLE}${(counter & 0xffffff).toString(16).padStart(6, '0')}`;
  };

  app.post('/api/recetas/upload', async (c) => {
    const upload = await receiveUpload(c);
    if ('error' in upload) return c.json({ error: upload.error }, 400);
    if (!upload.file) return c.json({ error: 'Falta archivo PDF (campo archivoPDF)' }, 400);

    // The file is in S3 before it is read (a failed read leaves it there).
    const archivoPDF = `${BUCKET_URL}/recetas/${randomUUID()}${extname(upload.file.filename)}`;
    const read = ocr(upload.file.data);
    if ('failure' in read) return c.json({ error: 'Error al subir la receta', detalle: read.failure }, 500);
    const { pacienteDNI, medicoCMP, fechaEmision, productos } = read;
    if (!pacienteDNI || !medicoCMP || !fechaEmision || productos.length === 0) {
      // Fields not found are undefined in the service, so JSON leaves them out of `detalle`.
      return c.json({ error: 'No se encontraron todos los campos requeridos en el PDF', detalle: read }, 400);
    }
    // Mongoose casts the date when saving; a date it cannot cast fails the save.
    const emitted = new Date(fechaEmision);
    if (Number.isNaN(emitted.getTime())) {
      const detalle = `Receta validation failed: fechaEmision: Cast to date failed for value "${fechaEmision}" (type string) at path "fechaEmision"`;
      return c.json({ error: 'Error al subir la receta', detalle }, 500);
    }

    const _id = objectId();
    const now = state.now().toISOString();
    const receta: Receta = {
      pacienteDNI,
      medicoCMP,
      fechaEmision: emitted.toISOString(),
      productos: productos.map((producto) => ({ ...producto, _id: objectId() })),
      archivoPDF,
      estadoValidacion: 'pendiente',
      _id,
      createdAt: now,
      updatedAt: now,
      __v: 0,
    };
    state.data.recetas.items.push(receta);
    return c.json({ mensaje: 'Receta subida correctamente', receta }, 201);
  });
}
