import { GatewayError, validationError } from '../../errors/gateway-error.js';
import { TaskRefused, type Task, type TaskChanges, type TaskConfig, type TasksClient } from '../../upstreams/tareas/tareas-client.js';
import type { RequestContext } from '../request-context.js';
import { assertWriteBudget } from '../shared/write-budget.js';
import { assertPublicTaskUrl, type TaskUrlGuardOptions } from './task-url-guard.js';

export type { Task, TaskChanges, TaskConfig } from '../../upstreams/tareas/tareas-client.js';

export interface ExecutionAccepted {
  detail: string;
  task_id: number;
  /** The task's status when it was enqueued; poll GET /integration-tasks/{id} for the outcome. */
  status: string;
}

const taskNotFound = (id: number) =>
  new GatewayError('TASK_NOT_FOUND', { text: 'task.not_found', params: { id }, details: { task_id: id } });

/**
 * Input the service refuses is the caller's mistake, so it is shown as a validation error rather
 * than an upstream failure, in the gateway's own words.
 */
async function withRefusalsAsValidation<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TaskRefused) {
      throw validationError([{ path: '', message: { key: 'issue.rejected_by_service' } }]);
    }
    throw error;
  }
}

/**
 * The integration-task use-cases; each is scoped to the caller by their forwarded token. Each
 * write starts only after its checks (URL guard, ownership) and only with `upstreamTimeoutMs`
 * of the request's budget left (504 `write_budget` otherwise, nothing sent).
 */
export function integrationTasks(client: TasksClient, urlGuard: TaskUrlGuardOptions, upstreamTimeoutMs: number) {
  const assertBudget = (ctx: RequestContext) => assertWriteBudget(ctx, upstreamTimeoutMs);

  const findTask = async (id: number, ctx: RequestContext): Promise<Task> => {
    // The service has no single-task read: the caller's list is the source of truth.
    const task = (await client.listTasks(ctx)).find((candidate) => candidate.id === id);
    if (!task) throw taskNotFound(id);
    return task;
  };

  return {
    listTasks: (ctx: RequestContext) => client.listTasks(ctx),
    getTask: findTask,
    async createTask(task: { name: string; config: TaskConfig }, ctx: RequestContext): Promise<Task> {
      await assertPublicTaskUrl(task.config.base_url, urlGuard, ctx.deadline);
      assertBudget(ctx);
      return withRefusalsAsValidation(client.createTask(task, ctx));
    },
    /** Changes only a task in the caller's own list: nothing is sent for anyone else's. */
    async updateTask(id: number, changes: TaskChanges, ctx: RequestContext): Promise<Task> {
      // The body (its URL included) is checked before ownership: a 400 calls nothing.
      if (changes.config) await assertPublicTaskUrl(changes.config.base_url, urlGuard, ctx.deadline);
      await findTask(id, ctx);
      assertBudget(ctx);
      const task = await withRefusalsAsValidation(client.updateTask(id, changes, ctx));
      if (!task) throw taskNotFound(id);
      return task;
    },
    /** Deletes only a task in the caller's own list. */
    async deleteTask(id: number, ctx: RequestContext): Promise<void> {
      await findTask(id, ctx);
      assertBudget(ctx);
      if (!(await client.deleteTask(id, ctx))) throw taskNotFound(id);
    },
    /** Enqueues only a task the caller owns: the service itself would enqueue any id blindly. */
    async executeTask(id: number, ctx: RequestContext): Promise<ExecutionAccepted> {
      const task = await findTask(id, ctx);
      // Again right before the worker calls it: what a name resolves to changes.
      await assertPublicTaskUrl(task.config.base_url, urlGuard, ctx.deadline);
      assertBudget(ctx);
      const answer = await client.executeTask(id, ctx);
      return { detail: answer.detail, task_id: Number(answer.task_id), status: task.status };
    },
  };
}

export type IntegrationTaskUseCases = ReturnType<typeof integrationTasks>;
