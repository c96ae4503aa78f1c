import type { Principal } from '../domain/request-context.js';

interface Entry {
  principal: Principal;
  /** Epoch ms after which the token is expired (its `exp` plus the clock tolerance). */
  expiresAt: number;
}

/**
 * Remembers tokens that passed verification, keyed by the whole compact token (signature
 * included), so a client's repeat requests skip the signature check: a WebCrypto job per request
 * otherwise. A hit is re-checked against `exp`; only verified tokens ever enter; the oldest entries
 * go first when full. (Envoy's jwt_authn offers the same as `jwt_cache_config`.)
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAt: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal, expiresAt });
  }
}
