import type { RegisterPurchaseInput } from '../../domain/purchases/register-purchase.js';
import type { PurchaseLine } from '../../domain/purchases/purchase-rules.js';
import type { PurchaseBody } from './purchases.schemas.js';

/** Keys the gateway sets itself; `datos_adicionales` may never replace them. */
const RESERVED_KEYS = new Set(['usuarioId', 'productos', 'cantidades']);

/** Turns either body form into purchase lines, plus the extra fields passed to the users service. */
export function toPurchaseInput(body: PurchaseBody, idempotencyKey: string | undefined): RegisterPurchaseInput {
  const lines: PurchaseLine[] = body.productos.map((item, index) =>
    typeof item === 'number' ? { producto_id: item, cantidad: body.cantidades?.[index] ?? 0 } : item,
  );
  const extra = Object.fromEntries(
    Object.entries(body.datos_adicionales ?? {}).filter(([key]) => !RESERVED_KEYS.has(key)),
  );
  return { lines, extra, ...(idempotencyKey ? { idempotencyKey } : {}) };
}
