import { UpstreamError } from '../../errors/upstream-error.js';
import type { ProductsClient } from '../../upstreams/productos/productos-client.js';
import type { Purchase, UsersClient } from '../../upstreams/usuarios/usuarios-client.js';
import type { RequestContext } from '../request-context.js';
import { enrichPurchases, newestFirst, productIdsOf, type EnrichedPurchase, type ProductLookup } from './enrich-purchases.js';

export interface ListPurchasesDeps {
  users: UsersClient;
  products: ProductsClient;
}

export interface PurchaseListing {
  compras: EnrichedPurchase[];
  /** False when some product could not be read; the purchases are still all there. */
  complete: boolean;
}

/** The caller's purchases, each product read once however many purchases mention it. */
export async function listMyPurchases(deps: ListPurchasesDeps, ctx: RequestContext): Promise<PurchaseListing> {
  return enrich(deps, await deps.users.listMyPurchases(ctx), ctx);
}

export interface Page {
  page: number;
  pagesize: number;
}

/** Every purchase (admin), newest first, one page; only that page's products are read. */
export async function listAllPurchases(
  deps: ListPurchasesDeps,
  { page, pagesize }: Page,
  ctx: RequestContext,
): Promise<PurchaseListing & Page & { total: number }> {
  const all = newestFirst(await deps.users.listAllPurchases(ctx));
  const slice = all.slice((page - 1) * pagesize, page * pagesize);
  return { ...(await enrich(deps, slice, ctx)), page, pagesize, total: all.length };
}

async function enrich(deps: ListPurchasesDeps, purchases: Purchase[], ctx: RequestContext): Promise<PurchaseListing> {
  const ids = productIdsOf(purchases);
  const lookups = await Promise.all(ids.map((id) => lookupProduct(deps.products, id, ctx)));
  const products = new Map(ids.map((id, index) => [id, lookups[index] as ProductLookup]));
  return { compras: enrichPurchases(purchases, products), complete: !lookups.includes('unavailable') };
}

/** Enrichment is optional: a failing products service degrades the answer instead of failing it. */
async function lookupProduct(products: ProductsClient, id: number, ctx: RequestContext): Promise<ProductLookup> {
  try {
    return (await products.getProduct(id, ctx)) ?? 'not-found';
  } catch (error) {
    if (error instanceof UpstreamError) return 'unavailable';
    throw error;
  }
}
