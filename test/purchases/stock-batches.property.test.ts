// Property-based test of the group commit of stock (domain/purchases/stock-batches.ts), on the
// purchase use-case with in-memory fakes of the upstreams: for random interleavings of buyers,
// products, quantities and injected definite failures of stock writes and registrations, the stock
// sold is exactly the quantities registered and never below zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/coordination/memory/keyed-mutex.js';
import { MemoryCallerLimits } from '../../src/coordination/memory/memory-caller-limits.js';
import { MemoryIdempotencyStore } from '../../src/coordination/memory/memory-idempotency-store.js';
import { registerPurchase, type RegisterPurchaseDeps } from '../../src/domain/purchases/register-purchase.js';
import { StockBatches } from '../../src/domain/purchases/stock-batches.js';
import type { RequestContext } from '../../src/domain/request-context.js';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { UpstreamError } from '../../src/errors/upstream-error.js';
import type { Product, ProductsClient } from '../../src/upstreams/productos/productos-client.js';
import type { PrescriptionsClient } from '../../src/upstreams/recetas/recetas-client.js';
import type { Purchase, UsersClient } from '../../src/upstreams/usuarios/usuarios-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

interface World {
  stock: Map<number, number>;
  registered: Purchase[];
}

function fakes(world: World, faults: { stockWriteFails: (n: number) => boolean; registrationFails: (n: number) => boolean }) {
  let writes = 0;
  let registrations = 0;
  const product = (id: number): Product => ({ id, nombre: `P${id}`, tipo: 'T', precio: 1, stock: world.stock.get(id) ?? 0, requiere_receta: false });
  const products: ProductsClient = {
    refusal: () => null,
    async getProduct(id) {
      await sleep(1);
      return world.stock.has(id) ? product(id) : null;
    },
    async setStock(id, stock) {
      await sleep(1);
      // Only decrements fail: a failed give-back (compensation or restore) is logged for an
      // operator by design and leaves the count low, which this property does not cover.
      const decrement = stock < (world.stock.get(id) ?? 0);
      if (decrement && faults.stockWriteFails(writes++)) throw new UpstreamError('productos', 'unavailable', { status: 500 });
      world.stock.set(id, stock);
      return product(id);
    },
  };
  const users = {
    refusal: () => null,
    async registerPurchase(input: { productos: number[]; cantidades: number[] }) {
      await sleep(2);
      if (faults.registrationFails(registrations++)) throw new UpstreamError('usuarios', 'unavailable', { status: 500 });
      const purchase = { id: world.registered.length + 1, fechaCompra: '2025-10-21T10:00:00', usuarioId: 3, ...input };
      world.registered.push(purchase);
      return purchase;
    },
    listMyPurchases: async () => [],
    listAllPurchases: async () => [],
    listUsers: async () => [],
  } as unknown as UsersClient;
  const prescriptions = { refusal: () => null, listPatientPrescriptions: async () => [] } as unknown as PrescriptionsClient;
  return { products, users, prescriptions };
}

const anyBuyer = fc.record({
  lines: fc.constantFrom([1], [2], [1, 2], [2, 1]).chain((ids) =>
    fc.tuple(...ids.map((id) => fc.integer({ min: 1, max: 3 }).map((cantidad) => ({ producto_id: id, cantidad })))),
  ),
  arrivesAfterMs: fc.integer({ min: 0, max: 6 }),
});

describe('group commit of stock', () => {
  it('sells exactly what is registered, for any interleaving and any definite failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyBuyer, { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.func(fc.boolean()),
        fc.func(fc.boolean()),
        fc.boolean(),
        async (buyers, stock1, stock2, writeFault, registrationFault, batching) => {
          const world: World = { stock: new Map([[1, stock1], [2, stock2]]), registered: [] };
          const { products, users, prescriptions } = fakes(world, {
            // About one write in five and one registration in five fail, wherever fast-check puts them.
            stockWriteFails: (n) => writeFault(n) && n % 5 === 0,
            registrationFails: (n) => registrationFault(n) && n % 5 === 0,
          });
          const locks = new KeyedMutex();
          const deps: RegisterPurchaseDeps = {
            products,
            users,
            prescriptions,
            stockLocks: locks,
            stockBatches: new StockBatches(locks, products, silent, batching),
            idempotency: new MemoryIdempotencyStore(),
            limits: new MemoryCallerLimits({ writesPerMinute: 0, purchasesInFlight: 0, loginsPerMinute: 0, slotTtlMs: 60_000 }),
            prescriptionValidityDays: 30,
            upstreamTimeoutMs: 1000,
            doubleSubmitWindowMs: 0,
            now: () => new Date(),
            logger: silent,
          };
          const ctx = (i: number): RequestContext => ({
            requestId: `r${i}`,
            principal: { dni: `7000000${i % 10}`, role: 'CLIENTE' },
            authorization: 'Bearer x',
            deadline: Date.now() + 10_000,
          });
          const answers = await Promise.all(
            buyers.map(async (buyer, i) => {
              await sleep(buyer.arrivesAfterMs);
              try {
                await registerPurchase(deps, { lines: buyer.lines }, ctx(i));
                return 'sold';
              } catch (error) {
                if (error instanceof GatewayError && error.code === 'INSUFFICIENT_STOCK') return 'no stock';
                if (error instanceof UpstreamError && error.kind === 'unavailable') return 'failed';
                throw error;
              }
            }),
          );
          for (const id of [1, 2]) {
            const sold = world.registered.reduce((sum, p) => sum + p.productos.reduce((s, pid, k) => s + (pid === id ? (p.cantidades[k] ?? 0) : 0), 0), 0);
            const initial = id === 1 ? stock1 : stock2;
            expect(initial - (world.stock.get(id) ?? 0)).toBe(sold);
            expect(world.stock.get(id)).toBeGreaterThanOrEqual(0);
          }
          expect(answers.filter((answer) => answer === 'sold')).toHaveLength(world.registered.length);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
