import type { PurchaseLine } from '../purchases/purchase-rules.js';

/**
 * How far a purchase attempt got:
 * - `in_flight`: claimed; stock writes may have started (the owner's lease says whether it lives);
 * - `stock_taken`: every stock write succeeded, the registration is next;
 * - `succeeded`: registered; replays answer `answer`;
 * - `unknown`: the registration timed out; the stock stays taken;
 * - `failed`: definitely failed, nothing kept; only waiters read it, a new attempt may claim it.
 */
export type PurchaseRecordState = 'in_flight' | 'stock_taken' | 'succeeded' | 'unknown' | 'failed';

/** An answer kept for replays: a registered purchase, or an error as data. */
export type StoredAnswer = { kind: 'purchase'; purchase: unknown } | { kind: 'error'; error: unknown };

export interface PurchaseRecord {
  state: PurchaseRecordState;
  /** The attempt that owns the record (a random id). */
  owner: string;
  /** The merged lines of the body, as a canonical string: the same body is the same fingerprint. */
  fingerprint: string;
  lines: PurchaseLine[];
  /** Epoch ms after which an `in_flight`/`stock_taken` owner is presumed dead (its deadline + 5 s). */
  leaseUntil: number;
  /** The caller's purchase ids before the attempt (keyed purchases), to recognise a late registration. */
  baseline?: number[];
  /** What the answer's product details were, to answer a registration made later. */
  details?: unknown;
  /** Epoch ms when the registration was given up (`unknown`). */
  abortedAt?: number;
  answer?: StoredAnswer;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: PurchaseRecord };

/**
 * Idempotency records of purchases, shared by every process with `REDIS_URL` (in the process
 * without it). Every write is atomic and checks the owner, so two processes never both run one
 * attempt. A store that cannot be reached fails fast with 503 `redis`.
 */
export interface IdempotencyStore {
  /** Writes `record` unless a live record is there (a `failed` one counts as absent). */
  claim(key: string, record: PurchaseRecord, ttlMs: number): Promise<ClaimResult>;
  /** Replaces the record, only while `owner` still owns it; `false` otherwise. */
  replace(key: string, owner: string, record: PurchaseRecord, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<PurchaseRecord | null>;
}
