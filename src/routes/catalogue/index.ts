import type { MiddlewareHandler } from 'hono';
import type { CatalogueUseCases } from '../../domain/catalogue/catalogue.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import {
  byNameRoute,
  byPrescriptionRoute,
  byTypeRoute,
  lowStockRoute,
  offersRoute,
  pagedRoute,
  productRoute,
} from './catalogue.routes.js';

export type { CatalogueUseCases } from '../../domain/catalogue/catalogue.js';

/** Only the parameters the caller sent: the service's own defaults apply to the rest. */
const present = (query: Record<string, string | number | undefined>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as Record<string, string | number>;

/**
 * The catalogue, open to anyone. The listings are registered before `/productos/{id}`, so a
 * static path always wins over the parameter (and `/productos/abc` is a 400, not a lookup).
 */
export function catalogueRoutes(catalogue: CatalogueUseCases, open: MiddlewareHandler) {
  return createRouter()
    .openapi(withMiddleware(pagedRoute, open), async (c) =>
      c.json(await catalogue.listProducts('paged', present(c.req.valid('query')), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(byNameRoute, open), async (c) =>
      c.json(await catalogue.listProducts('nombre', present(c.req.valid('query')), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(byTypeRoute, open), async (c) =>
      c.json(await catalogue.listProducts('tipo', present(c.req.valid('query')), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(byPrescriptionRoute, open), async (c) =>
      c.json(await catalogue.listProducts('receta', present(c.req.valid('query')), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(lowStockRoute, open), async (c) =>
      c.json(await catalogue.listProducts('stock-bajo', present(c.req.valid('query')), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(productRoute, open), async (c) =>
      c.json(await catalogue.getProduct(Number(c.req.valid('param').id), c.get('publicContext')), 200),
    )
    .openapi(withMiddleware(offersRoute, open), async (c) => c.json(await catalogue.listOffers(c.get('publicContext')), 200));
}
