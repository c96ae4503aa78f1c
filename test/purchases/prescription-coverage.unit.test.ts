import { describe, expect, it } from 'vitest';
import {
  findUncoveredLines,
  mentionsAnyLine,
  needsHistory,
  usablePrescriptions,
} from '../../src/domain/purchases/prescription-coverage.js';
import type { Product } from '../../src/upstreams/productos/productos-client.js';
import type { Prescription } from '../../src/upstreams/recetas/recetas-client.js';
import type { Purchase } from '../../src/upstreams/usuarios/usuarios-client.js';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-10-21T12:00:00.000Z');
const VALIDITY_DAYS = 30;

const product = (id: number, nombre: string, requiere_receta: boolean): Product => ({
  id,
  nombre,
  tipo: 'Generico',
  precio: 1,
  stock: 100,
  requiere_receta,
});
const amoxicilina = product(3, 'Amoxicilina 500mg', true);
const azitromicina = product(8, 'Azitromicina 500mg', true);
const paracetamol = product(1, 'Paracetamol 500mg', false);
const products = new Map([amoxicilina, azitromicina, paracetamol].map((item) => [item.id, item]));

const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY_MS - extraMs).toISOString();
/** A date-only prescription as the service stores it: UTC midnight. */
const issuedOn = (date: string) => `${date}T00:00:00.000Z`;

const receta = (items: Array<[id: number, cantidad: number]>, overrides: Partial<Prescription> = {}): Prescription => ({
  _id: '6717a1b2c3d4e5f601234567',
  pacienteDNI: '71234567',
  medicoCMP: 'CMP12345',
  fechaEmision: daysAgo(5),
  productos: items.map(([id, cantidad]) => ({ id, cantidad, nombre: `Producto ${id}` })),
  estadoValidacion: 'validada',
  ...overrides,
});

let nextId = 1;
/** A registered purchase; `fechaCompra` as Spring writes a LocalDateTime (no zone). */
const compra = (fechaCompra: string, items: Array<[id: number, cantidad: number]>): Purchase => ({
  id: nextId++,
  fechaCompra,
  usuarioId: 3,
  productos: items.map(([id]) => id),
  cantidades: items.map(([, cantidad]) => cantidad),
});

const check = (
  lines: Array<[id: number, cantidad: number]>,
  recetas: Prescription[],
  history: Purchase[] = [],
) =>
  findUncoveredLines(
    lines.map(([producto_id, cantidad]) => ({ producto_id, cantidad })),
    products,
    usablePrescriptions(recetas, NOW, VALIDITY_DAYS),
    history,
  ).map(({ coverage }) => coverage);

describe('which prescriptions count', () => {
  const lines: Array<[number, number]> = [[3, 1]];
  it.each([
    ['pending', receta([[3, 5]], { estadoValidacion: 'pendiente' })],
    ['rejected', receta([[3, 5]], { estadoValidacion: 'rechazada' })],
    ['expired (60 days old)', receta([[3, 5]], { fechaEmision: daysAgo(60) })],
    ['a millisecond past the validity limit', receta([[3, 5]], { fechaEmision: daysAgo(VALIDITY_DAYS, 1) })],
    ['dated in the future', receta([[3, 5]], { fechaEmision: new Date(NOW.getTime() + DAY_MS).toISOString() })],
    ['for another product', receta([[8, 5]])],
  ])('a %s prescription covers nothing', (_name, prescription) => {
    expect(check(lines, [prescription])).toEqual([{ producto_id: 3, recetado: 0, dispensado: 0, solicitado: 1 }]);
  });

  it('a validated prescription exactly at the validity limit counts', () => {
    expect(check(lines, [receta([[3, 1]], { fechaEmision: daysAgo(VALIDITY_DAYS) })])).toEqual([]);
  });

  it('products that need no prescription need no coverage', () => {
    expect(check([[1, 50]], [])).toEqual([]);
  });
});

describe('a prescription is used up across purchases', () => {
  const issued = issuedOn('2025-10-10');
  const twoUnits = receta([[3, 2]], { fechaEmision: issued });

  it.each<[string, Array<[number, number]>, Purchase[], Array<{ recetado: number; dispensado: number; solicitado: number }>]>([
    ['nothing dispensed yet: the whole quantity', [[3, 2]], [], []],
    ['partly used: the rest is still covered', [[3, 1]], [compra('2025-10-12T09:00:00', [[3, 1]])], []],
    [
      'partly used: more than the rest is refused',
      [[3, 2]],
      [compra('2025-10-12T09:00:00', [[3, 1]])],
      [{ recetado: 2, dispensado: 1, solicitado: 2 }],
    ],
    [
      'used up by one earlier purchase (the attack: a third purchase of 2 on a 2-unit prescription)',
      [[3, 2]],
      [compra('2025-10-12T09:00:00', [[3, 2]])],
      [{ recetado: 2, dispensado: 2, solicitado: 2 }],
    ],
    [
      'used up by two purchases of one unit',
      [[3, 1]],
      [compra('2025-10-11T09:00:00', [[3, 1]]), compra('2025-10-15T18:30:00.123456', [[1, 3], [3, 1]])],
      [{ recetado: 2, dispensado: 2, solicitado: 1 }],
    ],
    ['purchases before the issue date do not count', [[3, 2]], [compra('2025-10-09T23:59:59', [[3, 5]])], []],
    [
      'a purchase on the issue date counts, even one made before the prescription (the safe side)',
      [[3, 1]],
      [compra('2025-10-10T00:00:01', [[3, 2]])],
      [{ recetado: 2, dispensado: 2, solicitado: 1 }],
    ],
    ['purchases of other products do not count', [[3, 2]], [compra('2025-10-12T09:00:00', [[1, 9], [8, 4]])], []],
  ])('%s', (_name, lines, history, expected) => {
    expect(check(lines, [twoUnits], history)).toEqual(expected.map((entry) => ({ producto_id: 3, ...entry })));
  });

  it('several prescriptions add up, and count dispensing from the earliest of their dates', () => {
    const recetas = [
      receta([[3, 1]], { fechaEmision: issuedOn('2025-10-05') }),
      receta([[3, 2]], { fechaEmision: issuedOn('2025-10-15') }),
    ];
    expect(check([[3, 3]], recetas)).toEqual([]);
    // A purchase between the two dates spends the older prescription's unit.
    expect(check([[3, 3]], recetas, [compra('2025-10-07T10:00:00', [[3, 1]])])).toEqual([
      { producto_id: 3, recetado: 3, dispensado: 1, solicitado: 3 },
    ]);
    expect(check([[3, 2]], recetas, [compra('2025-10-07T10:00:00', [[3, 1]])])).toEqual([]);
  });

  it('an expired prescription neither covers nor moves the date dispensing counts from', () => {
    const recetas = [
      receta([[3, 5]], { fechaEmision: daysAgo(45) }),
      receta([[3, 2]], { fechaEmision: issued }),
    ];
    expect(check([[3, 2]], recetas, [compra(daysAgo(40).slice(0, 19), [[3, 5]])])).toEqual([]);
  });

  it('lists each uncovered product with its coverage, in line order, and only those', () => {
    const recetas = [receta([[3, 2], [8, 1]], { fechaEmision: issued })];
    const history = [compra('2025-10-12T09:00:00', [[8, 1]])];
    const uncovered = findUncoveredLines(
      [
        { producto_id: 8, cantidad: 1 },
        { producto_id: 1, cantidad: 1 },
        { producto_id: 3, cantidad: 3 },
      ],
      products,
      usablePrescriptions(recetas, NOW, VALIDITY_DAYS),
      history,
    );
    expect(uncovered.map(({ product: item }) => item.nombre)).toEqual(['Azitromicina 500mg', 'Amoxicilina 500mg']);
    expect(uncovered.map(({ coverage }) => coverage)).toEqual([
      { producto_id: 8, recetado: 1, dispensado: 1, solicitado: 1 },
      { producto_id: 3, recetado: 2, dispensado: 0, solicitado: 3 },
    ]);
  });
});

describe('when the purchase history is read', () => {
  const usable = usablePrescriptions([receta([[3, 2]])], NOW, VALIDITY_DAYS);
  const lines = (ids: number[]) => ids.map((producto_id) => ({ producto_id, cantidad: 1 }));

  it('only when a product of the purchase appears in a usable prescription', () => {
    expect(mentionsAnyLine(usable, lines([1, 3]))).toBe(true);
    expect(mentionsAnyLine(usable, lines([1, 8]))).toBe(false);
    expect(mentionsAnyLine(usablePrescriptions([receta([[3, 2]], { estadoValidacion: 'pendiente' })], NOW, VALIDITY_DAYS), lines([3]))).toBe(false);
  });

  it('and it matters only for a product that needs a prescription and is listed by one', () => {
    expect(needsHistory(lines([3]), products, usable)).toBe(true);
    expect(needsHistory(lines([8]), products, usable)).toBe(false);
    expect(needsHistory(lines([1]), products, usablePrescriptions([receta([[1, 2]])], NOW, VALIDITY_DAYS))).toBe(false);
  });
});
