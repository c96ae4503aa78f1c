import { z } from '@hono/zod-openapi';

export const TaskIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'id must be a positive integer')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

export const TaskConfigSchema = z
  .object({
    base_url: z
      .url({ protocol: /^https?$/, error: 'base_url must be an absolute http(s) URL' })
      .openapi({ example: 'https://api.example.com/sync' }),
    http_method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).openapi({ example: 'POST' }),
    payload: z.record(z.string(), z.unknown()).optional().openapi({ example: {} }),
  })
  .openapi('TaskConfig');

export const CreateTaskBodySchema = z
  .object({ name: z.string().trim().min(1).max(255).openapi({ example: 'Sync' }), config: TaskConfigSchema })
  .openapi('CreateTaskRequest');

export const UpdateTaskBodySchema = z
  .object({ name: z.string().trim().min(1).max(255).optional(), config: TaskConfigSchema.optional() })
  .refine((body) => body.name !== undefined || body.config !== undefined, {
    message: 'Send name, config or both',
  })
  .openapi('UpdateTaskRequest');

export const TaskSchema = z
  .looseObject({
    id: z.int(),
    task_name: z.string(),
    config: z.looseObject({ base_url: z.string(), http_method: z.string() }),
    status: z.string().openapi({ example: 'pendiente', description: '`pendiente` until executed, then `executed`' }),
    execution_time: z.number().nullable().optional(),
    result: z.unknown().optional(),
  })
  .openapi('Task');

export const ExecutionAcceptedSchema = z
  .object({
    detail: z.string().openapi({ example: 'Tarea enviada para ejecución' }),
    task_id: z.int().openapi({ example: 1 }),
    status: z.string().openapi({ example: 'pendiente' }),
  })
  .openapi('ExecutionAccepted');
