import type { MiddlewareHandler } from 'hono';
import type { IntegrationTaskUseCases } from '../../domain/tasks/integration-tasks.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import {
  createTaskRoute,
  deleteTaskRoute,
  executeTaskRoute,
  getTaskRoute,
  listTasksRoute,
  updateTaskRoute,
} from './tasks.routes.js';

export function taskRoutes(tasks: IntegrationTaskUseCases, auth: MiddlewareHandler) {
  return createRouter()
    .openapi(withMiddleware(listTasksRoute, auth), async (c) => c.json(await tasks.listTasks(c.get('requestContext')), 200))
    .openapi(withMiddleware(createTaskRoute, auth, jsonGuard), async (c) =>
      c.json(await tasks.createTask(c.req.valid('json'), c.get('requestContext')), 201),
    )
    .openapi(withMiddleware(getTaskRoute, auth), async (c) =>
      c.json(await tasks.getTask(Number(c.req.valid('param').id), c.get('requestContext')), 200),
    )
    .openapi(withMiddleware(updateTaskRoute, auth, jsonGuard), async (c) =>
      c.json(await tasks.updateTask(Number(c.req.valid('param').id), c.req.valid('json'), c.get('requestContext')), 200),
    )
    .openapi(withMiddleware(deleteTaskRoute, auth), async (c) => {
      await tasks.deleteTask(Number(c.req.valid('param').id), c.get('requestContext'));
      return c.body(null, 204);
    })
    .openapi(withMiddleware(executeTaskRoute, auth), async (c) =>
      c.json(await tasks.executeTask(Number(c.req.valid('param').id), c.get('requestContext')), 202),
    );
}
