import { createRoute, z } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import {
  CreateTaskBodySchema,
  ExecutionAcceptedSchema,
  TaskIdParamsSchema,
  TaskSchema,
  UpdateTaskBodySchema,
} from './tasks.schemas.js';

const tags = ['integration-tasks'];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const notFound = { 404: 'TASK_NOT_FOUND: no such task for the caller' };

export const listTasksRoute = createRoute({
  operationId: 'listTasks',
  method: 'get',
  path: '/integration-tasks',
  tags,
  summary: "The caller's integration tasks, newest first",
  security: bearerSecurity,
  responses: { 200: json(z.array(TaskSchema), 'Tasks'), ...errorResponses(COMMON_ERRORS) },
});

export const createTaskRoute = createRoute({
  operationId: 'createTask',
  method: 'post',
  path: '/integration-tasks',
  tags,
  summary: 'Create an integration task (config validated before forwarding)',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTaskBodySchema } } } },
  responses: { 201: json(TaskSchema, 'Created'), ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 413, 415]) },
});

export const getTaskRoute = createRoute({
  operationId: 'getTask',
  method: 'get',
  path: '/integration-tasks/{id}',
  tags,
  summary: 'One task: poll it for `status`, `execution_time` and `result` after executing',
  security: bearerSecurity,
  request: { params: TaskIdParamsSchema },
  responses: { 200: json(TaskSchema, 'The task'), ...errorResponses([...COMMON_ERRORS, 404], notFound) },
});

export const updateTaskRoute = createRoute({
  operationId: 'updateTask',
  method: 'put',
  path: '/integration-tasks/{id}',
  tags,
  summary: "Change a task's name and/or config",
  security: bearerSecurity,
  request: {
    params: TaskIdParamsSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateTaskBodySchema } } },
  },
  responses: { 200: json(TaskSchema, 'Updated'), ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 404, 413, 415], notFound) },
});

export const deleteTaskRoute = createRoute({
  operationId: 'deleteTask',
  method: 'delete',
  path: '/integration-tasks/{id}',
  tags,
  summary: 'Delete a task',
  security: bearerSecurity,
  request: { params: TaskIdParamsSchema },
  responses: { 204: { description: 'Deleted' }, ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 404], notFound) },
});

export const executeTaskRoute = createRoute({
  operationId: 'executeTask',
  method: 'post',
  path: '/integration-tasks/{id}/execute',
  tags,
  summary: 'Enqueue a task the caller owns; poll GET /integration-tasks/{id} for the outcome',
  security: bearerSecurity,
  request: { params: TaskIdParamsSchema },
  responses: {
    202: json(ExecutionAcceptedSchema, 'Enqueued'),
    ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 404], notFound),
  },
});
