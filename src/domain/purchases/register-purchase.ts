import { GatewayError } from '../../errors/gateway-error.js';
import { UpstreamError } from '../../errors/upstream-error.js';
import type { ProductsClient, Product } from '../../upstreams/productos/productos-client.js';
import type { PrescriptionsClient, Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { UsersClient, Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import { errorFrom, type ErrorSnapshot } from '../../errors/error-snapshot.js';
import type { CallerLimits, WriteTicket } from '../ports/caller-limits.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { StockLocks } from '../ports/stock-locks.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import { RegistrationOutcomeUnknown } from './outcome-unknown.js';
import { purchaseFingerprint, recordKey } from './purchase-fingerprint.js';
import { runRecorded, type AttemptProgress, type RecordSlot } from './purchase-records.js';
import {
  findStockShortage,
  findUncoveredProducts,
  mergeLines,
  purchaseDetails,
  type PurchaseDetail,
  type PurchaseLine,
} from './purchase-rules.js';
import { resolveUnknownOutcome } from './resolve-unknown-outcome.js';
import { assertWriteBudget } from '../shared/write-budget.js';
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
  idempotency: IdempotencyStore;
  limits: CallerLimits;
  prescriptionValidityDays: number;
  upstreamTimeoutMs: number;
  /** An unkeyed purchase identical to one the caller sent this recently gets the first answer (0: off). */
  doubleSubmitWindowMs: number;
  now: () => Date;
  logger: DomainLogger;
}

export interface RegisterPurchaseInput {
  lines: PurchaseLine[];
  idempotencyKey?: string;
}

/** A keyed success is replayed this long; an unknown outcome is remembered 24 h. */
const KEYED_SUCCEEDED_TTL_MS = 10 * 60_000;
const KEYED_UNKNOWN_TTL_MS = 24 * 3_600_000;

/**
 * Validates a purchase completely (products exist, stock covers it, prescriptions cover what
 * needs one) before writing anything; then decrements stock and registers the purchase,
 * giving the stock back if registration definitely failed. Keyed purchases and identical unkeyed
 * ones sent twice run under an idempotency record (purchase-records.ts).
 */
export async function registerPurchase(
  deps: RegisterPurchaseDeps,
  input: RegisterPurchaseInput,
  ctx: RequestContext,
): Promise<{ purchase: RegisteredPurchase; replayed: boolean }> {
  const lines = mergeLines(input.lines);
  const fingerprint = purchaseFingerprint(lines);
  const slot = recordSlot(deps, input, fingerprint, ctx);
  const caller = ctx.principal.dni;

  // Limits come after validation; a replay is answered even over a limit and never counts.
  const overLimit = async (error: unknown) => {
    const replay = slot && isRateLimited(error) ? await replayOf(deps.idempotency, slot, fingerprint) : null;
    if (replay) return replay;
    throw error;
  };
  let ticket: WriteTicket;
  try {
    ticket = await deps.limits.countWrite(caller);
  } catch (error) {
    return overLimit(error);
  }
  let leave: () => Promise<void>;
  try {
    leave = await deps.limits.enterPurchase(caller);
  } catch (error) {
    await ticket.refund();
    return overLimit(error);
  }
  try {
    const outcome = slot
      ? await runUnderRecord(deps, slot, fingerprint, lines, input, ctx)
      : { purchase: await attemptPurchase(deps, lines, ctx, { keyed: false }), replayed: false };
    if (outcome.replayed) await ticket.refund();
    return outcome;
  } catch (error) {
    if ((error as { headers?: Record<string, string> }).headers?.['Idempotent-Replayed'] === 'true') await ticket.refund();
    throw error;
  } finally {
    await leave();
  }
}

function runUnderRecord(
  deps: RegisterPurchaseDeps,
  slot: RecordSlot,
  fingerprint: string,
  lines: PurchaseLine[],
  input: RegisterPurchaseInput,
  ctx: RequestContext,
): Promise<{ purchase: RegisteredPurchase; replayed: boolean }> {
  return runRecorded(
    deps,
    slot,
    fingerprint,
    lines,
    ctx,
    (progress) => attemptPurchase(deps, lines, ctx, { keyed: slot.keyed, progress, ...keyOf(input) }),
    async (existing, takeOver, replaceMine) =>
      (await resolveUnknownOutcome(deps, slot, existing, takeOver, replaceMine, ctx)) as {
        purchase: RegisteredPurchase;
        replayed: boolean;
      } | null,
  );
}

const isRateLimited = (error: unknown) => error instanceof GatewayError && error.code === 'RATE_LIMITED';

/** The answer a duplicate would replay right now, if its record holds one. */
async function replayOf(
  store: IdempotencyStore,
  slot: RecordSlot,
  fingerprint: string,
): Promise<{ purchase: RegisteredPurchase; replayed: true } | null> {
  const record = await store.get(slot.key);
  if (!record || record.fingerprint !== fingerprint) return null;
  if (record.state === 'succeeded' && record.answer?.kind === 'purchase') {
    return { purchase: record.answer.purchase as RegisteredPurchase, replayed: true };
  }
  if (record.state === 'unknown' && !slot.keyed && record.answer?.kind === 'error') {
    throw errorFrom(record.answer.error as ErrorSnapshot, { 'Idempotent-Replayed': 'true' });
  }
  return null;
}

const keyOf = (input: RegisterPurchaseInput) => (input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {});

/** The record of a keyed purchase, or the double-submit guard of an unkeyed one (none when off). */
function recordSlot(
  deps: RegisterPurchaseDeps,
  input: RegisterPurchaseInput,
  fingerprint: string,
  ctx: RequestContext,
): RecordSlot | null {
  const caller = ctx.principal.dni;
  if (input.idempotencyKey) {
    return {
      key: `purchase:key:${recordKey(caller, input.idempotencyKey)}`,
      keyed: true,
      idempotencyKey: input.idempotencyKey,
      succeededTtlMs: KEYED_SUCCEEDED_TTL_MS,
      unknownTtlMs: KEYED_UNKNOWN_TTL_MS,
    };
  }
  if (deps.doubleSubmitWindowMs <= 0) return null;
  return {
    key: `purchase:same:${recordKey(caller, fingerprint)}`,
    keyed: false,
    succeededTtlMs: deps.doubleSubmitWindowMs,
    unknownTtlMs: deps.doubleSubmitWindowMs,
  };
}

interface AttemptOptions {
  keyed: boolean;
  idempotencyKey?: string;
  progress?: AttemptProgress;
}

async function attemptPurchase(
  deps: RegisterPurchaseDeps,
  lines: PurchaseLine[],
  ctx: RequestContext,
  options: AttemptOptions,
): Promise<RegisteredPurchase> {
  // Started at once, awaited only if a product needs a prescription: its failure matters only then.
  const prescriptions = settle(deps.prescriptions.listPatientPrescriptions(ctx.principal.dni, 'validada', ctx));
  // A keyed purchase keeps the caller's purchase ids, to recognise a late registration on a retry.
  const baseline = options.keyed ? settle(deps.users.listMyPurchases(ctx)) : undefined;

  const products = await deps.stockLocks.withLocks(stockLockKeys(lines), ctx.deadline, async () => {
    const current = await readProducts(deps.products, lines, ctx);
    await assertPurchasable(deps, lines, current, prescriptions);
    const known = baseline ? await baseline : undefined;
    if (known && !known.ok) throw known.error;
    // A stock write and the registration must both fit, or neither starts.
    assertWriteBudget(ctx, 2 * deps.upstreamTimeoutMs, 'purchase.write_budget');
    await decrementStock(deps.products, lines, current, ctx, deps.logger);
    const { details, total } = purchaseDetails(lines, current);
    await options.progress?.stockTaken({
      ...(known?.ok ? { baseline: known.value.map((purchase) => purchase.id) } : {}),
      details: { productos_detalle: details, total },
    });
    return current;
  });

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
