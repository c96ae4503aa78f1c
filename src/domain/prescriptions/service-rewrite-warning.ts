import type { Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { DomainLogger } from '../shared/logger.js';

const productKey = (receta: Prescription) =>
  JSON.stringify(
    receta.productos.map(({ id, cantidad }) => [id, cantidad]).sort((a, b) => Number(a[0]) - Number(b[0])),
  );

/**
 * The `validar` service overwrites the patient and the products with what its OCR read in the
 * PDF, after the gateway checked the stored ones. The state is `validada` by then and cannot be
 * undone here, so a difference is left to a pharmacist: one warning naming both values (DNIs in
 * full, under fields the log masking leaves alone, as the reconciliation lines do).
 */
export function warnOnServiceRewrite(
  logger: DomainLogger,
  checked: Prescription,
  returned: Prescription,
  requestId: string,
): void {
  const patientChanged = checked.pacienteDNI !== returned.pacienteDNI;
  const productsChanged = productKey(checked) !== productKey(returned);
  if (!patientChanged && !productsChanged) return;
  logger.warn(
    {
      requestId,
      recetaId: checked._id,
      checkedPatientDni: checked.pacienteDNI,
      returnedPatientDni: returned.pacienteDNI,
      checkedProductos: checked.productos,
      returnedProductos: returned.productos,
    },
    'prescription validated by the service with another patient or other products than the gateway checked; a pharmacist should review it',
  );
}
