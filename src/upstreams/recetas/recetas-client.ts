import { isRejectedWith } from '../../errors/upstream-error.js';
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

export type { Doctor, Prescription, PrescriptionState } from './recetas-payloads.js';

/** The service's largest page; a patient's newest 100 prescriptions are the ones that matter. */
const MAX_PAGE_SIZE = 100;

/** The prescriptions and doctors service. */
export interface PrescriptionsClient {
  /** `null` when it does not exist (404). */
  getPrescription(id: string, ctx: CallContext): Promise<Prescription | null>;
  /** The patient's prescriptions in one state, newest first (filtered again here: never trust a filter). */
  listPatientPrescriptions(dni: string, state: PrescriptionState, ctx: CallContext): Promise<Prescription[]>;
  /** `null` when it does not exist (404). A write: never retried. */
  setState(id: string, state: PrescriptionState, ctx: CallContext): Promise<Prescription | null>;
  /** The doctor with exactly this CMP, if registered. */
  findDoctor(cmp: string, ctx: CallContext): Promise<Doctor | null>;
}

export function createPrescriptionsClient(upstream: Upstream): PrescriptionsClient {
  const nullOn404 = async <T>(call: Promise<T>): Promise<T | null> => {
    try {
      return await call;
    } catch (error) {
      if (isRejectedWith(error, 404)) return null;
      throw error;
    }
  };

  return {
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
      const answer = await nullOn404(
        upstream.call(
          {
            operation: 'setPrescriptionState',
            method: 'PUT',
            path: `api/recetas/estado/${id}`,
            json: { estadoValidacion: state },
            schema: StateUpdateSchema,
          },
          ctx,
        ),
      );
      return answer?.receta ?? null;
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
