import { randomUUID } from 'node:crypto';
import { NO_TICKET, rateLimited, type CallerLimits, type WriteTicket } from '../../domain/ports/caller-limits.js';

const MINUTE_MS = 60_000;

export interface LimitSettings {
  writesPerMinute: number;
  loginsPerMinute: number;
  purchasesInFlight: number;
  /** An in-flight slot frees itself after this, should its purchase never report back. */
  slotTtlMs: number;
}

/** The embedded store's per-caller limits: a sliding log of write times and a set of slots per caller. */
export class MemoryCallerLimits implements CallerLimits {
  private readonly writes = new Map<string, Array<{ at: number; id: string }>>();
  private readonly logins = new Map<string, Array<{ at: number; id: string }>>();
  private readonly slots = new Map<string, Map<string, number>>();

  constructor(
    private readonly settings: LimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async countWrite(caller: string): Promise<WriteTicket> {
    return this.count(this.writes, caller, this.settings.writesPerMinute, 'per_minute');
  }

  async countLogin(address: string): Promise<void> {
    await this.count(this.logins, address, this.settings.loginsPerMinute, 'per_address');
  }

  /** One entry in a sliding minute of `who`'s log; over `limit`, 429 until its oldest entry leaves. */
  private count(
    logs: Map<string, Array<{ at: number; id: string }>>,
    who: string,
    limit: number,
    name: 'per_minute' | 'per_address',
  ): WriteTicket {
    if (limit <= 0) return NO_TICKET;
    const now = this.now();
    const log = (logs.get(who) ?? []).filter((entry) => entry.at > now - MINUTE_MS);
    if (log.length >= limit) {
      logs.set(who, log);
      throw rateLimited(name, ((log[0]?.at ?? now) + MINUTE_MS - now) / 1000);
    }
    const id = randomUUID();
    log.push({ at: now, id });
    logs.set(who, log);
    return {
      refund: async () => {
        const current = logs.get(who);
        if (current) logs.set(who, current.filter((entry) => entry.id !== id));
      },
    };
  }

  async enterPurchase(caller: string): Promise<() => Promise<void>> {
    if (this.settings.purchasesInFlight <= 0) return async () => {};
    const now = this.now();
    const slots = this.slots.get(caller) ?? new Map<string, number>();
    for (const [id, expiresAt] of slots) if (expiresAt <= now) slots.delete(id);
    if (slots.size >= this.settings.purchasesInFlight) throw rateLimited('in_flight', 1);
    const id = randomUUID();
    slots.set(id, now + this.settings.slotTtlMs);
    this.slots.set(caller, slots);
    return async () => {
      slots.delete(id);
      if (slots.size === 0 && this.slots.get(caller) === slots) this.slots.delete(caller);
    };
  }
}
