import { nullOn404 } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import {
  OfferListSchema,
  ProductDocumentSchema,
  ProductPageSchema,
  type OfferList,
  type ProductDocument,
  type ProductPage,
} from './productos-payloads.js';

export type { OfferList, ProductDocument, ProductPage } from './productos-payloads.js';

/** The catalogue listings of the products service, each at `/api/productos/<listing>`. */
export type CatalogueListing = 'paged' | 'nombre' | 'tipo' | 'receta' | 'stock-bajo';

/**
 * The products service as the frontends read it (no auth: the service checks none). Answers are
 * checked with schemas that keep unknown fields and passed on as received.
 */
export interface CatalogueClient {
  /** `query` holds only the parameters the caller sent (the service's defaults apply to the rest). */
  listProducts(listing: CatalogueListing, query: Record<string, string | number | boolean>, ctx: CallContext): Promise<ProductPage>;
  /** `null` when the product does not exist (404). */
  getProductDocument(id: number, ctx: CallContext): Promise<ProductDocument | null>;
  listOffers(ctx: CallContext): Promise<OfferList>;
}

export function createCatalogueClient(upstream: Upstream): CatalogueClient {
  return {
    listProducts: (listing, query, ctx) =>
      upstream.call(
        { operation: `listProducts:${listing}`, method: 'GET', path: `api/productos/${listing}`, searchParams: query, schema: ProductPageSchema },
        ctx,
      ),
    getProductDocument: (id, ctx) =>
      nullOn404(
        upstream.call({ operation: 'getProductDocument', method: 'GET', path: `api/productos/${id}`, schema: ProductDocumentSchema }, ctx),
      ),
    listOffers: (ctx) => upstream.call({ operation: 'listOffers', method: 'GET', path: 'api/ofertas/all', schema: OfferListSchema }, ctx),
  };
}
