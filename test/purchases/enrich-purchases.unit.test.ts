import { describe, expect, it } from 'vitest';
import {
  enrichPurchases,
  newestFirst,
  productIdsOf,
  type ProductLookup,
} from '../../src/domain/purchases/enrich-purchases.js';
import type { Product } from '../../src/upstreams/productos/productos-client.js';
import type { Purchase } from '../../src/upstreams/usuarios/usuarios-client.js';

const paracetamol: Product = { id: 1, nombre: 'Paracetamol 500mg', tipo: 'Analgesico', precio: 3.5, stock: 100, requiere_receta: false };
const amoxicilina: Product = { id: 3, nombre: 'Amoxicilina 500mg', tipo: 'Antibiotico', precio: 12.5, stock: 40, requiere_receta: true };

const purchase = (id: number, fechaCompra: string, productos: number[], cantidades: number[]): Purchase => ({
  id,
  fechaCompra,
  usuarioId: 3,
  productos,
  cantidades,
});

describe('productIdsOf', () => {
  it('lists each product id once, in first-seen order across purchases', () => {
    const purchases = [
      purchase(1, '2025-10-01T10:00:00.000001', [1, 3], [2, 1]),
      purchase(2, '2025-10-02T10:00:00.000001', [5, 1], [1, 1]),
      purchase(3, '2025-10-03T10:00:00.000001', [3], [4]),
    ];
    expect(productIdsOf(purchases)).toEqual([1, 3, 5]);
  });
});

describe('enrichPurchases', () => {
  it('adds fecha and one detail per line with only nombre, precio, tipo, requiere_receta and stock from the product', () => {
    const withInternalField = { ...paracetamol, costo_interno: 1.2, fecha_creacion: '2025-09-21T10:00:00' } as Product;
    const products = new Map<number, ProductLookup>([
      [1, withInternalField],
      [3, amoxicilina],
    ]);
    const [enriched] = enrichPurchases([purchase(7, '2025-10-21T12:30:11.123456', [1, 3], [2, 1])], products);
    expect(enriched).toEqual({
      id: 7,
      fechaCompra: '2025-10-21T12:30:11.123456',
      usuarioId: 3,
      productos: [1, 3],
      cantidades: [2, 1],
      fecha: '2025-10-21T12:30:11.123456',
      productos_detalle: [
        { producto_id: 1, cantidad: 2, nombre: 'Paracetamol 500mg', precio: 3.5, tipo: 'Analgesico', requiere_receta: false, stock: 100 },
        { producto_id: 3, cantidad: 1, nombre: 'Amoxicilina 500mg', precio: 12.5, tipo: 'Antibiotico', requiere_receta: true, stock: 40 },
      ],
    });
    expect(JSON.stringify(enriched)).not.toContain('costo_interno');
    expect(JSON.stringify(enriched)).not.toContain('fecha_creacion');
  });

  it('turns an unreadable, missing or unknown product into an error entry keeping id and quantity', () => {
    const products = new Map<number, ProductLookup>([
      [1, 'unavailable'],
      [3, 'not-found'],
    ]);
    const [enriched] = enrichPurchases([purchase(7, '2025-10-21T12:30:11.123456', [1, 3, 9], [2, 1, 4])], products);
    expect(enriched?.productos_detalle).toEqual([
      { producto_id: 1, cantidad: 2, error: 'text.product_unavailable' },
      { producto_id: 3, cantidad: 1, error: 'text.product_unavailable' },
      { producto_id: 9, cantidad: 4, error: 'text.product_unavailable' },
    ]);
  });

  it('keeps every purchase and its own fields, including ones the users service added', () => {
    const extra = { ...purchase(8, '2025-10-21T12:30:11.123456', [1], [1]), metodo_pago: 'tarjeta' } as Purchase;
    const products = new Map<number, ProductLookup>([[1, paracetamol]]);
    const enriched = enrichPurchases([purchase(7, '2025-10-20T12:30:11.123456', [1], [3]), extra], products);
    expect(enriched.map((item) => item.id)).toEqual([7, 8]);
    expect(enriched[1]).toMatchObject({ metodo_pago: 'tarjeta' });
    expect(enriched[0]?.productos_detalle[0]).toMatchObject({ producto_id: 1, cantidad: 3 });
  });

  it('gives an empty list for no purchases', () => {
    expect(enrichPurchases([], new Map())).toEqual([]);
  });
});

describe('newestFirst', () => {
  it('orders by the zone-less fechaCompra, newest first', () => {
    const purchases = [
      purchase(1, '2025-10-01T12:30:11.123456', [1], [1]),
      purchase(2, '2025-10-18T08:00:00.000001', [1], [1]),
      purchase(3, '2025-10-11T23:59:59.999999', [1], [1]),
    ];
    expect(newestFirst(purchases).map((item) => item.id)).toEqual([2, 3, 1]);
  });

  it('breaks ties on the same fechaCompra by the higher id first', () => {
    const purchases = [
      purchase(4, '2025-10-18T08:00:00.000101', [1], [1]),
      purchase(9, '2025-10-18T08:00:00.000101', [1], [1]),
      purchase(6, '2025-10-18T08:00:00.000101', [1], [1]),
    ];
    expect(newestFirst(purchases).map((item) => item.id)).toEqual([9, 6, 4]);
  });

  it('does not reorder the array it was given', () => {
    const purchases = [
      purchase(1, '2025-10-01T12:30:11.123456', [1], [1]),
      purchase(2, '2025-10-18T08:00:00.000001', [1], [1]),
    ];
    newestFirst(purchases);
    expect(purchases.map((item) => item.id)).toEqual([1, 2]);
  });
});
