import { GatewayError } from '../../errors/gateway-error.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { Product } from '../../upstreams/productos/productos-client.js';
import type { Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import { lockWaitSpentBudget, stockLockTimeout } from '../ports/stock-locks.js';
import type { RequestContext } from '../request-context.js';
import { assertWriteBudget } from '../shared/write-budget.js';
import { RegistrationOutcomeUnknown } from './outcome-unknown.js';
import { findUncoveredLines, needsHistory, usablePrescriptions } from './prescription-coverage.js';
import { PrescriptionGate } from './prescription-gate.js';
import type { AttemptProgress } from './purchase-records.js';
import { startPurchaseReads, type PurchaseReads } from './purchase-reads.js';
import { purchaseDetails, type PurchaseDetail, type PurchaseLine } from './purchase-rules.js';
import type { RegisterPurchaseDeps } from './register-purchase.js';
import { restoreStock } from './stock-ledger.js';

export interface RegisteredPurchase extends Purchase {
  productos_detalle: PurchaseDetail[];
  total: number;
}

export interface AttemptOptions {
  keyed: boolean;
  idempotencyKey?: string;
  progress?: AttemptProgress;
}

/** A purchase's writes (a stock write and the registration) need this much of the budget left. */
const writesNeedMs = (deps: RegisterPurchaseDeps) => 2 * deps.upstreamTimeoutMs;

/** Another purchase of the caller holds the prescription gate: let go of the stock locks and wait for it. */
class GateBusy extends Error {}

/**
 * One attempt at a purchase: every read and check under the products' stock locks, then the
 * stock writes, then the registration outside the locks (giving the stock back if it definitely
 * failed). Nothing is written unless every check passed and the budget covers both writes.
 */
export async function attemptPurchase(
  deps: RegisterPurchaseDeps,
  lines: PurchaseLine[],
  ctx: RequestContext,
  options: AttemptOptions,
): Promise<RegisteredPurchase> {
  // Every purchase needs both services: while either breaker is open, nothing is sent at all.
  const refused = deps.products.refusal() ?? deps.users.refusal();
  if (refused) throw refused;

  const gate = new PrescriptionGate(deps.stockLocks, ctx.principal.dni);
  const reads = startPurchaseReads(deps, lines, ctx, options.keyed, gate);
  try {
    let products: ReadonlyMap<number, Product>;
    try {
      products = await checkAndTakeStock(deps, lines, ctx, options, reads, gate);
    } catch (error) {
      if (!(error instanceof GateBusy)) throw error;
      // Wait holding no stock lock (see PrescriptionGate), then read the history anew: it now
      // holds whatever the other purchase registered.
      const leftBeforeWaitMs = ctx.deadline - Date.now();
      await gate.take(ctx.deadline);
      if (lockWaitSpentBudget(ctx.deadline, leftBeforeWaitMs, writesNeedMs(deps))) throw stockLockTimeout();
      reads.rereadHistory();
      products = await checkAndTakeStock(deps, lines, ctx, options, reads, gate);
    }
    return await register(deps, lines, products, ctx, options);
  } finally {
    await gate.close();
  }
}

/**
 * Takes the purchase's stock through the group commit (stock-batches.ts): the checks of this
 * purchase run under the lock against the products read there; the stock arithmetic and the write
 * are the batch's.
 */
function checkAndTakeStock(
  deps: RegisterPurchaseDeps,
  lines: PurchaseLine[],
  ctx: RequestContext,
  options: AttemptOptions,
  reads: PurchaseReads,
  gate: PrescriptionGate,
): Promise<ReadonlyMap<number, Product>> {
  let baseline: number[] | undefined;
  return deps.stockBatches.take({
    lines,
    ctx,
    budgetNeededMs: writesNeedMs(deps),
    async admit(current) {
      await assertCovered(deps, lines, current, reads, gate);
      // A keyed purchase keeps the caller's purchase ids, to recognise a late registration on a retry.
      const known = options.keyed ? await reads.history() : undefined;
      if (known && !known.ok) throw known.error;
      baseline = known?.ok ? known.value.map((purchase) => purchase.id) : undefined;
      // A stock write and the registration must both fit, or neither starts.
      assertWriteBudget(ctx, writesNeedMs(deps), 'purchase.write_budget');
    },
    async taken(current) {
      const { details, total } = purchaseDetails(lines, current);
      await options.progress?.stockTaken({ ...(baseline ? { baseline } : {}), details: { productos_detalle: details, total } });
    },
  });
}

/** Every product that needs a prescription is covered by what the caller's prescriptions still authorise. */
async function assertCovered(
  deps: RegisterPurchaseDeps,
  lines: readonly PurchaseLine[],
  products: ReadonlyMap<number, Product>,
  reads: PurchaseReads,
  gate: PrescriptionGate,
): Promise<void> {
  if (![...products.values()].some((product) => product.requiere_receta)) return;
  const settled = await reads.prescriptions;
  if (!settled.ok) throw settled.error;
  const usable = usablePrescriptions(settled.value, deps.now(), deps.prescriptionValidityDays);

  let history: Purchase[] | undefined;
  if (needsHistory(lines, products, usable)) {
    const tried = await reads.gateTried;
    if (!tried.ok) throw tried.error;
    if (!gate.held) throw new GateBusy();
    const read = await reads.history();
    if (!read.ok) throw read.error;
    history = read.value;
  }
  const uncovered = findUncoveredLines(lines, products, usable, history);
  if (uncovered.length > 0) {
    throw new GatewayError('PRESCRIPTION_REQUIRED', {
      details: {
        productos_sin_receta: uncovered.map(({ product }) => product.nombre),
        cobertura: uncovered.map(({ coverage }) => coverage),
      },
    });
  }
}

async function register(
  deps: RegisterPurchaseDeps,
  lines: PurchaseLine[],
  products: ReadonlyMap<number, Product>,
  ctx: RequestContext,
  options: AttemptOptions,
): Promise<RegisteredPurchase> {
  let purchase: Purchase;
  try {
    purchase = await deps.users.registerPurchase(
      {
        productos: lines.map((line) => line.producto_id),
        cantidades: lines.map((line) => line.cantidad),
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
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
          // A retry with the same key resolves the outcome: the key links the two lines.
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        },
        'purchase registration outcome unknown; stock kept decremented, reconcile manually',
      );
      throw RegistrationOutcomeUnknown.of(error);
    }
    await restoreStock(deps.products, deps.stockLocks, lines, ctx, deps.logger);
    throw error;
  }

  const { details, total } = purchaseDetails(lines, products);
  return { ...purchase, productos_detalle: details, total };
}

