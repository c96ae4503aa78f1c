import { GatewayError } from '../../errors/gateway-error.js';
import type { Product, ProductsClient } from '../../upstreams/productos/productos-client.js';
import type { Prescription, PrescriptionState, PrescriptionsClient } from '../../upstreams/recetas/recetas-client.js';
import type { UsersClient } from '../../upstreams/usuarios/usuarios-client.js';
import { isAdmin, type RequestContext } from '../request-context.js';
import { prescriptionDateProblem } from '../shared/dates.js';
import { describeFailures, doctorProblem, productProblems, type CheckOutcome } from './prescription-checks.js';

export interface UpdatePrescriptionDeps {
  prescriptions: PrescriptionsClient;
  products: ProductsClient;
  users: UsersClient;
  prescriptionValidityDays: number;
  now: () => Date;
}

export type { PrescriptionState } from '../../upstreams/recetas/recetas-client.js';

export type UpdatePrescriptionResult =
  | {
      mensaje: string;
      receta: Prescription;
      validaciones: { productos_validados: number; medico_valido: true; paciente_valido: true };
    }
  | { mensaje: string; receta: Prescription };

/**
 * Sets a prescription's state for its patient or an admin. Validating it first runs every check
 * in parallel (products and names, doctor licence, patient, issue date); any failure is a 422 and
 * the state stays as it was.
 */
export async function updatePrescriptionState(
  deps: UpdatePrescriptionDeps,
  recetaId: string,
  state: PrescriptionState,
  ctx: RequestContext,
): Promise<UpdatePrescriptionResult> {
  const receta = await deps.prescriptions.getPrescription(recetaId, ctx);
  if (!receta) throw notFound(recetaId);
  if (!isAdmin(ctx) && receta.pacienteDNI !== ctx.principal.dni) {
    throw new GatewayError('FORBIDDEN', { message: 'Only the patient or an admin may change this prescription' });
  }

  if (state !== 'validada') {
    const updated = await deps.prescriptions.setState(recetaId, state, ctx);
    if (!updated) throw notFound(recetaId);
    return { mensaje: 'Estado de receta actualizado', receta: updated };
  }

  const outcome = await runChecks(deps, receta, ctx);
  const failures = describeFailures(receta, outcome);
  if (failures.checks_fallidos.length > 0) {
    throw new GatewayError('PRESCRIPTION_INVALID', {
      message: `Prescription failed: ${failures.checks_fallidos.join(', ')}`,
      details: failures,
    });
  }
  const updated = await deps.prescriptions.setState(recetaId, 'validada', ctx);
  if (!updated) throw notFound(recetaId);
  return {
    mensaje: 'Receta validada y actualizada exitosamente',
    receta: updated,
    validaciones: { productos_validados: receta.productos.length, medico_valido: true, paciente_valido: true },
  };
}

async function runChecks(deps: UpdatePrescriptionDeps, receta: Prescription, ctx: RequestContext): Promise<CheckOutcome> {
  const ids = [...new Set(receta.productos.map((item) => item.id))];
  const [products, doctor, patientExists] = await Promise.all([
    Promise.all(ids.map((id) => deps.products.getProduct(id, ctx))),
    deps.prescriptions.findDoctor(receta.medicoCMP, ctx),
    patientIsRegistered(deps, receta, ctx),
  ]);
  const byId = new Map<number, Product | null>(ids.map((id, index) => [id, products[index] ?? null]));
  return {
    productProblems: productProblems(receta, byId),
    doctor: doctorProblem(doctor),
    patientExists,
    date: prescriptionDateProblem(receta.fechaEmision, deps.now(), deps.prescriptionValidityDays),
  };
}

/** A patient validating their own prescription is the caller; an admin's target must be a user. */
async function patientIsRegistered(deps: UpdatePrescriptionDeps, receta: Prescription, ctx: RequestContext) {
  if (!isAdmin(ctx)) return receta.pacienteDNI === ctx.principal.dni;
  const users = await deps.users.listUsers(ctx);
  return users.some((user) => user.dni === receta.pacienteDNI);
}

const notFound = (id: string) =>
  new GatewayError('PRESCRIPTION_NOT_FOUND', { message: `Prescription ${id} not found`, details: { receta_id: id } });
