import { GatewayError } from '../../errors/gateway-error.js';
import type { Prescription, PrescriptionsClient } from '../../upstreams/recetas/recetas-client.js';
import { isAdmin, type RequestContext } from '../request-context.js';

export type { Prescription } from '../../upstreams/recetas/recetas-client.js';

/**
 * One prescription, for its patient or an ADMIN. The prescriptions service checks no token, so
 * the gateway is the only guard; to anyone else another patient's prescription does not exist
 * (404, exactly as for an unknown id: no existence oracle).
 */
export async function readPrescription(prescriptions: PrescriptionsClient, id: string, ctx: RequestContext): Promise<Prescription> {
  const receta = await prescriptions.getPrescription(id, ctx);
  if (!receta || (!isAdmin(ctx) && receta.pacienteDNI !== ctx.principal.dni)) throw prescriptionNotFound(id);
  return receta;
}

export const prescriptionNotFound = (id: string) =>
  new GatewayError('PRESCRIPTION_NOT_FOUND', { text: 'prescription.not_found', params: { id }, details: { receta_id: id } });
