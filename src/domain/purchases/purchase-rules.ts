import type { Product } from '../../upstreams/productos/productos-client.js';
import { roundMoney } from '../shared/money.js';

export interface PurchaseLine {
  producto_id: number;
  cantidad: number;
}

/** Sums repeated product ids, keeping the order in which each id first appeared. */
export function mergeLines(lines: readonly PurchaseLine[]): PurchaseLine[] {
  const merged = new Map<number, number>();
  for (const line of lines) merged.set(line.producto_id, (merged.get(line.producto_id) ?? 0) + line.cantidad);
  return [...merged].map(([producto_id, cantidad]) => ({ producto_id, cantidad }));
}

export interface StockShortage {
  producto_id: number;
  nombre: string;
  disponible: number;
  solicitado: number;
}

export function findStockShortage(lines: readonly PurchaseLine[], products: ReadonlyMap<number, Product>) {
  for (const line of lines) {
    const product = products.get(line.producto_id);
    if (product && product.stock < line.cantidad) {
      return { producto_id: line.producto_id, nombre: product.nombre, disponible: product.stock, solicitado: line.cantidad };
    }
  }
  return null;
}

/** A line with the product fields every detail shares (an allow-list: nothing else is copied). */
export type ProductLine = { producto_id: number; cantidad: number } & Pick<Product, 'nombre' | 'precio' | 'tipo' | 'requiere_receta'>;

export type PurchaseDetail = ProductLine & { subtotal: number };

export function purchaseDetails(lines: readonly PurchaseLine[], products: ReadonlyMap<number, Product>) {
  const details: PurchaseDetail[] = [];
  for (const line of lines) {
    const product = products.get(line.producto_id);
    if (!product) continue;
    details.push({
      producto_id: line.producto_id,
      cantidad: line.cantidad,
      nombre: product.nombre,
      precio: product.precio,
      tipo: product.tipo,
      requiere_receta: product.requiere_receta,
      subtotal: roundMoney(product.precio * line.cantidad),
    });
  }
  const total = roundMoney(details.reduce((sum, detail) => sum + detail.subtotal, 0));
  return { details, total };
}
