import { z } from 'zod';

/** A task as the Django service answers it (`task_name`, not `name`); unknown fields pass through. */
export const TaskSchema = z.looseObject({
  id: z.number().int(),
  task_name: z.string(),
  config: z.looseObject({ base_url: z.string(), http_method: z.string() }),
  status: z.string(),
  // A Django DateTimeField set when the worker finishes (ISO 8601), not a duration.
  execution_time: z.string().nullable().optional(),
  result: z.unknown().optional(),
});

export const TaskListSchema = z.array(TaskSchema);

export const ExecuteAnswerSchema = z.looseObject({
  detail: z.string(),
  task_id: z.union([z.string(), z.number()]),
});

export type Task = z.infer<typeof TaskSchema>;
export type ExecuteAnswer = z.infer<typeof ExecuteAnswerSchema>;
