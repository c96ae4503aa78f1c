import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import {
  PageQuerySchema,
  PurchaseBodySchema,
  PurchaseHeadersSchema,
  PurchaseListSchema,
  PurchasePageSchema,
  RegisteredPurchaseSchema,
} from './purchases.schemas.js';

const completedHeader = {
  'X-Gateway-Completed': {
    description: '`false` when some product could not be read (its lines carry `error`)',
    schema: { type: 'string' as const, enum: ['true', 'false'] },
  },
};

export const registerPurchaseRoute = createRoute({
  operationId: 'registerPurchase',
  method: 'post',
  path: '/compras',
  tags: ['purchases'],
  summary: 'Register a purchase after validating products, stock and prescriptions',
  description:
    'Reads every product once and the caller\'s validated prescriptions in parallel; writes nothing unless every ' +
    'check passes. With an `Idempotency-Key`, a retry while the first is in flight or within 10 minutes after it ' +
    'succeeded gets the first answer (header `Idempotent-Replayed: true`), on any replica sharing REDIS_URL; the key ' +
    'with another body is 422 IDEMPOTENCY_KEY_REUSED. Without a key, the same body sent again by the same caller ' +
    'within DOUBLE_SUBMIT_WINDOW_MS gets the first answer too. On a registration timeout the stock is not restored ' +
    '(outcome unknown) and the answer is 504; a keyed retry then replays the registration if it landed, or registers ' +
    'reusing the stock already taken.',
  security: bearerSecurity,
  request: {
    headers: PurchaseHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: PurchaseBodySchema } } },
  },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: RegisteredPurchaseSchema } } },
    ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 404, 409, 413, 415, 422], {
      404: 'PRODUCT_NOT_FOUND (details.producto_id)',
      409: 'INSUFFICIENT_STOCK (details: producto_id, nombre, disponible, solicitado)',
      422: 'PRESCRIPTION_REQUIRED (details.productos_sin_receta: product names; details.cobertura: [{producto_id, recetado, dispensado, solicitado}], one per name: what the usable prescriptions authorise, what was already dispensed since them, and what was asked), or IDEMPOTENCY_KEY_REUSED (the key came with another body)',
      429: 'RATE_LIMITED: PURCHASES_IN_FLIGHT_PER_CALLER (in_flight, Retry-After 1) or WRITES_PER_MINUTE_PER_CALLER (per_minute); replays are answered even over a limit',
    }),
  },
});

export const listMyPurchasesRoute = createRoute({
  operationId: 'listMyPurchases',
  method: 'get',
  path: '/compras/me',
  tags: ['purchases'],
  summary: "The caller's purchases with product details",
  security: bearerSecurity,
  responses: {
    200: {
      description: 'Purchases; degraded entries when the products service fails',
      headers: completedHeader,
      content: { 'application/json': { schema: PurchaseListSchema } },
    },
    ...errorResponses(COMMON_ERRORS),
  },
});

export const listAllPurchasesRoute = createRoute({
  operationId: 'listAllPurchases',
  method: 'get',
  path: '/compras/all',
  tags: ['purchases'],
  summary: 'Every purchase, newest first, paginated (ADMIN)',
  security: bearerSecurity,
  request: { query: PageQuerySchema },
  responses: {
    200: {
      description: 'One page of purchases',
      headers: completedHeader,
      content: { 'application/json': { schema: PurchasePageSchema } },
    },
    ...errorResponses([...COMMON_ERRORS, 403]),
  },
});
