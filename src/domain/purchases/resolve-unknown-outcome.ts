import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { UpstreamError } from '../../errors/upstream-error.js';
import { snapshotOf } from '../../errors/error-snapshot.js';
import type { PurchaseRecord } from '../ports/idempotency-store.js';
import type { StockLocks } from '../ports/stock-locks.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import type { ProductsClient } from '../../upstreams/productos/productos-client.js';
import type { UsersClient, Purchase } from '../../upstreams/usuarios/usuarios-client.js';
import { RegistrationOutcomeUnknown } from './outcome-unknown.js';
import { writeBudgetTooShort } from '../shared/write-budget.js';
import { purchaseMatches } from './purchase-fingerprint.js';
import { LEASE_MARGIN_MS, type Outcome, type RecordSlot } from './purchase-records.js';
import { restoreStock } from './stock-ledger.js';

export interface ResolveDeps {
  users: UsersClient;
  products: ProductsClient;
  stockLocks: StockLocks;
  logger: DomainLogger;
  upstreamTimeoutMs: number;
}

/** Product details kept with the record, to answer a registration made later. */
export interface KeptDetails {
  productos_detalle: unknown[];
  total: number;
}

/**
 * A retry of a keyed purchase whose registration timed out. It first waits until
 * UPSTREAM_TIMEOUT_MS has passed since that call was given up, so a registration stuck in the
 * service has as long again to land. Then it reads the caller's purchases: a new one with the same
 * lines is the first registration, replayed with no write; otherwise it registers now, reusing the
 * stock the first attempt took (no stock write). Stock is never taken twice.
 */
export async function resolveUnknownOutcome(
  deps: ResolveDeps,
  slot: RecordSlot,
  existing: PurchaseRecord,
  takeOver: (record: PurchaseRecord, ttlMs: number) => Promise<boolean>,
  replaceMine: (owner: string, record: PurchaseRecord, ttlMs: number) => Promise<boolean>,
  ctx: RequestContext,
): Promise<Outcome<Purchase & KeptDetails> | null> {
  const abortedAt = existing.abortedAt ?? existing.leaseUntil - LEASE_MARGIN_MS;
  const waitMs = Math.max(0, abortedAt + deps.upstreamTimeoutMs - Date.now());
  const left = ctx.deadline - Date.now();
  if (left < waitMs + deps.upstreamTimeoutMs) throw writeBudgetTooShort(waitMs + 1000, 'purchase.write_budget');

  // Become the record's owner for the resolution, so two retries never both register.
  const owner = randomUUID();
  const resolving: PurchaseRecord = { ...existing, state: 'stock_taken', owner, leaseUntil: ctx.deadline + LEASE_MARGIN_MS };
  if (!(await takeOver(resolving, resolving.leaseUntil - Date.now()))) return null;
  const giveBack = () => replaceMine(owner, { ...existing, owner }, slot.unknownTtlMs).catch(() => false);

  await sleep(waitMs);
  const details = existing.details as KeptDetails;
  let purchases: Purchase[];
  try {
    purchases = await deps.users.listMyPurchases(ctx);
  } catch (error) {
    await giveBack();
    throw error;
  }
  const known = new Set(existing.baseline ?? []);
  const landed = purchases.find((purchase) => !known.has(purchase.id) && purchaseMatches(purchase, existing.fingerprint));
  if (landed) {
    const purchase = { ...landed, ...details };
    await replaceMine(owner, { ...resolving, state: 'succeeded', answer: { kind: 'purchase', purchase } }, slot.succeededTtlMs);
    deps.logger.warn(
      { requestId: ctx.requestId, callerDni: ctx.principal.dni, idempotencyKey: slot.idempotencyKey, purchaseId: landed.id },
      'unknown purchase outcome resolved: the first registration had landed; replayed',
    );
    return { purchase, replayed: true };
  }

  const lines = existing.lines;
  try {
    const registered = await deps.users.registerPurchase(
      {
        productos: lines.map((line) => line.producto_id),
        cantidades: lines.map((line) => line.cantidad),
        ...(slot.idempotencyKey ? { idempotencyKey: slot.idempotencyKey } : {}),
      },
      ctx,
    );
    const purchase = { ...registered, ...details };
    await replaceMine(owner, { ...resolving, state: 'succeeded', answer: { kind: 'purchase', purchase } }, slot.succeededTtlMs);
    deps.logger.warn(
      { requestId: ctx.requestId, callerDni: ctx.principal.dni, idempotencyKey: slot.idempotencyKey, purchaseId: registered.id, lines },
      'unknown purchase outcome resolved: registered now with the stock the first attempt took; reconcile if the first registration lands later',
    );
    return { purchase, replayed: false };
  } catch (error) {
    if (error instanceof UpstreamError && error.mayHaveApplied) {
      const unknown = RegistrationOutcomeUnknown.of(error);
      await replaceMine(
        owner,
        { ...resolving, state: 'unknown', abortedAt: unknown.abortedAt, answer: { kind: 'error', error: snapshotOf(unknown) } },
        slot.unknownTtlMs,
      ).catch(() => false);
      deps.logger.error(
        { requestId: ctx.requestId, callerDni: ctx.principal.dni, idempotencyKey: slot.idempotencyKey, lines, reason: error.kind },
        'purchase registration outcome unknown again; stock kept decremented, reconcile manually',
      );
      throw unknown;
    }
    // Definitely not registered: the stock the first attempt took goes back, and the key is free.
    await restoreStock(deps.products, deps.stockLocks, lines, ctx, deps.logger);
    await replaceMine(owner, { ...resolving, state: 'failed', answer: { kind: 'error', error: snapshotOf(error) } }, 30_000).catch(
      () => false,
    );
    throw error;
  }
}
