import type { Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { Product } from '../../upstreams/productos/productos-client.js';
import type { Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import { isWithinValidity } from '../shared/dates.js';
import type { PurchaseLine } from './purchase-rules.js';

/** One product a purchase asks for beyond what the caller's prescriptions still cover. */
export interface Coverage {
  producto_id: number;
  recetado: number;
  dispensado: number;
  solicitado: number;
}

/** The caller's prescriptions that count: validated and within `validityDays`. */
export function usablePrescriptions(prescriptions: readonly Prescription[], now: Date, validityDays: number): Prescription[] {
  return prescriptions.filter(
    (receta) => receta.estadoValidacion === 'validada' && isWithinValidity(receta.fechaEmision, now, validityDays),
  );
}

/** Whether some line's product appears in a usable prescription: only then can history matter. */
export function mentionsAnyLine(usable: readonly Prescription[], lines: readonly PurchaseLine[]): boolean {
  const ids = new Set(lines.map((line) => line.producto_id));
  return usable.some((receta) => receta.productos.some((item) => ids.has(item.id)));
}

/**
 * The products of the purchase that need a prescription and whose quantity, added to what the
 * caller was already dispensed, exceeds what their usable prescriptions authorise:
 * - prescribed(p): the quantities of `p` over the usable prescriptions listing it;
 * - dispensed(p): the quantities of `p` in the caller's purchases dated (YYYY-MM-DD, as written)
 *   on or after the earliest issue date among those prescriptions; a same-day purchase made
 *   before the prescription counts too (the safe side). 0 when no prescription lists `p`.
 * `history` may be omitted only when no product needing a prescription is listed by one.
 */
export function findUncoveredLines(
  lines: readonly PurchaseLine[],
  products: ReadonlyMap<number, Product>,
  usable: readonly Prescription[],
  history: readonly Purchase[] | undefined,
): Array<{ product: Product; coverage: Coverage }> {
  const uncovered: Array<{ product: Product; coverage: Coverage }> = [];
  for (const line of lines) {
    const product = products.get(line.producto_id);
    if (!product?.requiere_receta) continue;
    const listing = usable.filter((receta) => receta.productos.some((item) => item.id === line.producto_id));
    const recetado = sum(listing.flatMap((receta) => receta.productos.filter((item) => item.id === line.producto_id).map((item) => item.cantidad)));
    const dispensado = listing.length === 0 ? 0 : dispensedSince(history, line.producto_id, earliestDate(listing));
    if (dispensado + line.cantidad > recetado) {
      uncovered.push({ product, coverage: { producto_id: line.producto_id, recetado, dispensado, solicitado: line.cantidad } });
    }
  }
  return uncovered;
}

/** Whether the answer depends on the purchase history: a product needing a prescription is listed by one. */
export function needsHistory(
  lines: readonly PurchaseLine[],
  products: ReadonlyMap<number, Product>,
  usable: readonly Prescription[],
): boolean {
  return lines.some(
    (line) =>
      products.get(line.producto_id)?.requiere_receta === true &&
      usable.some((receta) => receta.productos.some((item) => item.id === line.producto_id)),
  );
}

function dispensedSince(history: readonly Purchase[] | undefined, productId: number, since: string): number {
  if (!history) throw new Error('purchase history is needed to count what was dispensed');
  let total = 0;
  for (const purchase of history) {
    if (dateOf(purchase.fechaCompra) < since) continue;
    purchase.productos.forEach((id, index) => {
      if (id === productId) total += purchase.cantidades[index] ?? 0;
    });
  }
  return total;
}

const earliestDate = (listing: readonly Prescription[]) =>
  listing.map((receta) => dateOf(receta.fechaEmision)).reduce((min, date) => (date < min ? date : min));

/** Dates are compared as the services write them: the first 10 characters, `YYYY-MM-DD`. */
const dateOf = (value: string) => value.slice(0, 10);

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
