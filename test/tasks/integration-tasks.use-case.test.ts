// The integration-task use-cases against an in-memory task queue: a task is only read, changed,
// deleted or enqueued when it is in the caller's own list, URLs are guarded before anything is
// sent (again before an execution), the queue's refusals become validation errors, and no write
// starts without the budget to finish it.
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/context/request-context.js';
import { integrationTasks } from '../../src/domain/tasks/integration-tasks.js';
import { TaskRefused } from '../../src/upstreams/tareas/tareas-client.js';
import { fakeResolveHost } from '../helpers/fake-dns.js';
import { DNI, callerContext, fakeTaskQueue, task } from '../helpers/feature-fakes.js';

const UPSTREAM_TIMEOUT_MS = 1000;
const PUBLIC = { base_url: 'https://api.example.com/sync', http_method: 'POST' as const };
const INTERNAL = { base_url: 'http://10.0.0.1/', http_method: 'GET' as const };

function setup() {
  const queue = fakeTaskQueue({ [DNI.ana]: [task(1), task(2)], [DNI.luis]: [task(3, { task_name: 'Reporte diario' })] });
  const tasks = integrationTasks(queue.client, { allowedHosts: [], resolve: fakeResolveHost }, UPSTREAM_TIMEOUT_MS);
  return { queue, tasks, ctx: callerContext() };
}

type Tasks = ReturnType<typeof setup>['tasks'];

const refusedUrl = { code: 'VALIDATION_ERROR', status: 400, details: { issues: [{ path: 'config.base_url' }] } };
const notFound = (id: number) => ({ code: 'TASK_NOT_FOUND', status: 404, details: { task_id: id } });
const shortBudget = () => callerContext(DNI.ana, 'CLIENTE', UPSTREAM_TIMEOUT_MS - 200);
const writeBudget = { code: 'UPSTREAM_TIMEOUT', status: 504, details: { stage: 'write_budget' } };

describe('reading', () => {
  it("finds a task in the caller's list (the service has no single-task read)", async () => {
    const { queue, tasks, ctx } = setup();
    expect(await tasks.getTask(2, ctx)).toMatchObject({ id: 2 });
    expect(queue.calls).toEqual([{ op: 'listTasks', args: [], ctx }]);
  });

  it.each([
    ["another user's task", 3],
    ['a task that does not exist', 999],
  ])('answers %s 404 TASK_NOT_FOUND, alike', async (_case, id) => {
    const { tasks, ctx } = setup();
    await expect(tasks.getTask(id, ctx)).rejects.toMatchObject(notFound(id));
  });
});

describe('creating', () => {
  it('sends {name, config} once the URL is public', async () => {
    const { queue, tasks, ctx } = setup();
    expect(await tasks.createTask({ name: 'Sync', config: PUBLIC }, ctx)).toMatchObject({ task_name: 'Sync', config: PUBLIC });
    expect(queue.writes()).toEqual([{ op: 'createTask', args: [{ name: 'Sync', config: PUBLIC }], ctx }]);
  });

  it('refuses a URL reaching inside the network: 400 config.base_url, nothing sent', async () => {
    const { queue, tasks, ctx } = setup();
    await expect(tasks.createTask({ name: 'x', config: INTERNAL }, ctx)).rejects.toMatchObject(refusedUrl);
    expect(queue.calls).toEqual([]);
  });

  it("turns the service's refusal into a VALIDATION_ERROR in the gateway's words", async () => {
    const { queue, tasks, ctx } = setup();
    queue.state.refuse = new TaskRefused();
    await expect(tasks.createTask({ name: 'Sync', config: PUBLIC }, ctx)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      status: 400,
      details: { issues: [{ path: '', message: { key: 'issue.rejected_by_service' } }] },
    });
  });
});

describe('updating and deleting', () => {
  it('renames an own task', async () => {
    const { queue, tasks, ctx } = setup();
    expect(await tasks.updateTask(1, { name: 'Renombrada' }, ctx)).toMatchObject({ id: 1, task_name: 'Renombrada' });
    expect(queue.writes()).toEqual([{ op: 'updateTask', args: [1, { name: 'Renombrada' }], ctx }]);
  });

  it.each([
    ['updating', (tasks: Tasks, id: number, ctx: RequestContext) => tasks.updateTask(id, { name: 'Mía' }, ctx)],
    ['deleting', (tasks: Tasks, id: number, ctx: RequestContext) => tasks.deleteTask(id, ctx)],
  ])("answers %s another user's or an unknown task 404 from the caller's list, sending no write", async (_case, write) => {
    const { queue, tasks, ctx } = setup();
    for (const id of [3, 999]) await expect(write(tasks, id, ctx)).rejects.toMatchObject(notFound(id));
    expect(queue.writes()).toEqual([]);
    expect(queue.owned[DNI.luis]).toEqual([task(3, { task_name: 'Reporte diario' })]);
  });

  it('refuses an update to an internal URL before checking ownership: no call at all', async () => {
    const { queue, tasks, ctx } = setup();
    await expect(tasks.updateTask(3, { config: INTERNAL }, ctx)).rejects.toMatchObject(refusedUrl);
    expect(queue.calls).toEqual([]);
  });

  it("answers 404 when the service no longer has the task it listed, and turns its refusal into a VALIDATION_ERROR", async () => {
    const { queue, tasks, ctx } = setup();
    queue.client.updateTask = async () => null;
    queue.client.deleteTask = async () => false;
    await expect(tasks.updateTask(1, { name: 'x' }, ctx)).rejects.toMatchObject(notFound(1));
    await expect(tasks.deleteTask(1, ctx)).rejects.toMatchObject(notFound(1));
    const refusing = setup();
    refusing.queue.state.refuse = new TaskRefused();
    await expect(refusing.tasks.updateTask(1, { name: 'x' }, refusing.ctx)).rejects.toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
  });

  it('deletes an own task; a second delete is refused from the list, sending nothing', async () => {
    const { queue, tasks, ctx } = setup();
    await tasks.deleteTask(1, ctx);
    await expect(tasks.deleteTask(1, ctx)).rejects.toMatchObject(notFound(1));
    expect(queue.writes()).toEqual([{ op: 'deleteTask', args: [1], ctx }]);
    expect(queue.owned[DNI.ana]?.map((item) => item.id)).toEqual([2]);
  });
});

describe('executing', () => {
  it("enqueues an own task and answers the service's detail, the id as a number and the task's status", async () => {
    const { queue, tasks, ctx } = setup();
    expect(await tasks.executeTask(2, ctx)).toEqual({ detail: 'Tarea enviada para ejecución', task_id: 2, status: 'pendiente' });
    expect(queue.writes()).toEqual([{ op: 'executeTask', args: [2], ctx }]);
  });

  it.each([
    ["another user's task", 3],
    ['a task that does not exist', 999],
  ])('answers %s 404 and enqueues nothing (the service would enqueue any id)', async (_case, id) => {
    const { queue, tasks, ctx } = setup();
    await expect(tasks.executeTask(id, ctx)).rejects.toMatchObject(notFound(id));
    expect(queue.writes()).toEqual([]);
  });

  it('guards the stored URL again: a name now resolving inside is refused, nothing enqueued', async () => {
    const { queue, tasks, ctx } = setup();
    queue.owned[DNI.ana]![0]!.config = { base_url: 'https://intranet.example.com/', http_method: 'GET' };
    await expect(tasks.executeTask(1, ctx)).rejects.toMatchObject(refusedUrl);
    expect(queue.writes()).toEqual([]);
  });
});

describe('the write budget', () => {
  it.each([
    ['create', (tasks: Tasks, ctx: RequestContext) => tasks.createTask({ name: 'x', config: PUBLIC }, ctx)],
    ['update', (tasks: Tasks, ctx: RequestContext) => tasks.updateTask(1, { name: 'x' }, ctx)],
    ['delete', (tasks: Tasks, ctx: RequestContext) => tasks.deleteTask(1, ctx)],
    ['execute', (tasks: Tasks, ctx: RequestContext) => tasks.executeTask(1, ctx)],
  ])('sends no %s with less than one upstream timeout left: 504 write_budget', async (_case, write) => {
    const { queue, tasks } = setup();
    await expect(write(tasks, shortBudget())).rejects.toMatchObject(writeBudget);
    expect(queue.writes()).toEqual([]);
  });
});
