// Integration-task queue (Django REST framework + Celery). Trailing slashes are part of the
// routes, ids are `<int:id>` URL patterns, and tasks belong to the DNI in the caller's token.
import type { Context } from 'hono';
import type { Hono } from 'hono';
import { verifyBearer } from '../auth.js';
import type { StoredTarea, Tarea } from '../data/types.js';
import { djangoDateTime } from '../data/time.js';
import type { MockState } from '../state.js';
import { djangoErrors } from './framework-errors.js';
import { createMockApp } from './mock-app.js';
import type { MockAppOptions } from './mock-app.js';
import { isPlainObject, readJsonBody } from './request-body.js';
import { DEFAULT_TASK_EXECUTION_DELAY_MS, enqueueTaskExecution } from './tareas-worker.js';

type OwnerHandler = (c: Context, dni: string) => Response | Promise<Response>;

const NOT_FOUND = { detail: 'Tarea no encontrada' };

type TaskInput = { name?: string; config?: Record<string, unknown> };

/** Checks `name`/`config` when present; `required` makes both mandatory (creation). */
function readTaskInput(body: unknown, required: boolean): TaskInput | { error: string } {
  if (!isPlainObject(body)) return { error: 'El cuerpo de la petición debe ser un objeto JSON.' };
  const { name, config } = body;
  if (required && (name === undefined || config === undefined)) {
    return { error: "Los campos 'name' y 'config' son obligatorios." };
  }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    return { error: "El campo 'name' debe ser un texto no vacío." };
  }
  if (config !== undefined && !isPlainObject(config)) return { error: "El campo 'config' debe ser un objeto." };
  return { name, config };
}

/** Newest first, as the service's `order_by('-created_at')`; ids break ties. */
function newestFirst(a: StoredTarea, b: StoredTarea): number {
  return Date.parse(b.tarea.created_at) - Date.parse(a.tarea.created_at) || b.tarea.id - a.tarea.id;
}

export function createTareasApp(state: MockState, options: MockAppOptions): Hono {
  const app = createMockApp(state, 'tareas', djangoErrors);
  const delayMs = options.taskExecutionDelayMs ?? DEFAULT_TASK_EXECUTION_DELAY_MS;

  // Per route, not `*`: Django resolves the URL before DRF authenticates, so unknown paths 404.
  const authenticated = (handler: OwnerHandler) => async (c: Context) => {
    const claims = await verifyBearer(c.req.header('authorization'), options.jwtSecret);
    if (!claims) return c.json({ detail: 'Authentication credentials were not provided.' }, 401);
    return handler(c, claims.dni);
  };
  const ownTask = (c: Context, dni: string) =>
    state.data.tareas.items.find((item) => item.tarea.id === Number(c.req.param('id')) && item.ownerDni === dni);

  app.get('/integration-tasks/get_tasks/', authenticated((c, dni) => {
    const own = state.data.tareas.items.filter((item) => item.ownerDni === dni);
    return c.json(own.sort(newestFirst).map((item) => item.tarea));
  }));

  app.post('/integration-tasks/', authenticated(async (c, dni) => {
    const body = await readJsonBody(c);
    const input = readTaskInput(body.kind === 'json' ? body.value : undefined, true);
    if ('error' in input) return c.json({ error: input.error }, 400);
    const now = djangoDateTime(state.now());
    const tarea: Tarea = {
      id: state.data.tareas.nextId++,
      task_name: input.name ?? '',
      config: input.config ?? {},
      status: 'pendiente',
      execution_time: null,
      result: null,
      created_at: now,
      updated_at: now,
    };
    state.data.tareas.items.push({ ownerDni: dni, tarea });
    return c.json(tarea, 201);
  }));

  app.put('/integration-tasks/:id{[0-9]+}/', authenticated(async (c, dni) => {
    // Another user's task is reported exactly like a missing one.
    const stored = ownTask(c, dni);
    if (!stored) return c.json(NOT_FOUND, 404);
    const body = await readJsonBody(c);
    const input = readTaskInput(body.kind === 'json' ? body.value : undefined, false);
    if ('error' in input) return c.json({ error: input.error }, 400);
    if (input.name !== undefined) stored.tarea.task_name = input.name;
    if (input.config !== undefined) stored.tarea.config = input.config;
    stored.tarea.updated_at = djangoDateTime(state.now());
    return c.json(stored.tarea);
  }));

  app.delete('/integration-tasks/:id{[0-9]+}/', authenticated((c, dni) => {
    const stored = ownTask(c, dni);
    if (!stored) return c.json(NOT_FOUND, 404);
    state.data.tareas.items = state.data.tareas.items.filter((item) => item !== stored);
    return c.body(null, 204);
  }));

  // The real view only does `execute_task.delay(id)`: no existence or ownership check, always
  // 202. The gateway has to check the task belongs to the caller before calling it.
  app.post('/integration-tasks/execute/:id{[0-9]+}/', authenticated((c) => {
    const id = Number(c.req.param('id'));
    enqueueTaskExecution(state, id, delayMs);
    return c.json({ detail: 'Tarea enviada para ejecución', task_id: String(id) }, 202);
  }));

  return app;
}
