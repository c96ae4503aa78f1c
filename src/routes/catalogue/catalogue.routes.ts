import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { errorResponses } from '../shared/error-responses.js';
import {
  ByNameQuerySchema,
  ByPrescriptionQuerySchema,
  ByTypeQuerySchema,
  LowStockQuerySchema,
  OfferListSchema,
  PagedQuerySchema,
  ProductDocumentSchema,
  ProductIdParamsSchema,
  ProductPageSchema,
} from './catalogue.schemas.js';

const tags = ['catalogue'];
/** Open to anyone: no token is read, so neither 401 nor 403. */
const ERRORS = [400, 500, 503, 504] as const;
const page = { 200: { description: 'A page of products', content: { 'application/json': { schema: ProductPageSchema } } } };

const listing = <Q extends z.ZodObject>(path: string, operationId: string, summary: string, query: Q) =>
  createRoute({
    operationId,
    method: 'get',
    path,
    tags,
    summary: `${summary} (open to anyone)`,
    security: [],
    request: { query },
    responses: { ...page, ...errorResponses(ERRORS) },
  });

export const pagedRoute = listing('/productos/paged', 'listProducts', 'A page of the catalogue', PagedQuerySchema);
export const byNameRoute = listing('/productos/nombre', 'searchProductsByName', 'Products whose name contains `nombre` (any case)', ByNameQuerySchema);
export const byTypeRoute = listing('/productos/tipo', 'searchProductsByType', 'Products whose type contains `tipo` (any case)', ByTypeQuerySchema);
export const byPrescriptionRoute = listing('/productos/receta', 'listProductsByPrescription', 'Products that do (or do not) need a prescription', ByPrescriptionQuerySchema);
export const lowStockRoute = listing('/productos/stock-bajo', 'listLowStockProducts', 'Products whose stock is below `minimo`', LowStockQuerySchema);

export const productRoute = createRoute({
  operationId: 'getProduct',
  method: 'get',
  path: '/productos/{id}',
  tags,
  summary: 'One product (open to anyone); `paged`, `nombre`, `tipo`, `receta` and `stock-bajo` are the listings above, never ids',
  security: [],
  request: { params: ProductIdParamsSchema },
  responses: {
    200: { description: 'The product', content: { 'application/json': { schema: ProductDocumentSchema } } },
    ...errorResponses([...ERRORS, 404], { 404: 'PRODUCT_NOT_FOUND', 400: 'VALIDATION_ERROR: `id` is not an integer 1..2^53 - 1' }),
  },
});

export const offersRoute = createRoute({
  operationId: 'listOffers',
  method: 'get',
  path: '/ofertas/all',
  tags,
  summary: 'The current offers (open to anyone)',
  security: [],
  responses: {
    200: { description: 'Offers', content: { 'application/json': { schema: OfferListSchema } } },
    ...errorResponses(ERRORS),
  },
});
