import type { PdfInTransit, PrescriptionUploadClient, UploadAnswer } from '../../upstreams/recetas/upload-client.js';

export type { PdfInTransit, UploadAnswer } from '../../upstreams/recetas/upload-client.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import { assertWriteBudget } from '../shared/write-budget.js';

export interface UploadPrescriptionDeps {
  uploads: PrescriptionUploadClient;
  logger: DomainLogger;
  /** The call's own cap: `RECETAS_OCR_TIMEOUT_MS` when set (the service runs OCR), else `UPSTREAM_TIMEOUT_MS`. */
  uploadTimeoutMs: number;
}

/**
 * Streams a prescription PDF to the prescriptions service, which stores it `pendiente` with the
 * fields its OCR read. The answer is the service's; if the client's body fails on the way (a
 * second file, a limit, a stall) that failure is the answer and the call is abandoned. The service
 * reads the patient from the PDF: one naming someone else is kept, and a pharmacist is told.
 */
export async function uploadPrescription(deps: UploadPrescriptionDeps, pdf: PdfInTransit, ctx: RequestContext): Promise<UploadAnswer> {
  assertWriteBudget(ctx, deps.uploadTimeoutMs);
  const call = deps.uploads.upload(pdf, ctx);
  call.catch(() => undefined);
  const bodyFailure = pdf.sent.then(() => new Promise<never>(() => undefined));
  const answer = await Promise.race([call, bodyFailure]);
  if (answer.receta.pacienteDNI !== ctx.principal.dni) {
    deps.logger.warn(
      {
        requestId: ctx.requestId,
        recetaId: answer.receta._id,
        // In full, under fields the log masking leaves alone, as the other pharmacist warnings.
        uploaderDni: ctx.principal.dni,
        readPatientDni: answer.receta.pacienteDNI,
      },
      'uploaded prescription names another patient than the uploader; a pharmacist should review it',
    );
  }
  return answer;
}
