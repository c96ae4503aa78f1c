import { GatewayError } from '../../errors/gateway-error.js';
import type {
  CatalogueClient,
  CatalogueListing,
  OfferList,
  ProductDocument,
  ProductPage,
} from '../../upstreams/productos/catalogue-client.js';
import type { PublicContext } from '../request-context.js';

export type { CatalogueListing } from '../../upstreams/productos/catalogue-client.js';

export interface CatalogueUseCases {
  listProducts(listing: CatalogueListing, query: Record<string, string | number | boolean>, ctx: PublicContext): Promise<ProductPage>;
  getProduct(id: number, ctx: PublicContext): Promise<ProductDocument>;
  listOffers(ctx: PublicContext): Promise<OfferList>;
}

/** The catalogue, open to anyone: pages, one product and the offers, as the products service answers them. */
export function catalogueUseCases(catalogue: CatalogueClient): CatalogueUseCases {
  return {
    listProducts: (listing, query, ctx) => catalogue.listProducts(listing, query, ctx),
    async getProduct(id, ctx) {
      const product = await catalogue.getProductDocument(id, ctx);
      if (!product) throw new GatewayError('PRODUCT_NOT_FOUND', { text: 'product.not_found', params: { id }, details: { producto_id: id } });
      return product;
    },
    listOffers: (ctx) => catalogue.listOffers(ctx),
  };
}
