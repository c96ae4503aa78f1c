import type { ClaimResult, IdempotencyStore, PurchaseRecord } from '../../domain/ports/idempotency-store.js';

interface Entry {
  record: PurchaseRecord;
  expiresAt: number;
}

/**
 * The embedded store's idempotency records: in the process, until they expire or the process
 * exits. Bounded: past `maxEntries` the oldest entries go first.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, record: PurchaseRecord, ttlMs: number): Promise<ClaimResult> {
    const existing = this.live(key);
    if (existing && existing.state !== 'failed') return { claimed: false, existing: structuredClone(existing) };
    this.write(key, record, ttlMs);
    return { claimed: true };
  }

  async replace(key: string, owner: string, record: PurchaseRecord, ttlMs: number): Promise<boolean> {
    if (this.live(key)?.owner !== owner) return false;
    this.write(key, record, ttlMs);
    return true;
  }

  async get(key: string): Promise<PurchaseRecord | null> {
    const record = this.live(key);
    return record ? structuredClone(record) : null;
  }

  private live(key: string): PurchaseRecord | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.record;
  }

  private write(key: string, record: PurchaseRecord, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { record: structuredClone(record), expiresAt: this.now() + ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
