import { GatewayError } from '../../errors/gateway-error.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { ProductsClient, Product } from '../../upstreams/productos/productos-client.js';
import type { PrescriptionsClient, Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { UsersClient, Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import type { RequestContext } from '../request-context.js';
import type { IdempotencyMemory } from '../shared/idempotency-memory.js';
import type { StockLocks } from '../ports/stock-locks.js';
import type { DomainLogger } from '../shared/logger.js';
import {
  findStockShortage,
  findUncoveredProducts,
  mergeLines,
  purchaseDetails,
  type PurchaseDetail,
  type PurchaseLine,
} from './purchase-rules.js';
import { decrementStock, restoreStock, stockLockKeys } from './stock-ledger.js';

export interface RegisteredPurchase extends Purchase {
  productos_detalle: PurchaseDetail[];
  total: number;
}

export interface RegisterPurchaseDeps {
  products: ProductsClient;
  users: UsersClient;
  prescriptions: PrescriptionsClient;
  stockLocks: StockLocks;
  idempotency: IdempotencyMemory<RegisteredPurchase>;
  prescriptionValidityDays: number;
  now: () => Date;
  logger: DomainLogger;
}

export interface RegisterPurchaseInput {
  lines: PurchaseLine[];
  idempotencyKey?: string;
}

/**
 * Validates a purchase completely (products exist, stock covers it, prescriptions cover what
 * needs one) before writing anything; then decrements stock and registers the purchase,
 * giving the stock back if registration definitely failed.
 */
export async function registerPurchase(
  deps: RegisterPurchaseDeps,
  input: RegisterPurchaseInput,
  ctx: RequestContext,
): Promise<{ purchase: RegisteredPurchase; replayed: boolean }> {
  const lines = mergeLines(input.lines);
  const register = () => validateAndRegister(deps, lines, input, ctx);
  if (!input.idempotencyKey) return { purchase: await register(), replayed: false };
  const { value, replayed } = await deps.idempotency.run(`${ctx.principal.dni}\n${input.idempotencyKey}`, register);
  return { purchase: value, replayed };
}

async function validateAndRegister(
  deps: RegisterPurchaseDeps,
  lines: PurchaseLine[],
  input: RegisterPurchaseInput,
  ctx: RequestContext,
): Promise<RegisteredPurchase> {
  // Started at once, awaited only if a product needs a prescription: its failure matters only then.
  const prescriptions = settle(deps.prescriptions.listPatientPrescriptions(ctx.principal.dni, 'validada', ctx));

  const products = await deps.stockLocks.withLocks(stockLockKeys(lines), ctx.deadline, async () => {
    const current = await readProducts(deps.products, lines, ctx);
    await assertPurchasable(deps, lines, current, prescriptions);
    await decrementStock(deps.products, lines, current, ctx, deps.logger);
    return current;
  });

  let purchase: Purchase;
  try {
    purchase = await deps.users.registerPurchase(
      {
        productos: lines.map((line) => line.producto_id),
        cantidades: lines.map((line) => line.cantidad),
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      },
      ctx,
    );
  } catch (error) {
    if (error instanceof UpstreamError && error.mayHaveApplied) {
      // Overselling medicine is worse than a stock count too low: keep the decrement, tell an operator.
      deps.logger.error(
        {
          requestId: ctx.requestId,
          // The spec requires this line to name the caller, so it carries the DNI in full under a
          // field the logger's DNI masking leaves alone; every other log line masks DNIs.
          callerDni: ctx.principal.dni,
          lines,
          reason: error.kind,
          // A client retry with the same key decrements stock again: the key links the two.
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
        },
        'purchase registration outcome unknown; stock kept decremented, reconcile manually',
      );
    } else {
      await restoreStock(deps.products, deps.stockLocks, lines, ctx, deps.logger);
    }
    throw error;
  }

  const { details, total } = purchaseDetails(lines, products);
  return { ...purchase, productos_detalle: details, total };
}

async function readProducts(client: ProductsClient, lines: readonly PurchaseLine[], ctx: RequestContext) {
  const found = await Promise.all(lines.map((line) => client.getProduct(line.producto_id, ctx)));
  const missing = lines.filter((_, index) => found[index] === null).map((line) => line.producto_id);
  if (missing.length > 0) {
    throw new GatewayError('PRODUCT_NOT_FOUND', {
      text: 'product.not_found',
      params: { id: missing[0] as number },
      details: { producto_id: missing[0], productos_no_encontrados: missing },
    });
  }
  return new Map(found.map((product) => [(product as Product).id, product as Product]));
}

async function assertPurchasable(
  deps: RegisterPurchaseDeps,
  lines: readonly PurchaseLine[],
  products: ReadonlyMap<number, Product>,
  prescriptions: Promise<Settled<Prescription[]>>,
) {
  const shortage = findStockShortage(lines, products);
  if (shortage) {
    throw new GatewayError('INSUFFICIENT_STOCK', {
      text: 'stock.insufficient',
      params: { nombre: shortage.nombre },
      details: { ...shortage },
    });
  }
  if (![...products.values()].some((product) => product.requiere_receta)) return;

  const settled = await prescriptions;
  if (!settled.ok) throw settled.error;
  const uncovered = findUncoveredProducts(lines, products, settled.value, deps.now(), deps.prescriptionValidityDays);
  if (uncovered.length > 0) {
    throw new GatewayError('PRESCRIPTION_REQUIRED', {
      details: { productos_sin_receta: uncovered.map((product) => product.nombre) },
    });
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
