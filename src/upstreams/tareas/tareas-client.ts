import { z } from 'zod';
import { isRejectedWith } from '../../errors/upstream-error.js';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';
import { ExecuteAnswerSchema, TaskListSchema, TaskSchema, type ExecuteAnswer, type Task } from './tareas-payloads.js';

export type { ExecuteAnswer, Task } from './tareas-payloads.js';

export interface TaskConfig {
  base_url: string;
  http_method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  payload?: Record<string, unknown>;
}

export interface TaskChanges {
  name?: string;
  config?: TaskConfig;
}

/**
 * The service refused a task's input (its 400). Its text is not kept: it may hold internals (a
 * database error was once shown to a caller).
 */
export class TaskRefused extends Error {
  constructor(options?: { cause?: unknown }) {
    super('tareas: task refused', options);
  }
}

/**
 * The integration-task queue (Django + Celery). Paths end in a slash; the caller's token is
 * forwarded and decides whose tasks these are. Writes are never retried.
 */
export interface TasksClient {
  /** The caller's tasks, newest first. */
  listTasks(ctx: CallContext): Promise<Task[]>;
  /** Throws `TaskRefused` when the service refuses the input (400). */
  createTask(task: { name: string; config: TaskConfig }, ctx: CallContext): Promise<Task>;
  /** `null` when the task does not exist for the caller (404); `TaskRefused` for refused input (400). */
  updateTask(id: number, changes: TaskChanges, ctx: CallContext): Promise<Task | null>;
  /** `false` when the task does not exist for the caller (404). */
  deleteTask(id: number, ctx: CallContext): Promise<boolean>;
  /** Enqueues blindly: the service does not check that the task exists. */
  executeTask(id: number, ctx: CallContext): Promise<ExecuteAnswer>;
}

export function createTasksClient(upstream: Upstream): TasksClient {
  return {
    listTasks: (ctx) =>
      upstream.call({ operation: 'listTasks', method: 'GET', path: 'integration-tasks/get_tasks/', schema: TaskListSchema }, ctx),
    async createTask(task, ctx) {
      try {
        return await upstream.call(
          { operation: 'createTask', method: 'POST', path: 'integration-tasks/', json: task, schema: TaskSchema },
          ctx,
        );
      } catch (error) {
        if (isRejectedWith(error, 400)) throw new TaskRefused({ cause: error });
        throw error;
      }
    },
    async updateTask(id, changes, ctx) {
      try {
        return await upstream.call(
          { operation: 'updateTask', method: 'PUT', path: `integration-tasks/${id}/`, json: changes, schema: TaskSchema },
          ctx,
        );
      } catch (error) {
        if (isRejectedWith(error, 404)) return null;
        if (isRejectedWith(error, 400)) throw new TaskRefused({ cause: error });
        throw error;
      }
    },
    async deleteTask(id, ctx) {
      try {
        await upstream.call(
          { operation: 'deleteTask', method: 'DELETE', path: `integration-tasks/${id}/`, schema: z.unknown() },
          ctx,
        );
        return true;
      } catch (error) {
        if (isRejectedWith(error, 404)) return false;
        throw error;
      }
    },
    executeTask: (id, ctx) =>
      upstream.call(
        { operation: 'executeTask', method: 'POST', path: `integration-tasks/execute/${id}/`, schema: ExecuteAnswerSchema },
        ctx,
      ),
  };
}
