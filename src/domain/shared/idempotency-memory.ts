interface Entry<T> {
  promise: Promise<T>;
  /** Epoch ms; Infinity while in flight. */
  expiresAt: number;
}

/**
 * Remembers the outcome of a keyed operation: a repeat while the first is in flight, or within
 * `ttlMs` after it succeeded, gets the first result instead of running again. Failures are
 * forgotten at once so the client can retry. Bounded: the oldest entries go first.
 */
export class IdempotencyMemory<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves to the result and whether it was replayed from memory. */
  async run(key: string, work: () => Promise<T>): Promise<{ value: T; replayed: boolean }> {
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > this.now()) return { value: await existing.promise, replayed: true };

    const entry: Entry<T> = { promise: work(), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evictOverflow();
    try {
      const value = await entry.promise;
      entry.expiresAt = this.now() + this.ttlMs;
      return { value, replayed: false };
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  private evictOverflow(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (entry.expiresAt !== Number.POSITIVE_INFINITY) this.entries.delete(key);
    }
  }
}
