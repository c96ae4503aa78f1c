import { GatewayError } from '../../errors/gateway-error.js';
import type { ProductsClient } from '../../upstreams/productos/productos-client.js';
import type { PrescriptionsClient } from '../../upstreams/recetas/recetas-client.js';
import type { UsersClient } from '../../upstreams/usuarios/usuarios-client.js';
import { errorFrom, type ErrorSnapshot } from '../../errors/error-snapshot.js';
import type { CallerLimits, WriteTicket } from '../ports/caller-limits.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { StockLocks } from '../ports/stock-locks.js';
import type { StockBatches } from './stock-batches.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import { attemptPurchase, type RegisteredPurchase } from './attempt-purchase.js';
import { purchaseFingerprint, recordKey } from './purchase-fingerprint.js';
import { runRecorded, type RecordSlot } from './purchase-records.js';
import { mergeLines, type PurchaseLine } from './purchase-rules.js';
import { resolveUnknownOutcome } from './resolve-unknown-outcome.js';

export type { RegisteredPurchase } from './attempt-purchase.js';

export interface RegisterPurchaseDeps {
  products: ProductsClient;
  users: UsersClient;
  prescriptions: PrescriptionsClient;
  stockLocks: StockLocks;
  /** Group commit of stock writes (one batch per lock hold). */
  stockBatches: StockBatches;
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
