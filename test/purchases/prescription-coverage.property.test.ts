// Property-based test of the coverage rule over random prescription tables and purchase
// sequences: however a customer splits their purchases, and whichever prescriptions they hold
// (validated or not, expired or not, for this product or another), a product that needs a
// prescription is never dispensed beyond what the usable prescriptions listing it authorise,
// and a purchase is refused only when it would go beyond it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUncoveredLines, usablePrescriptions } from '../../src/domain/purchases/prescription-coverage.js';
import type { Product } from '../../src/upstreams/productos/productos-client.js';
import type { Prescription, PrescriptionState } from '../../src/upstreams/recetas/recetas-client.js';
import type { Purchase } from '../../src/upstreams/usuarios/usuarios-client.js';
import { RUNS } from '../helpers/fuzz-support.js';

const NOW = new Date('2025-10-21T12:00:00.000Z');
const VALIDITY_DAYS = 30;
const DAY_MS = 86_400_000;
const PRODUCTS = new Map<number, Product>([
  [3, { id: 3, nombre: 'Amoxicilina 500mg', tipo: 'Antibiotico', precio: 12.5, stock: 1000, requiere_receta: true }],
  [8, { id: 8, nombre: 'Azitromicina 500mg', tipo: 'Antibiotico', precio: 18.9, stock: 1000, requiere_receta: true }],
  [1, { id: 1, nombre: 'Paracetamol 500mg', tipo: 'Analgesico', precio: 3.5, stock: 1000, requiere_receta: false }],
]);

const isoDay = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);

const anyPrescription = fc.record({
  estado: fc.constantFrom<PrescriptionState>('validada', 'validada', 'pendiente', 'rechazada'),
  // 0..40 days old: some expired; issued at UTC midnight, as the service stores a date-only value.
  daysAgo: fc.integer({ min: 0, max: 40 }),
  productos: fc.array(fc.record({ id: fc.constantFrom(3, 8, 1), cantidad: fc.integer({ min: 1, max: 5 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
});

/** A purchase attempt: which products, how many, how many days ago (purchases happen in time order). */
const anyAttempt = fc.record({
  lines: fc.uniqueArray(fc.record({ producto_id: fc.constantFrom(3, 8, 1), cantidad: fc.integer({ min: 1, max: 4 }) }), {
    minLength: 1,
    maxLength: 3,
    selector: (line) => line.producto_id,
  }),
  daysAgo: fc.integer({ min: 0, max: 40 }),
});

/** What the usable prescriptions authorise of `id`, and from which date they count dispensing. */
function authorised(prescriptions: readonly Prescription[], id: number) {
  const usable = usablePrescriptions(prescriptions, NOW, VALIDITY_DAYS).filter((receta) =>
    receta.productos.some((item) => item.id === id),
  );
  const total = usable.flatMap((receta) => receta.productos).filter((item) => item.id === id).reduce((sum, item) => sum + item.cantidad, 0);
  const since = usable.map((receta) => receta.fechaEmision.slice(0, 10)).sort()[0];
  return { total, since };
}

describe('prescription coverage over random tables and purchase sequences', () => {
  it('never dispenses a prescribed product beyond its usable prescriptions, and refuses only what would', () => {
    fc.assert(
      fc.property(fc.array(anyPrescription, { maxLength: 4 }), fc.array(anyAttempt, { minLength: 1, maxLength: 8 }), (table, attempts) => {
        const prescriptions: Prescription[] = table.map((spec, index) => ({
          _id: String(index).padStart(24, '0'),
          pacienteDNI: '71234567',
          medicoCMP: 'CMP12345',
          fechaEmision: `${isoDay(spec.daysAgo)}T00:00:00.000Z`,
          estadoValidacion: spec.estado,
          productos: spec.productos.map((item) => ({ ...item, nombre: `Producto ${item.id}` })),
        }));
        const usable = usablePrescriptions(prescriptions, NOW, VALIDITY_DAYS);
        const history: Purchase[] = [];
        // Purchases happen oldest first, each checked against the history so far.
        for (const attempt of [...attempts].sort((a, b) => b.daysAgo - a.daysAgo)) {
          const uncovered = findUncoveredLines(attempt.lines, PRODUCTS, usable, history);
          for (const line of attempt.lines) {
            if (!PRODUCTS.get(line.producto_id)?.requiere_receta) continue;
            const { total, since } = authorised(prescriptions, line.producto_id);
            const dispensed = history
              .filter((purchase) => since !== undefined && purchase.fechaCompra.slice(0, 10) >= since)
              .reduce((sum, purchase) => sum + (purchase.productos[0] === line.producto_id ? (purchase.cantidades[0] ?? 0) : 0), 0);
            const refused = uncovered.some(({ coverage }) => coverage.producto_id === line.producto_id);
            expect(refused).toBe(dispensed + line.cantidad > total);
          }
          if (uncovered.length > 0) continue;
          // Registered: one history entry per line keeps the reference sum above simple.
          for (const line of attempt.lines) {
            history.push({ id: history.length + 1, fechaCompra: `${isoDay(attempt.daysAgo)}T10:00:00`, usuarioId: 3, productos: [line.producto_id], cantidades: [line.cantidad] });
          }
        }
        // The invariant: what was dispensed since the prescriptions never exceeds what they authorise.
        for (const id of [3, 8]) {
          const { total, since } = authorised(prescriptions, id);
          const dispensed = history
            .filter((purchase) => purchase.productos[0] === id && since !== undefined && purchase.fechaCompra.slice(0, 10) >= since)
            .reduce((sum, purchase) => sum + (purchase.cantidades[0] ?? 0), 0);
          expect(dispensed).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
