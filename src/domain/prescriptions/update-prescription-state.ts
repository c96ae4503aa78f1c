import { GatewayError } from '../../errors/gateway-error.js';
import type { Product, ProductsClient } from '../../upstreams/productos/productos-client.js';
import type {
  Prescription,
  PrescriptionState,
  PrescriptionsClient,
  RecetasApi,
} from '../../upstreams/recetas/recetas-client.js';
import type { UsersClient } from '../../upstreams/usuarios/usuarios-client.js';
import { isAdmin, type RequestContext } from '../request-context.js';
import { prescriptionDateProblem } from '../shared/dates.js';
import type { DomainLogger } from '../shared/logger.js';
import { assertWriteBudget } from '../shared/write-budget.js';
import { describeFailures, doctorProblem, productProblems, type CheckOutcome } from './prescription-checks.js';
import { warnOnServiceRewrite } from './service-rewrite-warning.js';

export interface UpdatePrescriptionDeps {
  prescriptions: PrescriptionsClient;
  products: ProductsClient;
  users: UsersClient;
  prescriptionValidityDays: number;
  now: () => Date;
  logger: DomainLogger;
  /** `UPSTREAM_TIMEOUT_MS`: the budget a state write needs left before it starts. */
  upstreamTimeoutMs: number;
  /** `RECETAS_OCR_TIMEOUT_MS`, when set: the cap of `validar`, and so the budget it needs left. */
  ocrTimeoutMs?: number;
}

export type { PrescriptionState } from '../../upstreams/recetas/recetas-client.js';

/** What happened; the route words `mensaje` in the caller's language. */
export type UpdatePrescriptionResult =
  | {
      outcome: 'validated';
      receta: Prescription;
      validaciones: { productos_validados: number; medico_valido: true; paciente_valido: true };
    }
  | { outcome: 'state_updated'; receta: Prescription };

/**
 * Sets a prescription's state, in the contract's order of checks: who may ask for which state
 * (before any upstream call), whether the service's generation can set it, the prescription
 * itself (another patient's does not exist for a CLIENTE), then for `validada` every check in
 * parallel; any failure is a 422 and the state stays as it was. No write starts without the
 * budget to finish it (one upstream timeout; the OCR cap for `validar`): 504 `write_budget`.
 */
export async function updatePrescriptionState(
  deps: UpdatePrescriptionDeps,
  recetaId: string,
  state: PrescriptionState,
  ctx: RequestContext,
): Promise<UpdatePrescriptionResult> {
  const admin = isAdmin(ctx);
  assertStateRequestAllowed(deps.prescriptions.api, state, ctx);

  const receta = await deps.prescriptions.getPrescription(recetaId, ctx);
  // To a CLIENTE another patient's prescription does not exist: the same 404, no oracle.
  if (!receta || (!admin && receta.pacienteDNI !== ctx.principal.dni)) throw notFound(recetaId);
  if (!admin && receta.estadoValidacion === 'rechazada') {
    throw new GatewayError('FORBIDDEN', { text: 'forbidden.prescription_rejected' });
  }

  if (state !== 'validada') {
    assertWriteBudget(ctx, deps.upstreamTimeoutMs);
    const updated = await deps.prescriptions.setState(recetaId, state, ctx);
    if (!updated) throw notFound(recetaId);
    return { outcome: 'state_updated', receta: updated };
  }

  const byService = deps.prescriptions.api === 'validar';
  const outcome = await runChecks(deps, receta, ctx, { checkDoctor: !byService });
  const failures = describeFailures(receta, outcome);
  if (failures.checks_fallidos.length > 0) throw invalid(failures);

  if (!byService) {
    assertWriteBudget(ctx, deps.upstreamTimeoutMs);
    const updated = await deps.prescriptions.setState(recetaId, 'validada', ctx);
    if (!updated) throw notFound(recetaId);
    return validated(updated, receta.productos.length);
  }

  // The service's OCR runs under its own cap: that is what the call may take.
  assertWriteBudget(ctx, deps.ocrTimeoutMs ?? deps.upstreamTimeoutMs);
  const answer = await deps.prescriptions.validateWithService(recetaId, ctx);
  if (!answer) throw notFound(recetaId);
  if (!answer.ok) throw invalid({ checks_fallidos: [answer.check] });
  warnOnServiceRewrite(deps.logger, receta, answer.receta, ctx.requestId);
  return validated(answer.receta, answer.receta.productos.length);
}

/**
 * The checks that need no upstream call, in the contract's order: rejecting and reopening are a
 * pharmacist's (ADMIN's) decisions, never the patient's (403); the `validar` service cannot set
 * them at all (501).
 */
export function assertStateRequestAllowed(api: RecetasApi, state: PrescriptionState, ctx: RequestContext): void {
  if (!isAdmin(ctx) && state !== 'validada') throw new GatewayError('FORBIDDEN', { text: 'forbidden.prescription_state' });
  if (state !== 'validada' && api === 'validar') {
    throw new GatewayError('NOT_SUPPORTED', {
      text: 'prescription.state_not_supported',
      params: { estado: state.toUpperCase() },
      details: { service: 'recetas', estadovalidacion: state.toUpperCase() },
    });
  }
}

const validated = (receta: Prescription, productos_validados: number): UpdatePrescriptionResult => ({
  outcome: 'validated',
  receta,
  validaciones: { productos_validados, medico_valido: true, paciente_valido: true },
});

const invalid = (failures: { checks_fallidos: string[] } & Record<string, unknown>) =>
  new GatewayError('PRESCRIPTION_INVALID', {
    text: 'prescription.failed_checks',
    params: { checks: failures.checks_fallidos.join(', ') },
    details: failures,
  });

async function runChecks(
  deps: UpdatePrescriptionDeps,
  receta: Prescription,
  ctx: RequestContext,
  { checkDoctor }: { checkDoctor: boolean },
): Promise<CheckOutcome> {
  const ids = [...new Set(receta.productos.map((item) => item.id))];
  const [products, doctor, patientExists] = await Promise.all([
    Promise.all(ids.map((id) => deps.products.getProduct(id, ctx))),
    checkDoctor ? deps.prescriptions.findDoctor(receta.medicoCMP, ctx).then(doctorProblem) : null,
    patientIsRegistered(deps, receta, ctx),
  ]);
  const byId = new Map<number, Product | null>(ids.map((id, index) => [id, products[index] ?? null]));
  return {
    productProblems: productProblems(receta, byId),
    doctor,
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
  new GatewayError('PRESCRIPTION_NOT_FOUND', { text: 'prescription.not_found', params: { id }, details: { receta_id: id } });
