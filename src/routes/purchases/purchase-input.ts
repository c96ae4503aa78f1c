import type { RegisterPurchaseInput } from '../../domain/purchases/register-purchase.js';
import type { PurchaseLine } from '../../domain/purchases/purchase-rules.js';
import type { PurchaseBody } from './purchases.schemas.js';

/**
 * Turns either body form into purchase lines. `datos_adicionales` is accepted and dropped: the
 * users service binds exactly `usuarioId`, `productos` and `cantidades`.
 */
export function toPurchaseInput(body: PurchaseBody, idempotencyKey: string | undefined): RegisterPurchaseInput {
  const lines: PurchaseLine[] = body.productos.map((item, index) =>
    typeof item === 'number' ? { producto_id: item, cantidad: body.cantidades?.[index] ?? 0 } : item,
  );
  return { lines, ...(idempotencyKey ? { idempotencyKey } : {}) };
}
