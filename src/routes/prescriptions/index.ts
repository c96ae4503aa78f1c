import type { Context, MiddlewareHandler } from 'hono';
import type { PrescriptionState, UpdatePrescriptionResult } from '../../domain/prescriptions/update-prescription-state.js';
import type { RequestContext } from '../../domain/request-context.js';
import type { Prescription } from '../../domain/prescriptions/read-prescription.js';
import type { AppEnv } from '../../http/app-env.js';
import { languageOf } from '../../http/language.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { translate } from '../../messages/messages.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { getPrescriptionRoute, setStateRoute, uploadRoute, validateRoute } from './prescriptions.routes.js';
import { readPdfUpload, type UploadLimits } from '../../http/upload/read-pdf-upload.js';
import type { PdfInTransit, UploadAnswer } from '../../domain/prescriptions/upload-prescription.js';

export interface PrescriptionUseCases {
  updatePrescriptionState(id: string, state: PrescriptionState, ctx: RequestContext): Promise<UpdatePrescriptionResult>;
  getPrescription(id: string, ctx: RequestContext): Promise<Prescription>;
  uploadPrescription(pdf: PdfInTransit, ctx: RequestContext): Promise<UploadAnswer>;
}

export interface PrescriptionRouteOptions {
  /**
   * Total budget of a validation, counted from the request's arrival: longer than the default
   * when the service's OCR validation has a cap of its own (`RECETAS_OCR_TIMEOUT_MS`).
   */
  validationBudgetMs: number;
  /** The upload's budget, counted from the client's last byte (`max(REQUEST, OCR + 2 s)` with the OCR cap). */
  uploadBudgetMs: number;
  uploadLimits: UploadLimits;
}

/** The answer's body: the gateway's own `mensaje` in the caller's language. */
function answer(c: Context, { outcome, ...rest }: UpdatePrescriptionResult) {
  const key = outcome === 'validated' ? 'text.prescription_validated' : 'text.prescription_state_updated';
  return { mensaje: translate(languageOf(c), key), ...rest };
}

/** The request's context, its deadline stretched to the validation budget when it is longer. */
function validationContext(c: Context<AppEnv>, budgetMs: number): RequestContext {
  const ctx = c.get('requestContext');
  return { ...ctx, deadline: Math.max(ctx.deadline, c.get('startedAt') + budgetMs) };
}

/**
 * The upload's context: its budget counts from the client's last byte (until then the deadline
 * moves with the clock; a stalled client is cut off by the reader), and its signal also fires
 * when the client's body turns out invalid, abandoning the call that streams it.
 */
function uploadContext(c: Context<AppEnv>, finished: Promise<void>, budgetMs: number): RequestContext {
  const base = c.get('requestContext');
  const bodyFailed = new AbortController();
  let lastByteAt: number | undefined;
  finished.then(
    () => {
      lastByteAt = Date.now();
    },
    () => bodyFailed.abort(),
  );
  return {
    ...base,
    signal: base.signal ? AbortSignal.any([base.signal, bodyFailed.signal]) : bodyFailed.signal,
    get deadline() {
      return (lastByteAt ?? Date.now()) + budgetMs;
    },
  };
}

export function prescriptionRoutes(
  useCases: PrescriptionUseCases,
  auth: MiddlewareHandler,
  options: PrescriptionRouteOptions,
) {
  return createRouter()
    .openapi(withMiddleware(setStateRoute, auth, jsonGuard), async (c) => {
      const state = c.req.valid('json').estadovalidacion.toLowerCase() as PrescriptionState;
      const ctx = state === 'validada' ? validationContext(c, options.validationBudgetMs) : c.get('requestContext');
      const result = await useCases.updatePrescriptionState(c.req.valid('param').receta_id, state, ctx);
      return c.json(answer(c, result), 200);
    })
    .openapi(withMiddleware(validateRoute, auth), async (c) => {
      const ctx = validationContext(c, options.validationBudgetMs);
      const result = await useCases.updatePrescriptionState(c.req.valid('param').receta_id, 'validada', ctx);
      return c.json(answer(c, result), 200);
    })
    .openapi(withMiddleware(getPrescriptionRoute, auth), async (c) =>
      c.json(await useCases.getPrescription(c.req.valid('param').receta_id, c.get('requestContext')), 200),
    )
    .openapi(withMiddleware(uploadRoute, auth), async (c) => {
      // 400/413/415 here cost no upstream call and count towards no limit.
      const upload = await readPdfUpload(c.req.raw, options.uploadLimits);
      const ctx = uploadContext(c, upload.finished, options.uploadBudgetMs);
      const pdf = { filename: upload.filename, bytes: upload.bytes, sent: upload.finished };
      return c.json(await useCases.uploadPrescription(pdf, ctx), 201);
    });
}
