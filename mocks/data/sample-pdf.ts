// Prescription PDFs for the mock prescriptions service, which cannot run Textract. The convention:
//   - the mock's "OCR" reads a PDF (bytes starting with `%PDF-`) as the text lines its
//     uncompressed content streams show with `(literal string) Tj`, one line per string;
//   - those lines are read the way the real service reads Textract's LINE blocks:
//       Paciente DNI: 71234567
//       Médico CMP: CMP12345
//       Fecha de emisión: 2025-10-01
//       Productos:
//       - Código: 3, Nombre: Amoxicilina 500mg, Cantidad: 2
//       Observaciones: ...            (optional: ends the product block)
//   - a line containing `OCR-FAIL` (or bytes that are no PDF at all) makes the OCR fail: 500.
// samplePrescriptionPdf writes such a PDF (a valid one-page PDF 1.4 any viewer opens), and
// prescriptionUploadForm wraps it the way the frontend uploads it (field `archivoPDF`).

export interface SamplePrescriptionProduct {
  id: number;
  nombre: string;
  cantidad: number;
}

export interface SamplePrescription {
  /** `Paciente DNI: <dni>`; null leaves the line out. */
  dni: string | null;
  /** `Médico CMP: <cmp>`; null leaves the line out. */
  cmp: string | null;
  /** `Fecha de emisión: <fecha>` (YYYY-MM-DD); null leaves the line out. */
  fecha: string | null;
  /** One `- Código: <id>, Nombre: <nombre>, Cantidad: <cantidad>` line each under `Productos:`. */
  productos: readonly SamplePrescriptionProduct[];
  /** An `Observaciones:` line after the products. */
  observaciones?: string;
  /** Adds the `OCR-FAIL` marker: the mock's OCR then fails as Textract does on a document it cannot read. */
  ocrFailure?: boolean;
  /** Pads the file (with a PDF comment) to exactly this many bytes, for size-limit tests. */
  sizeBytes?: number;
}

/** The marker line that makes the mock's OCR fail. */
export const OCR_FAILURE_MARKER = 'OCR-FAIL';

/** The text lines of a sample prescription, as the OCR will read them. */
export function samplePrescriptionLines(input: SamplePrescription): string[] {
  const lines = ['RECETA MÉDICA'];
  if (input.dni !== null) lines.push(`Paciente DNI: ${input.dni}`);
  if (input.cmp !== null) lines.push(`Médico CMP: ${input.cmp}`);
  if (input.fecha !== null) lines.push(`Fecha de emisión: ${input.fecha}`);
  lines.push('Productos:');
  for (const p of input.productos) lines.push(`- Código: ${p.id}, Nombre: ${p.nombre}, Cantidad: ${p.cantidad}`);
  if (input.observaciones !== undefined) lines.push(`Observaciones: ${input.observaciones}`);
  if (input.ocrFailure) lines.push(OCR_FAILURE_MARKER);
  return lines;
}

/** A PDF literal string in WinAnsi (Latin-1) bytes, written as ASCII with octal escapes. */
function pdfLiteral(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3f;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `${out})`;
}

function contentStream(lines: readonly string[]): string {
  const shown = lines.map((line) => `${pdfLiteral(line)} Tj T*`).join('\n');
  return `BT\n/F1 11 Tf\n14 TL\n56 786 Td\n${shown}\nET\n`;
}

/** Comment lines adding exactly `bytes` bytes (at least 2). */
function padding(bytes: number): string {
  let out = '';
  let left = bytes;
  while (left > 0) {
    let line = Math.min(256, left);
    if (left - line === 1) line -= 1;
    out += `%${'x'.repeat(line - 2)}\n`;
    left -= line;
  }
  return out;
}

function assemble(lines: readonly string[], pad: string, trailingNewline: boolean): Buffer {
  const content = contentStream(lines);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
  ];
  // The second line is the customary comment of high bytes that marks the file as binary.
  let pdf = `%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n${pad}`;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF${trailingNewline ? '\n' : ''}`;
  return Buffer.from(pdf, 'latin1');
}

/** A one-page PDF whose text follows the convention above; starts with `%PDF-`. */
export function samplePrescriptionPdf(input: SamplePrescription): Buffer {
  const lines = samplePrescriptionLines(input);
  const natural = assemble(lines, '', false);
  const target = input.sizeBytes;
  if (target === undefined || target === natural.length) return natural;
  if (target < natural.length) throw new RangeError(`sizeBytes ${target} is below the PDF's own ${natural.length} bytes`);
  // The padding moves the cross-reference table, whose offset (after `startxref`) may take more
  // digits: try a little less padding, with and without a final newline.
  const estimate = target - natural.length;
  for (let pad = estimate; pad >= Math.max(0, estimate - 16); pad--) {
    if (pad === 1) continue;
    for (const newline of [false, true]) {
      const pdf = assemble(lines, pad === 0 ? '' : padding(pad), newline);
      if (pdf.length === target) return pdf;
    }
  }
  throw new RangeError(`cannot pad the PDF to exactly ${target} bytes`);
}

export interface UploadFormOptions {
  /** Defaults to `archivoPDF`, the one file field the service accepts. */
  field?: string;
  filename?: string;
  /** The part's content type; defaults to `application/pdf` (the service refuses any other). */
  type?: string;
  /** Text fields sent along, as the web frontend does (the service ignores them). */
  fields?: Record<string, string>;
}

/** The multipart form the frontend sends to `POST /api/recetas/upload`. */
export function prescriptionUploadForm(pdf: Uint8Array, options: UploadFormOptions = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  const blob = new Blob([new Uint8Array(pdf)], { type: options.type ?? 'application/pdf' });
  form.append(options.field ?? 'archivoPDF', blob, options.filename ?? 'receta.pdf');
  return form;
}

function unescapeLiteral(raw: string): string {
  return raw.replace(/\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))/gs, (_match, octal?: string, _newline?: string, other?: string) => {
    if (octal !== undefined) return String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
    if (other === undefined) return ''; // a backslash before a line break continues the string
    const named: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
    return named[other] ?? other;
  });
}

/** The `(...)` literal strings shown with `Tj` in one content stream (balanced parentheses, escapes). */
function shownStrings(stream: string): string[] {
  const shown: string[] = [];
  let i = 0;
  while (i < stream.length) {
    if (stream[i] !== '(') {
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < stream.length && depth > 0; j++) {
      const ch = stream[j];
      if (ch === '\\') j++;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    const literal = stream.slice(i + 1, j - 1);
    if (/^\s*Tj\b/.test(stream.slice(j, j + 16))) shown.push(unescapeLiteral(literal));
    i = j;
  }
  return shown;
}

/**
 * The mock's OCR: the text lines of a PDF written by the convention above, or null when the bytes
 * are no PDF (no `%PDF-` header), which Textract refuses as an unsupported document.
 */
export function readPdfTextLines(bytes: Uint8Array): string[] | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return null;
  const lines: string[] = [];
  for (const match of text.matchAll(/\bstream\r?\n([\s\S]*?)\bendstream\b/g)) lines.push(...shownStrings(match[1] ?? ''));
  return lines;
}
