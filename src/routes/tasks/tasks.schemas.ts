import { z } from '@hono/zod-openapi';

export const TaskIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'issue.task_id')
    // Beyond 2^53 - 1 the id would silently become another one on its way as a number.
    .refine((id) => Number.isSafeInteger(Number(id)), 'issue.task_id')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

export const TaskConfigSchema = z
  .object({
    base_url: z
      .url({ protocol: /^https?$/, error: 'issue.base_url' })
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
    message: 'issue.task_changes',
  })
  .openapi('UpdateTaskRequest');

export const TaskSchema = z
  .looseObject({
    id: z.int(),
    task_name: z.string(),
    config: z.looseObject({ base_url: z.string(), http_method: z.string() }),
    status: z.string().openapi({ example: 'pendiente', description: '`pendiente` until executed, then `executed`' }),
    execution_time: z
      .string()
      .nullable()
      .optional()
      .openapi({ example: '2025-10-03T10:00:00.123456-05:00', description: 'When the worker finished (ISO 8601); null until then' }),
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
