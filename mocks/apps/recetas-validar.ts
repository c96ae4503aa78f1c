// The `validar` generation's validation (the prescriptions service in the pharmacy's repository
// today): it reads the PDF again (OCR; here the stored document, or what seedRecetaPdfs says the
// PDF holds), checks the fields, the doctor and the dates, overwrites the fields and sets
// `validada`. Messages and statuses as the real service answers them.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Receta, RecetaProducto } from '../data/types.js';
import type { MockState } from '../state.js';

/** The service's own `RECETA_VALIDEZ_DIAS` default. */
const SERVICE_VALIDITY_DAYS = 30;
const DAY_MS = 86_400_000;

const validProduct = (p: RecetaProducto) =>
  typeof p.id === 'number' && Number.isFinite(p.id) && typeof p.nombre === 'string' && p.nombre.trim() !== '' && p.cantidad > 0;

export function validarReceta(c: Context, state: MockState, receta: Receta): Response {
  const pdf = state.data.recetas.pdfs.get(receta._id);
  if (pdf === null) return c.json({ error: 'La receta no tiene archivo PDF asociado.' }, 400);
  if (pdf?.unreadable) {
    return c.json({ error: 'Error al validar la receta', detalle: 'Textract could not read the document', codigo: 'UNKNOWN' }, 500);
  }
  const read = {
    pacienteDNI: pdf?.pacienteDNI ?? receta.pacienteDNI,
    medicoCMP: pdf?.medicoCMP ?? receta.medicoCMP,
    fechaEmision: pdf?.fechaEmision ?? receta.fechaEmision,
    productos: pdf?.productos ?? receta.productos,
  };
  if (!read.pacienteDNI || !read.medicoCMP || !read.fechaEmision || read.productos.length === 0) {
    return c.json({ error: 'PDF incompleto o inválido', detalle: read }, 400);
  }
  const badProduct = read.productos.find((p) => !validProduct(p));
  if (badProduct) return c.json({ error: 'Producto inválido en el PDF', detalle: badProduct }, 400);
  const doctor = state.data.recetas.medicos.find((m) => m.cmp === read.medicoCMP && m.colegiaturaValida);
  if (!doctor) return c.json({ error: 'CMP no registrado o colegiatura no válida' }, 400);
  const emitted = Date.parse(read.fechaEmision);
  const now = state.now().getTime();
  if (emitted > now) return c.json({ error: 'La fecha de emisión no puede ser futura' }, 400);
  if ((now - emitted) / DAY_MS > SERVICE_VALIDITY_DAYS) {
    return c.json({ error: `La receta ha expirado (validez ${SERVICE_VALIDITY_DAYS} días)` }, 400);
  }

  Object.assign(receta, read, { estadoValidacion: 'validada', updatedAt: state.now().toISOString() });
  return c.json({ mensaje: 'Receta validada y actualizada correctamente', receta });
}

/**
 * GET by id in this generation adds a presigned GET URL of the PDF (SigV4, the SDK's default 900 s),
 * or null for a document without one.
 */
export function withPdfUrl(receta: Receta, now: Date): Receta & { pdfUrl: string | null } {
  if (!receta.archivoPDF) return { ...receta, pdfUrl: null };
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Credential=AKIAMOCKMOCKMOCKMOCK%2F${stamp.slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request`,
    `X-Amz-Date=${stamp}`,
    'X-Amz-Expires=900',
    `X-Amz-Signature=${createHash('sha256').update(`${receta.archivoPDF}|${stamp}`).digest('hex')}`,
    'X-Amz-SignedHeaders=host',
  ].join('&');
  return { ...receta, pdfUrl: `${receta.archivoPDF}?${query}` };
}
