import type { Product } from '../../upstreams/productos/productos-client.js';
import type { Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import type { MessageKey } from '../../messages/messages.js';
import type { ProductLine } from './purchase-rules.js';

/** What is known of a product after trying to read it: the product, absent, or not readable now. */
export type ProductLookup = Product | 'not-found' | 'unavailable';

export type PurchaseLineDetail = (ProductLine & { stock: number }) | { producto_id: number; cantidad: number; error: MessageKey };

/** `fecha` repeats `fechaCompra`: the existing web frontend reads `fecha`. */
export type EnrichedPurchase = Purchase & { fecha: string; productos_detalle: PurchaseLineDetail[] };

/** The text of a line whose product could not be read; worded in the caller's language by the route. */
export const UNAVAILABLE_PRODUCT: MessageKey = 'text.product_unavailable';

/** The distinct product ids a list of purchases mentions, in first-seen order. */
export function productIdsOf(purchases: readonly Purchase[]): number[] {
  return [...new Set(purchases.flatMap((purchase) => purchase.productos))];
}

/**
 * Joins purchases with their products by id. Only allow-listed product fields are copied, so an
 * upstream that grows a field never leaks it; a product that could not be read becomes a visible
 * error entry rather than a missing line.
 */
export function enrichPurchases(
  purchases: readonly Purchase[],
  products: ReadonlyMap<number, ProductLookup>,
): EnrichedPurchase[] {
  return purchases.map((purchase) => ({
    ...purchase,
    fecha: purchase.fechaCompra,
    productos_detalle: purchase.productos.map((id, index): PurchaseLineDetail => {
      const cantidad = purchase.cantidades[index] ?? 0;
      const product = products.get(id);
      if (product === undefined || typeof product === 'string') {
        return { producto_id: id, cantidad, error: UNAVAILABLE_PRODUCT };
      }
      const { nombre, precio, tipo, requiere_receta, stock } = product;
      return { producto_id: id, cantidad, nombre, precio, tipo, requiere_receta, stock };
    }),
  }));
}

/** Newest first by `fechaCompra` (a zone-less local date-time), then by id. */
export function newestFirst(purchases: readonly Purchase[]): Purchase[] {
  const time = (purchase: Purchase) => {
    const parsed = Date.parse(purchase.fechaCompra);
    return Number.isNaN(parsed) ? 0 : parsed;
  };
  return [...purchases].sort((a, b) => time(b) - time(a) || b.id - a.id);
}
