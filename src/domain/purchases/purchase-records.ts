import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../../errors/gateway-error.js';
import { errorFrom, snapshotOf, type ErrorSnapshot } from '../../errors/error-snapshot.js';
import type { IdempotencyStore, PurchaseRecord } from '../ports/idempotency-store.js';
import type { RequestContext } from '../request-context.js';
import type { DomainLogger } from '../shared/logger.js';
import { RegistrationOutcomeUnknown } from './outcome-unknown.js';
import type { PurchaseLine } from './purchase-rules.js';

/** Where a purchase's record lives and how long each outcome is remembered. */
export interface RecordSlot {
  key: string;
  /** Keyed (Idempotency-Key) or a double-submit guard (unkeyed, same body). */
  keyed: boolean;
  /** The client's key, for the reconciliation logs. */
  idempotencyKey?: string;
  succeededTtlMs: number;
  unknownTtlMs: number;
}

export interface RecordsDeps {
  idempotency: IdempotencyStore;
  logger: DomainLogger;
}

/** What a purchase attempt tells its record on the way. */
export interface AttemptProgress {
  /** Every stock write succeeded; the registration is next. */
  stockTaken(progress: { baseline?: number[]; details: unknown }): Promise<void>;
}

export interface Outcome<T> {
  purchase: T;
  replayed: boolean;
}

/** Resolves a keyed attempt whose registration outcome is unknown (see resolve-unknown-outcome.ts). */
export type ResolveUnknown<T> = (
  existing: PurchaseRecord,
  takeOver: (record: PurchaseRecord, ttlMs: number) => Promise<boolean>,
  replaceMine: (owner: string, record: PurchaseRecord, ttlMs: number) => Promise<boolean>,
) => Promise<Outcome<T> | null>;

/** A lease outlives its request's deadline by this much: past it the owner is presumed dead. */
export const LEASE_MARGIN_MS = 5000;
/** Waiters of an attempt that failed definitely read its answer this long; a new attempt may claim it at once. */
const FAILED_TTL_MS = 30_000;
const WAIT_FIRST_MS = 10;
const WAIT_MAX_MS = 50;
const REPLAYED = { 'Idempotent-Replayed': 'true' };

/**
 * Runs a purchase under its idempotency record, shared by every process with `REDIS_URL`: the
 * first attempt claims the record before any upstream write; a duplicate waits for it and gets its
 * answer; a succeeded record is replayed; a keyed record with another body is refused; an attempt
 * whose owner died is taken over (or resolved, when it had taken the stock).
 */
export async function runRecorded<T>(
  deps: RecordsDeps,
  slot: RecordSlot,
  fingerprint: string,
  lines: PurchaseLine[],
  ctx: RequestContext,
  attempt: (progress: AttemptProgress) => Promise<T>,
  resolveUnknown: ResolveUnknown<T>,
): Promise<Outcome<T>> {
  const owner = randomUUID();
  const mine: PurchaseRecord = { state: 'in_flight', owner, fingerprint, lines, leaseUntil: ctx.deadline + LEASE_MARGIN_MS };
  const leaseTtl = () => Math.max(1, mine.leaseUntil - Date.now());
  const replaceMine = (recordOwner: string, record: PurchaseRecord, ttlMs: number) =>
    deps.idempotency.replace(slot.key, recordOwner, record, ttlMs);

  for (;;) {
    const claim = await deps.idempotency.claim(slot.key, mine, leaseTtl());
    if (claim.claimed || claim.existing.owner === owner) return runOwned(deps, slot, mine, ctx, attempt);
    let existing = claim.existing;
    if (slot.keyed && existing.fingerprint !== fingerprint) throw new GatewayError('IDEMPOTENCY_KEY_REUSED');

    if ((existing.state === 'in_flight' || existing.state === 'stock_taken') && existing.leaseUntil > Date.now()) {
      const settled = await waitForOutcome(deps.idempotency, slot.key, existing.owner, ctx.deadline);
      if (!settled) continue;
      existing = settled;
    }

    switch (existing.state) {
      case 'succeeded':
        return { purchase: (existing.answer as { purchase: T }).purchase, replayed: true };
      case 'failed':
        // Only a waiter sees this: the attempt it waited for failed, and that is its answer too.
        throw errorFrom((existing.answer as { error: ErrorSnapshot }).error, REPLAYED);
      case 'unknown':
      case 'stock_taken': {
        // `stock_taken` here: its owner died after taking the stock, before or while registering.
        if (!slot.keyed) {
          if (existing.state === 'unknown') throw errorFrom((existing.answer as { error: ErrorSnapshot }).error, REPLAYED);
          throw new RegistrationOutcomeUnknown(existing.leaseUntil - LEASE_MARGIN_MS, undefined);
        }
        const previousOwner = existing.owner;
        const resolved = await resolveUnknown(
          existing,
          (record, ttlMs) => deps.idempotency.replace(slot.key, previousOwner, record, ttlMs),
          replaceMine,
        );
        if (resolved) return resolved;
        continue;
      }
      case 'in_flight':
        // Its owner died before every stock write had succeeded: some may have landed, so the purchase
        // runs afresh (a landed write of the dead attempt leaves the stock too low: the safe side).
        if (await deps.idempotency.replace(slot.key, existing.owner, mine, leaseTtl())) {
          deps.logger.error(
            { requestId: ctx.requestId, callerDni: ctx.principal.dni, idempotencyKey: slot.idempotencyKey, lines: existing.lines },
            'purchase attempt of a dead process taken over before its stock writes were confirmed; reconcile the stock of these lines',
          );
          return runOwned(deps, slot, mine, ctx, attempt);
        }
    }
  }
}

async function runOwned<T>(
  deps: RecordsDeps,
  slot: RecordSlot,
  mine: PurchaseRecord,
  ctx: RequestContext,
  attempt: (progress: AttemptProgress) => Promise<T>,
): Promise<Outcome<T>> {
  let current = mine;
  const update = (record: PurchaseRecord, ttlMs: number) => writeOrLog(deps, slot, ctx, current.owner, record, ttlMs);
  try {
    const purchase = await attempt({
      stockTaken: async ({ baseline, details }) => {
        current = { ...current, state: 'stock_taken', details, ...(baseline ? { baseline } : {}) };
        await update(current, Math.max(1, current.leaseUntil - Date.now()));
      },
    });
    await update({ ...current, state: 'succeeded', answer: { kind: 'purchase', purchase } }, slot.succeededTtlMs);
    return { purchase, replayed: false };
  } catch (error) {
    if (error instanceof RegistrationOutcomeUnknown) {
      await update(
        { ...current, state: 'unknown', abortedAt: error.abortedAt, answer: { kind: 'error', error: snapshotOf(error) } },
        slot.unknownTtlMs,
      );
    } else {
      await update({ ...current, state: 'failed', answer: { kind: 'error', error: snapshotOf(error) } }, FAILED_TTL_MS);
    }
    throw error;
  }
}

/**
 * Once a purchase has started writing upstream, a store failure never changes its answer: the
 * record update is logged for an operator instead (its lease expires by itself).
 */
async function writeOrLog(
  deps: RecordsDeps,
  slot: RecordSlot,
  ctx: RequestContext,
  owner: string,
  record: PurchaseRecord,
  ttlMs: number,
): Promise<void> {
  try {
    await deps.idempotency.replace(slot.key, owner, record, ttlMs);
  } catch (error) {
    deps.logger.error(
      {
        requestId: ctx.requestId,
        callerDni: ctx.principal.dni,
        idempotencyKey: slot.idempotencyKey,
        lines: record.lines,
        state: record.state,
        err: error instanceof Error ? error.message : String(error),
      },
      'purchase idempotency record not updated; a retry may not see this outcome',
    );
  }
}

/**
 * Polls the record until the attempt of `owner` has an outcome (jittered backoff, 10 ms doubling
 * to 50 ms). `null`: the record is gone or belongs to another attempt now (claim again). Past the
 * waiter's own deadline: 504.
 */
async function waitForOutcome(
  store: IdempotencyStore,
  key: string,
  owner: string,
  deadline: number,
): Promise<PurchaseRecord | null> {
  let backoff = WAIT_FIRST_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new GatewayError('UPSTREAM_TIMEOUT', { text: 'purchase.in_flight_wait', details: { stage: 'in_flight' } });
    await sleep(Math.min(left, backoff * (0.5 + Math.random())));
    backoff = Math.min(WAIT_MAX_MS, backoff * 2);
    const record = await store.get(key);
    if (!record || record.owner !== owner) return null;
    if (record.state !== 'in_flight' && record.state !== 'stock_taken') return record;
    if (record.leaseUntil <= Date.now()) return record;
  }
}
