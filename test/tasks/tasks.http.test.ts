// Integration tasks forwarded to the Django + Celery task queue, as the client sees them: the
// caller's token scopes every call, configs are validated before anything is sent, and each
// answer's status and code. Ownership, the URL guard's order and the write budget are use-case
// tests (integration-tasks.use-case); every URL notation is task-url-guard.unit.
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_TASK_IDS } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

const TAREAS = BASE_URLS.tareas;
const CONFIG = { base_url: 'https://api.example.com/sync', http_method: 'POST', payload: { almacen: 'norte' } };

interface TaskBody {
  id: number;
  task_name: string;
  config: Record<string, unknown>;
  status: string;
  execution_time?: string | null;
  result?: unknown;
}

const issuePaths = (body: { details?: Record<string, unknown> }) =>
  ((body.details?.issues ?? []) as Array<{ path: string }>).map((issue) => issue.path);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('integration tasks', () => {
  const h = createHarness();
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);

  let ana: string;
  beforeAll(async () => {
    ana = await tokens.ana();
  });

  const tasksOf = (dni: string) =>
    h.mocks.state.data.tareas.items.filter((item) => item.ownerDni === dni).map((item) => item.tarea);

  describe('GET /integration-tasks', () => {
    it("answers the caller's tasks exactly as the service lists them, forwarding the caller's token", async () => {
      const response = await h.request(`${API}/integration-tasks`, { token: ana });
      expect(response.status).toBe(200);
      const body = (await response.json()) as TaskBody[];
      expect(body.map((task) => task.id)).toEqual([SEED_TASK_IDS.anaPending, SEED_TASK_IDS.anaExecuted]);
      expect(body).toEqual(JSON.parse(JSON.stringify(tasksOf(SEED_DNI.ana).sort((a, b) => b.id - a.id))));

      const calls = h.calls('tareas');
      expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /integration-tasks/get_tasks/']);
      expect(calls[0]?.headers.authorization).toBe(`Bearer ${ana}`);
    });

    it('also answers with a trailing slash', async () => {
      const response = await h.request(`${API}/integration-tasks/`, { token: ana });
      expect(response.status).toBe(200);
    });

    it('is 503 naming the service, without leaking its body, when the service fails with 500', async () => {
      h.msw.use(
        http.get(`${TAREAS}/integration-tasks/get_tasks/`, () =>
          HttpResponse.text('Traceback: psycopg2.OperationalError at db-internal.tareas.local', { status: 500 }),
        ),
      );
      const response = await h.request(`${API}/integration-tasks`, { token: ana });
      expect(response.status).toBe(503);
      const body = await errorBody(response);
      expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(body.details?.service).toBe('tareas');
      expect(JSON.stringify(body)).not.toMatch(/Traceback|psycopg2|db-internal/);
    });

    it("turns the service's 401 into the gateway's 401", async () => {
      h.msw.use(
        http.get(`${TAREAS}/integration-tasks/get_tasks/`, () =>
          HttpResponse.json({ detail: 'Authentication credentials were not provided.' }, { status: 401 }),
        ),
      );
      const response = await h.request(`${API}/integration-tasks`, { token: ana });
      expect(response.status).toBe(401);
      expect((await errorBody(response)).code).toBe('UNAUTHENTICATED');
    });
  });

  describe('POST /integration-tasks', () => {
    it('creates the task with 201, sending the service {name, config}', async () => {
      const response = await h.request(`${API}/integration-tasks`, {
        method: 'POST',
        token: ana,
        json: { name: 'Sync', config: CONFIG },
      });
      expect(response.status).toBe(201);
      const task = (await response.json()) as TaskBody;
      expect(task).toMatchObject({ task_name: 'Sync', config: CONFIG, status: 'pendiente', execution_time: null });
      expect(tasksOf(SEED_DNI.ana).map((stored) => stored.id)).toContain(task.id);

      const writes = h.writes('tareas');
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatchObject({ method: 'POST', path: '/integration-tasks/', body: { name: 'Sync', config: CONFIG } });
      expect(writes[0]?.headers.authorization).toBe(`Bearer ${ana}`);
    });

    // Bodies breaking several rules at once: each rule is wired to its field, and every failing
    // field is listed. Nothing is sent for any of them.
    it.each([
      [{ name: '', config: { base_url: 'ftp://files.example.com/x', http_method: 'PATCH', payload: [1, 2] } }, ['config.base_url', 'config.http_method', 'config.payload', 'name']],
      [{ name: '   ', config: { base_url: '/sync', http_method: 'get', payload: '{}' } }, ['config.base_url', 'config.http_method', 'config.payload', 'name']],
      [{ config: { ...CONFIG, base_url: 'api.example.com' } }, ['config.base_url', 'name']],
      [{ name: 'Sync' }, ['config']],
    ])('rejects %j with 400 VALIDATION_ERROR at exactly those paths, calling no upstream', async (json, paths) => {
      const response = await h.request(`${API}/integration-tasks`, { method: 'POST', token: ana, json });
      expect(response.status).toBe(400);
      const body = await errorBody(response);
      expect(body.code).toBe('VALIDATION_ERROR');
      expect([...new Set(issuePaths(body))].sort()).toEqual(paths);
      expect(h.calls()).toEqual([]);
    });

    it('is 415 for a body that is not JSON, calling no upstream', async () => {
      const response = await h.request(`${API}/integration-tasks`, {
        method: 'POST',
        token: ana,
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'Sync', config: CONFIG }),
      });
      expect(response.status).toBe(415);
      expect((await errorBody(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(h.calls()).toEqual([]);
    });
  });

  describe('GET /integration-tasks/{id}', () => {
    it("finds the caller's task in their list", async () => {
      const response = await h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}`, { token: ana });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: SEED_TASK_IDS.anaPending, task_name: 'Notificar proveedor' });
      expect(h.calls('tareas').map((call) => call.path)).toEqual(['/integration-tasks/get_tasks/']);
    });

    it("is 404 TASK_NOT_FOUND for another user's task", async () => {
      const response = await h.request(`${API}/integration-tasks/${SEED_TASK_IDS.luisPending}`, { token: ana });
      expect(response.status).toBe(404);
      expect((await errorBody(response)).code).toBe('TASK_NOT_FOUND');
    });

    it.each(['abc', '0', '-1', '1.5'])('is 400 VALIDATION_ERROR for the id %j without calling the service', async (id) => {
      const response = await h.request(`${API}/integration-tasks/${id}`, { token: ana });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toBe('VALIDATION_ERROR');
      expect(h.calls()).toEqual([]);
    });
  });

  describe('PUT and DELETE /integration-tasks/{id}', () => {
    it('forwards a rename to PUT /integration-tasks/{id}/ and answers the updated task', async () => {
      const id = SEED_TASK_IDS.anaPending;
      const response = await h.request(`${API}/integration-tasks/${id}`, { method: 'PUT', token: ana, json: { name: 'Renombrada' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id, task_name: 'Renombrada' });
      expect(h.writes('tareas')).toMatchObject([{ method: 'PUT', path: `/integration-tasks/${id}/`, body: { name: 'Renombrada' } }]);
    });

    it('rejects an update with neither name nor config, calling no upstream', async () => {
      const response = await h.request(`${API}/integration-tasks/2`, { method: 'PUT', token: ana, json: {} });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toBe('VALIDATION_ERROR');
      expect(h.calls()).toEqual([]);
    });

    it('deletes with 204 and an empty body, forwarding DELETE /integration-tasks/{id}/', async () => {
      const first = await h.request(`${API}/integration-tasks/${SEED_TASK_IDS.anaPending}`, { method: 'DELETE', token: ana });
      expect(first.status).toBe(204);
      expect(await first.text()).toBe('');
      expect(tasksOf(SEED_DNI.ana).map((task) => task.id)).toEqual([SEED_TASK_IDS.anaExecuted]);
      expect(h.writes('tareas').map((call) => `${call.method} ${call.path}`)).toEqual([
        `DELETE /integration-tasks/${SEED_TASK_IDS.anaPending}/`,
      ]);
    });
  });

  describe('task URLs that could reach inside the network (SSRF guard)', () => {
    // An IP literal, and a name the app's resolver (the fake DNS) points inside.
    const internal = ['http://169.254.169.254/latest/meta-data/', 'https://metadata.example.com/'];

    it.each(internal)('refuses to create a task calling %s: 400 config.base_url, nothing forwarded', async (base_url) => {
      const response = await h.request(`${API}/integration-tasks`, {
        method: 'POST',
        token: ana,
        json: { name: 'x', config: { base_url, http_method: 'GET' } },
      });
      expect(response.status).toBe(400);
      const body = await errorBody(response);
      expect(body.code).toBe('VALIDATION_ERROR');
      expect(body.details?.issues).toEqual([{ path: 'config.base_url', message: expect.any(String) }]);
      expect(h.calls()).toEqual([]);
    });
  });

  describe('POST /integration-tasks/{id}/execute', () => {
    const execute = (id: number | string) => h.request(`${API}/integration-tasks/${id}/execute`, { method: 'POST', token: ana });

    it('enqueues an own pending task once with 202, and polling shows it executed', async () => {
      const id = SEED_TASK_IDS.anaPending;
      const response = await execute(id);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ detail: expect.any(String), task_id: id, status: 'pendiente' });
      expect(h.writes('tareas').map((call) => `${call.method} ${call.path}`)).toEqual([`POST /integration-tasks/execute/${id}/`]);

      let task: TaskBody | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        const poll = await h.request(`${API}/integration-tasks/${id}`, { token: ana });
        expect(poll.status).toBe(200);
        task = (await poll.json()) as TaskBody;
        if (task.status === 'executed') break;
        await sleep(20);
      }
      expect(task?.status).toBe('executed');
      expect(task?.execution_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      expect(task?.result).toBeTruthy();
      expect(h.writes('tareas')).toHaveLength(1);
    });

    it('is 400 for a non-numeric id without calling the service', async () => {
      const response = await execute('abc');
      expect(response.status).toBe(400);
      expect(h.calls()).toEqual([]);
    });

    it('never retries the enqueue after a network error: one attempt, then 503', async () => {
      let attempts = 0;
      h.msw.use(
        http.post(`${TAREAS}/integration-tasks/execute/:id/`, () => {
          attempts++;
          return HttpResponse.error();
        }),
      );
      const response = await execute(SEED_TASK_IDS.anaPending);
      expect(response.status).toBe(503);
      const body = await errorBody(response);
      expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(body.details?.service).toBe('tareas');
      expect(attempts).toBe(1);
    });
  });
});
