import { UpstreamError, isRejectedWith, nullOn404 } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import {
  DoctorPageSchema,
  PrescriptionPageSchema,
  PrescriptionSchema,
  StateUpdateSchema,
  type Doctor,
  type Prescription,
  type PrescriptionState,
} from './recetas-payloads.js';
import { checkOfRefusal, isServiceNotFound, type ServiceCheck } from './validar-messages.js';

export type { Doctor, Prescription, PrescriptionState } from './recetas-payloads.js';
export type { ServiceCheck } from './validar-messages.js';

/** The service's largest page; a patient's newest 100 prescriptions are the ones that matter. */
const MAX_PAGE_SIZE = 100;

/** Which generation of the prescriptions API the service speaks (`RECETAS_API`). */
export type RecetasApi = 'estado' | 'validar';

/** The `validar` generation's answer: validated, refused naming a check, or no such prescription. */
export type ServiceValidation = { ok: true; receta: Prescription } | { ok: false; check: ServiceCheck } | null;

/** The prescriptions and doctors service. */
export interface PrescriptionsClient {
  readonly api: RecetasApi;
  /** `null` when it does not exist (404). */
  getPrescription(id: string, ctx: CallContext): Promise<Prescription | null>;
  /** The patient's prescriptions in one state, newest first (filtered again here: never trust a filter). */
  listPatientPrescriptions(dni: string, state: PrescriptionState, ctx: CallContext): Promise<Prescription[]>;
  /** `estado` generation: sets any state. `null` when it does not exist (404). A write: never retried. */
  setState(id: string, state: PrescriptionState, ctx: CallContext): Promise<Prescription | null>;
  /**
   * `validar` generation: the service reads the PDF (OCR, seconds), checks the doctor and the
   * dates itself and sets `validada`. A write: never retried.
   */
  validateWithService(id: string, ctx: CallContext): Promise<ServiceValidation>;
  /** The doctor with exactly this CMP, if registered (`estado` generation: `validar` has no cmp filter). */
  findDoctor(cmp: string, ctx: CallContext): Promise<Doctor | null>;
  /** While the service's breaker is open: the 503 any call would get, without sending it; else `null`. */
  refusal(): UpstreamError | null;
}

export interface PrescriptionsClientOptions {
  api: RecetasApi;
  /** Cap of the OCR call (`RECETAS_OCR_TIMEOUT_MS`); the service's default cap otherwise. */
  ocrTimeoutMs?: number;
}

export function createPrescriptionsClient(upstream: Upstream, options: PrescriptionsClientOptions): PrescriptionsClient {
  /**
   * A state change's 404 is the prescription's only when the service wrote it (`{"error"}`);
   * Express's own HTML 404 means the route does not exist: RECETAS_API names the wrong generation.
   */
  const stateChange404 = (error: unknown, route: string): never | null => {
    if (!isRejectedWith(error, 404)) throw error;
    if (isServiceNotFound(error.body)) return null;
    throw new UpstreamError('recetas', 'unavailable', {
      status: 404,
      cause: error,
      message: `recetas: ${route} does not exist on the service; RECETAS_API=${options.api} does not match the prescriptions service`,
    });
  };

  return {
    api: options.api,
    refusal: () => upstream.refusal(),
    getPrescription: (id, ctx) =>
      nullOn404(
        upstream.call(
          { operation: 'getPrescription', method: 'GET', path: `api/recetas/${id}`, schema: PrescriptionSchema },
          ctx,
        ),
      ),
    async listPatientPrescriptions(dni, state, ctx) {
      const page = await upstream.call(
        {
          operation: 'listPrescriptions',
          method: 'GET',
          path: 'api/recetas/filter',
          searchParams: { dni, estado: state, page: 1, pagesize: MAX_PAGE_SIZE },
          schema: PrescriptionPageSchema,
        },
        ctx,
      );
      return page.items.filter((item) => item.pacienteDNI === dni && item.estadoValidacion === state);
    },
    async setState(id, state, ctx) {
      try {
        const answer = await upstream.call(
          {
            operation: 'setPrescriptionState',
            method: 'PUT',
            path: `api/recetas/estado/${id}`,
            json: { estadoValidacion: state },
            schema: StateUpdateSchema,
          },
          ctx,
        );
        return answer.receta;
      } catch (error) {
        return stateChange404(error, 'PUT /api/recetas/estado/{id}');
      }
    },
    async validateWithService(id, ctx) {
      try {
        const answer = await upstream.call(
          {
            operation: 'validatePrescription',
            method: 'PUT',
            path: `api/recetas/${id}/validar`,
            json: {},
            schema: StateUpdateSchema,
            serverErrorsAreInputErrors: true,
            ...(options.ocrTimeoutMs !== undefined ? { timeoutMs: options.ocrTimeoutMs } : {}),
          },
          ctx,
        );
        return { ok: true, receta: answer.receta };
      } catch (error) {
        if (isRejectedWith(error, 400)) return { ok: false, check: checkOfRefusal(error.body) };
        return stateChange404(error, 'PUT /api/recetas/{id}/validar');
      }
    },
    async findDoctor(cmp, ctx) {
      const page = await upstream.call(
        {
          operation: 'findDoctor',
          method: 'GET',
          path: 'api/medicos/filter',
          searchParams: { cmp, page: 1, limit: 100 },
          schema: DoctorPageSchema,
        },
        ctx,
      );
      // An older service version ignores the cmp filter: match it here.
      return page.items.find((doctor) => doctor.cmp === cmp) ?? null;
    },
  };
}
