import type { MiddlewareHandler } from 'hono';
import type { RegisterPurchaseInput, RegisteredPurchase } from '../../domain/purchases/register-purchase.js';
import type { Page, PurchaseListing } from '../../domain/purchases/list-purchases.js';
import type { RequestContext } from '../../domain/request-context.js';
import type { EnrichedPurchase } from '../../domain/purchases/enrich-purchases.js';
import { languageOf } from '../../http/language.js';
import { translate, type Language, type MessageKey } from '../../messages/messages.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { requireAdmin } from '../../http/middleware/authenticate.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { toPurchaseInput } from './purchase-input.js';
import { listAllPurchasesRoute, listMyPurchasesRoute, registerPurchaseRoute } from './purchases.routes.js';

export interface PurchaseUseCases {
  registerPurchase(
    input: RegisterPurchaseInput,
    ctx: RequestContext,
  ): Promise<{ purchase: RegisteredPurchase; replayed: boolean }>;
  listMyPurchases(ctx: RequestContext): Promise<PurchaseListing>;
  listAllPurchases(page: Page, ctx: RequestContext): Promise<PurchaseListing & Page & { total: number }>;
}

const completed = (complete: boolean) => ({ 'X-Gateway-Completed': String(complete) });

/** Lines whose product could not be read carry a text: worded here, in the caller's language. */
function localized(compras: EnrichedPurchase[], language: Language): EnrichedPurchase[] {
  return compras.map((compra) => ({
    ...compra,
    productos_detalle: compra.productos_detalle.map((line) =>
      'error' in line ? { ...line, error: translate(language, line.error) as MessageKey } : line,
    ),
  }));
}

export function purchaseRoutes(useCases: PurchaseUseCases, auth: MiddlewareHandler) {
  return createRouter()
    .openapi(withMiddleware(registerPurchaseRoute, auth, jsonGuard), async (c) => {
      const input = toPurchaseInput(c.req.valid('json'), c.req.valid('header')['idempotency-key']);
      const { purchase, replayed } = await useCases.registerPurchase(input, c.get('requestContext'));
      if (replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(purchase, 201);
    })
    .openapi(withMiddleware(listMyPurchasesRoute, auth), async (c) => {
      const listing = await useCases.listMyPurchases(c.get('requestContext'));
      return c.json({ compras: localized(listing.compras, languageOf(c)) }, 200, completed(listing.complete));
    })
    .openapi(withMiddleware(listAllPurchasesRoute, auth, requireAdmin), async (c) => {
      const { complete, compras, ...page } = await useCases.listAllPurchases(c.req.valid('query'), c.get('requestContext'));
      return c.json({ compras: localized(compras, languageOf(c)), ...page }, 200, completed(complete));
    });
}
