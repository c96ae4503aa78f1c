import { describe, expect, it } from 'vitest';
import {
  findStockShortage,
  mergeLines,
  purchaseDetails,
} from '../../src/domain/purchases/purchase-rules.js';
import type { Product } from '../../src/upstreams/productos/productos-client.js';

const catalogue = (...products: Product[]) => new Map(products.map((item) => [item.id, item]));

const product = (id: number, overrides: Partial<Product> = {}): Product => ({
  id,
  nombre: `Producto ${id}`,
  tipo: 'Generico',
  precio: 1,
  stock: 10,
  requiere_receta: false,
  ...overrides,
});

describe('mergeLines', () => {
  it('sums repeated product ids and keeps the order in which each id first appeared', () => {
    const merged = mergeLines([
      { producto_id: 5, cantidad: 1 },
      { producto_id: 2, cantidad: 3 },
      { producto_id: 5, cantidad: 4 },
      { producto_id: 9, cantidad: 1 },
      { producto_id: 2, cantidad: 1 },
    ]);
    expect(merged).toEqual([
      { producto_id: 5, cantidad: 5 },
      { producto_id: 2, cantidad: 4 },
      { producto_id: 9, cantidad: 1 },
    ]);
  });

  it('leaves distinct lines untouched and does not mutate its input', () => {
    const input = [
      { producto_id: 1, cantidad: 2 },
      { producto_id: 3, cantidad: 1 },
    ];
    const copy = structuredClone(input);
    expect(mergeLines(input)).toEqual(copy);
    expect(input).toEqual(copy);
  });
});

describe('findStockShortage', () => {
  const products = catalogue(product(1, { stock: 5 }), product(4, { nombre: 'Loratadina 10mg', stock: 2 }));

  it('returns null when every line fits in the stock, including exactly all of it', () => {
    expect(findStockShortage([{ producto_id: 1, cantidad: 5 }, { producto_id: 4, cantidad: 2 }], products)).toBeNull();
  });

  it('reports the first short product with its name, available and requested quantity', () => {
    expect(
      findStockShortage([{ producto_id: 1, cantidad: 1 }, { producto_id: 4, cantidad: 3 }], products),
    ).toEqual({ producto_id: 4, nombre: 'Loratadina 10mg', disponible: 2, solicitado: 3 });
  });

  it('reports a product with zero stock', () => {
    const empty = catalogue(product(7, { nombre: 'Omeprazol 20mg', stock: 0 }));
    expect(findStockShortage([{ producto_id: 7, cantidad: 1 }], empty)).toEqual({
      producto_id: 7,
      nombre: 'Omeprazol 20mg',
      disponible: 0,
      solicitado: 1,
    });
  });
});

describe('purchaseDetails', () => {
  it('gives one detail per line with the product fields and a subtotal rounded to cents', () => {
    const products = catalogue(
      product(1, { nombre: 'Caramelo', tipo: 'Dulce', precio: 0.1 }),
      product(4, { nombre: 'Loratadina 10mg', tipo: 'Antialergico', precio: 4.8 }),
    );
    const { details, total } = purchaseDetails(
      [
        { producto_id: 1, cantidad: 3 },
        { producto_id: 4, cantidad: 3 },
      ],
      products,
    );
    expect(details).toEqual([
      { producto_id: 1, cantidad: 3, nombre: 'Caramelo', precio: 0.1, tipo: 'Dulce', requiere_receta: false, subtotal: 0.3 },
      {
        producto_id: 4,
        cantidad: 3,
        nombre: 'Loratadina 10mg',
        precio: 4.8,
        tipo: 'Antialergico',
        requiere_receta: false,
        subtotal: 14.4,
      },
    ]);
    expect(total).toBe(14.7);
  });

  it('rounds the total of the subtotals (0.1 + 0.2 is 0.3, not 0.30000000000000004)', () => {
    const products = catalogue(product(1, { precio: 0.1 }), product(2, { precio: 0.2 }));
    const { total } = purchaseDetails(
      [
        { producto_id: 1, cantidad: 1 },
        { producto_id: 2, cantidad: 1 },
      ],
      products,
    );
    expect(total).toBe(0.3);
  });

  it('carries requiere_receta through to the detail', () => {
    const products = catalogue(product(6, { precio: 15.75, requiere_receta: true }));
    const { details, total } = purchaseDetails([{ producto_id: 6, cantidad: 3 }], products);
    expect(details[0]).toMatchObject({ requiere_receta: true, subtotal: 47.25 });
    expect(total).toBe(47.25);
  });
});
