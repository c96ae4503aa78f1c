import { createHash } from 'node:crypto';
import type { PurchaseLine } from './purchase-rules.js';

/**
 * Two purchase bodies are the same when their merged lines (each product with its summed
 * quantity) are equal as a set: line order, the body form and ignored fields do not matter.
 */
export function purchaseFingerprint(mergedLines: readonly PurchaseLine[]): string {
  return [...mergedLines]
    .sort((a, b) => a.producto_id - b.producto_id)
    .map((line) => `${line.producto_id}x${line.cantidad}`)
    .join(',');
}

/** Whether a registered purchase (parallel lists) has exactly these merged lines. */
export function purchaseMatches(purchase: { productos: number[]; cantidades: number[] }, fingerprint: string): boolean {
  const merged = new Map<number, number>();
  purchase.productos.forEach((id, index) => merged.set(id, (merged.get(id) ?? 0) + (purchase.cantidades[index] ?? 0)));
  return purchaseFingerprint([...merged].map(([producto_id, cantidad]) => ({ producto_id, cantidad }))) === fingerprint;
}

/** A store key that names the caller and the client's key without storing the key itself. */
export const recordKey = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex');
