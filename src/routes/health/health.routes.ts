import { createRoute, z } from '@hono/zod-openapi';

const HealthSchema = z
  .object({
    status: z.literal('healthy'),
    service: z.literal('orchestrator'),
    message: z.string(),
  })
  .openapi('Health');

const BreakerStateSchema = z.enum(['closed', 'open', 'half-open']);
const UpstreamsSchema = z.record(z.string(), z.object({ breaker: BreakerStateSchema })).openapi({
  example: { usuarios: { breaker: 'closed' }, productos: { breaker: 'open' } },
});

const LoadSchema = z.object({
  overloaded: z.boolean(),
  eventLoopDelayMs: z.number(),
  inFlight: z.int(),
});

const CoordinationSchema = z
  .object({ store: z.enum(['memory', 'redis']), status: z.enum(['up', 'down']) })
  .openapi({
    description:
      'The store of stock locks, idempotency records and limits: `redis` with REDIS_URL, else `memory` (one process). ' +
      '`down` does not make the gateway unready (every replica shares the same Redis); purchases answer 503 `redis` meanwhile.',
    example: { store: 'redis', status: 'up' },
  });

export const ReadySchema = z
  .object({ status: z.literal('ready'), upstreams: UpstreamsSchema, coordination: CoordinationSchema })
  .openapi('Ready');
export const NotReadySchema = z
  .object({
    status: z.enum(['draining', 'overloaded']),
    upstreams: UpstreamsSchema,
    coordination: CoordinationSchema,
    load: LoadSchema.optional().openapi({ description: 'Present when overloaded' }),
  })
  .openapi('NotReady');

const healthResponse = {
  200: { description: 'The process is alive', content: { 'application/json': { schema: HealthSchema } } },
};

export const healthRoute = createRoute({
  operationId: 'health',
  method: 'get',
  path: '/health',
  tags: ['health'],
  security: [],
  summary: 'Liveness: the process answers',
  responses: healthResponse,
});

export const echoRoute = createRoute({
  operationId: 'echo',
  method: 'get',
  path: '/echo',
  tags: ['health'],
  security: [],
  summary: 'Alias of /health, kept for the existing frontends',
  responses: healthResponse,
});

export const readyRoute = createRoute({
  operationId: 'ready',
  method: 'get',
  path: '/ready',
  tags: ['health'],
  security: [],
  summary: 'Readiness: 503 while draining or overloaded; an open breaker does not make the gateway unready',
  responses: {
    200: { description: 'Ready to take traffic', content: { 'application/json': { schema: ReadySchema } } },
    503: {
      description: 'Shutting down (`draining`) or shedding load (`overloaded`)',
      content: { 'application/json': { schema: NotReadySchema } },
    },
  },
});
