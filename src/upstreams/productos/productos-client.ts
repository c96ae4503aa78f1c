import type { UpstreamError } from '../../errors/upstream-error.js';
import { nullOn404 } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import { ProductSchema, type Product } from './productos-payloads.js';

export type { Product } from './productos-payloads.js';

/** The products service, as the gateway needs it. */
export interface ProductsClient {
  /** `null` when the product does not exist (404). */
  getProduct(id: number, ctx: CallContext): Promise<Product | null>;
  /** Sets the absolute stock (the service has no conditional update). Never retried. */
  setStock(id: number, stock: number, ctx: CallContext): Promise<Product>;
  /** While the service's breaker is open: the 503 any call would get, without sending it; else `null`. */
  refusal(): UpstreamError | null;
}

export function createProductsClient(upstream: Upstream): ProductsClient {
  return {
    refusal: () => upstream.refusal(),
    getProduct: (id, ctx) =>
      nullOn404(upstream.call({ operation: 'getProduct', method: 'GET', path: `api/productos/${id}`, schema: ProductSchema }, ctx)),
    setStock(id, stock, ctx) {
      return upstream.call(
        { operation: 'setStock', method: 'PUT', path: `api/productos/${id}`, json: { stock }, schema: ProductSchema },
        ctx,
      );
    },
  };
}
