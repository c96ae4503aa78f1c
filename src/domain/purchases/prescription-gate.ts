import type { StockLocks } from '../ports/stock-locks.js';

/**
 * The per-caller serialisation of purchases that spend prescriptions: two purchases of one caller
 * must not both count the same prescription as unspent. It is a lock of the shared store (so it
 * holds across processes with `REDIS_URL`), held from before the purchase history is read until
 * the registration is answered.
 *
 * Deadlock-free by one rule: a purchase holding stock locks only ever *tries* the gate (never
 * waits for it); a purchase that must wait for the gate lets go of its stock locks first, and takes
 * them again once it holds the gate. So gate holders may wait for stock locks, never the reverse.
 */
export class PrescriptionGate {
  private release: (() => void) | undefined;
  private done: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly locks: StockLocks,
    private readonly caller: string,
  ) {}

  get held(): boolean {
    return this.release !== undefined;
  }

  /** Takes the gate if it is free right now; `false` when another purchase of the caller holds it. */
  tryTake(): Promise<boolean> {
    return this.acquire(Date.now(), true);
  }

  /** Waits for the gate until `deadline` (then 504 `stock_lock`, as for any lock wait). */
  async take(deadline: number): Promise<void> {
    await this.acquire(deadline, false);
  }

  private async acquire(deadline: number, tryOnly: boolean): Promise<boolean> {
    if (this.held) return true;
    let acquired!: () => void;
    const holding = new Promise<void>((resolve) => (acquired = resolve));
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    // The lock port is scoped (`withLocks`): the scope stays open until `leave()` resolves it.
    const scope = this.locks.withLocks([gateKey(this.caller)], deadline, () => {
      acquired();
      return released;
    });
    try {
      await Promise.race([holding, scope]);
    } catch (error) {
      if (tryOnly && isLockTimeout(error)) return false;
      throw error;
    }
    this.release = letGo;
    this.done = scope.catch(() => undefined);
    // Taken by a try still under way when the purchase ended: let go at once, never hold it on.
    if (this.closed) {
      await this.leave();
      return false;
    }
    return true;
  }

  /** Lets the gate go for good: a take still under way lets go as soon as it gets it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.leave();
  }

  /** Lets the gate go (idempotent); resolves once the store was told. */
  async leave(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
    await this.done;
  }
}

/** Beside the stock locks' keys (product ids), in the same store and order. */
const gateKey = (caller: string) => `rx:${caller}`;

const isLockTimeout = (error: unknown) =>
  (error as { details?: { stage?: string } } | undefined)?.details?.stage === 'stock_lock';
