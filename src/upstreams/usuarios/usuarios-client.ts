import type { UpstreamError } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import { StoredPurchaseListSchema, PurchaseSchema, UserListSchema, type Purchase, type User } from './usuarios-payloads.js';

export type { Purchase, User } from './usuarios-payloads.js';

export interface PurchaseRegistration {
  productos: number[];
  cantidades: number[];
  idempotencyKey?: string;
}

/** The users/purchases service. Every call forwards the caller's token, which it checks. */
export interface UsersClient {
  /** A write: never retried; a timeout leaves its outcome unknown. */
  registerPurchase(input: PurchaseRegistration, ctx: CallContext): Promise<Purchase>;
  listMyPurchases(ctx: CallContext): Promise<Purchase[]>;
  listAllPurchases(ctx: CallContext): Promise<Purchase[]>;
  listUsers(ctx: CallContext): Promise<User[]>;
  /** While the service's breaker is open: the 503 any call would get, without sending it; else `null`. */
  refusal(): UpstreamError | null;
}

export function createUsersClient(upstream: Upstream): UsersClient {
  return {
    refusal: () => upstream.refusal(),
    registerPurchase({ productos, cantidades, idempotencyKey }, ctx) {
      return upstream.call(
        {
          operation: 'registerPurchase',
          method: 'POST',
          path: 'api/compras',
          // Exactly the three fields the service binds; it takes the user from the token.
          json: { usuarioId: null, productos, cantidades },
          schema: PurchaseSchema,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
        ctx,
      );
    },
    listMyPurchases: (ctx) =>
      upstream.call({ operation: 'listMyPurchases', method: 'GET', path: 'api/compras/me', schema: StoredPurchaseListSchema }, ctx),
    listAllPurchases: (ctx) =>
      upstream.call({ operation: 'listAllPurchases', method: 'GET', path: 'api/compras/all', schema: StoredPurchaseListSchema }, ctx),
    listUsers: (ctx) =>
      upstream.call({ operation: 'listUsers', method: 'GET', path: 'api/user/all', schema: UserListSchema }, ctx),
  };
}
