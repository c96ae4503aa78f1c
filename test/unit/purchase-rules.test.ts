import { describe, expect, it } from 'vitest';
import {
  findStockShortage,
  findUncoveredProducts,
  mergeLines,
  purchaseDetails,
} from '../../src/domain/purchases/purchase-rules.js';
import type { Product } from '../../src/upstreams/productos/productos-client.js';
import type { Prescription } from '../../src/upstreams/recetas/recetas-client.js';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-10-21T12:00:00.000Z');
const VALIDITY_DAYS = 30;

const product = (id: number, overrides: Partial<Product> = {}): Product => ({
  id,
  nombre: `Producto ${id}`,
  tipo: 'Generico',
  precio: 1,
  stock: 10,
  requiere_receta: false,
  ...overrides,
});

const catalogue = (...products: Product[]) => new Map(products.map((item) => [item.id, item]));

const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY_MS - extraMs).toISOString();

const receta = (
  items: Array<{ id: number; cantidad: number }>,
  overrides: Partial<Prescription> = {},
): Prescription => ({
  _id: '6717a1b2c3d4e5f601234567',
  pacienteDNI: '71234567',
  medicoCMP: 'CMP12345',
  fechaEmision: daysAgo(5),
  productos: items.map((item) => ({ ...item, nombre: `Producto ${item.id}` })),
  estadoValidacion: 'validada',
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

describe('findUncoveredProducts', () => {
  const amoxicilina = product(3, { nombre: 'Amoxicilina 500mg', requiere_receta: true });
  const azitromicina = product(8, { nombre: 'Azitromicina 500mg', requiere_receta: true });
  const paracetamol = product(1, { nombre: 'Paracetamol 500mg' });
  const products = catalogue(amoxicilina, azitromicina, paracetamol);
  const uncovered = (lines: Array<{ producto_id: number; cantidad: number }>, recetas: Prescription[]) =>
    findUncoveredProducts(lines, products, recetas, NOW, VALIDITY_DAYS).map((item) => item.nombre);

  it('needs nothing for products that do not require a prescription', () => {
    expect(uncovered([{ producto_id: 1, cantidad: 50 }], [])).toEqual([]);
  });

  it('accepts a validated, unexpired prescription listing the product with enough quantity', () => {
    expect(uncovered([{ producto_id: 3, cantidad: 2 }], [receta([{ id: 3, cantidad: 2 }])])).toEqual([]);
    expect(uncovered([{ producto_id: 3, cantidad: 1 }], [receta([{ id: 3, cantidad: 2 }])])).toEqual([]);
  });

  it('lists a prescription-only product when there is no prescription at all', () => {
    expect(uncovered([{ producto_id: 3, cantidad: 1 }], [])).toEqual(['Amoxicilina 500mg']);
  });

  it('does not accept a pending or rejected prescription', () => {
    const lines = [{ producto_id: 3, cantidad: 1 }];
    expect(uncovered(lines, [receta([{ id: 3, cantidad: 5 }], { estadoValidacion: 'pendiente' })])).toEqual([
      'Amoxicilina 500mg',
    ]);
    expect(uncovered(lines, [receta([{ id: 3, cantidad: 5 }], { estadoValidacion: 'rechazada' })])).toEqual([
      'Amoxicilina 500mg',
    ]);
  });

  it('does not accept an expired validated prescription', () => {
    const expired = receta([{ id: 3, cantidad: 5 }], { fechaEmision: daysAgo(60) });
    expect(uncovered([{ producto_id: 3, cantidad: 1 }], [expired])).toEqual(['Amoxicilina 500mg']);
  });

  it('accepts a prescription exactly at the validity limit and rejects one a millisecond older', () => {
    const lines = [{ producto_id: 3, cantidad: 1 }];
    expect(uncovered(lines, [receta([{ id: 3, cantidad: 1 }], { fechaEmision: daysAgo(VALIDITY_DAYS) })])).toEqual([]);
    expect(
      uncovered(lines, [receta([{ id: 3, cantidad: 1 }], { fechaEmision: daysAgo(VALIDITY_DAYS, 1) })]),
    ).toEqual(['Amoxicilina 500mg']);
  });

  it('does not accept a prescription dated in the future', () => {
    const future = receta([{ id: 3, cantidad: 1 }], { fechaEmision: new Date(NOW.getTime() + DAY_MS).toISOString() });
    expect(uncovered([{ producto_id: 3, cantidad: 1 }], [future])).toEqual(['Amoxicilina 500mg']);
  });

  it('does not accept a prescription whose quantity is lower than the quantity bought', () => {
    expect(uncovered([{ producto_id: 3, cantidad: 3 }], [receta([{ id: 3, cantidad: 2 }])])).toEqual([
      'Amoxicilina 500mg',
    ]);
  });

  it('does not accept a prescription for another product', () => {
    expect(uncovered([{ producto_id: 3, cantidad: 1 }], [receta([{ id: 8, cantidad: 5 }])])).toEqual([
      'Amoxicilina 500mg',
    ]);
  });

  it('requires one single prescription to cover the quantity (two smaller ones do not add up)', () => {
    const recetas = [receta([{ id: 3, cantidad: 1 }]), receta([{ id: 3, cantidad: 1 }])];
    expect(uncovered([{ producto_id: 3, cantidad: 2 }], recetas)).toEqual(['Amoxicilina 500mg']);
  });

  it('lists only the uncovered products when several need a prescription', () => {
    const lines = [
      { producto_id: 1, cantidad: 1 },
      { producto_id: 3, cantidad: 2 },
      { producto_id: 8, cantidad: 2 },
    ];
    const recetas = [receta([{ id: 3, cantidad: 2 }, { id: 8, cantidad: 1 }])];
    expect(uncovered(lines, recetas)).toEqual(['Azitromicina 500mg']);
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
