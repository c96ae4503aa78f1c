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

export const ReadySchema = z.object({ status: z.literal('ready'), upstreams: UpstreamsSchema }).openapi('Ready');
export const DrainingSchema = z.object({ status: z.literal('draining'), upstreams: UpstreamsSchema }).openapi('Draining');

const healthResponse = {
  200: { description: 'The process is alive', content: { 'application/json': { schema: HealthSchema } } },
};

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Liveness: the process answers',
  responses: healthResponse,
});

export const echoRoute = createRoute({
  method: 'get',
  path: '/echo',
  tags: ['health'],
  summary: 'Alias of /health, kept for the existing frontends',
  responses: healthResponse,
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['health'],
  summary: 'Readiness: 503 while draining; an open breaker does not make the gateway unready',
  responses: {
    200: { description: 'Ready to take traffic', content: { 'application/json': { schema: ReadySchema } } },
    503: { description: 'Shutting down', content: { 'application/json': { schema: DrainingSchema } } },
  },
});
