// The gateway's parsers against the real services' answer formats, and the mocks against the same
// formats: the task list once broke because both the parser and the mock took `execution_time`
// for a number while Django sends a date-time. The routes the frontends pass through (accounts,
// catalogue, uploads) are compared with their fixtures where they are exercised, in
// mock-passthrough-routes; the invoice queue's answers in mocks.test.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createMockUpstreams,
  prescriptionUploadForm,
  samplePrescriptionPdf,
  SEED_CMP,
  SEED_DNI,
  SEED_RECETA_IDS,
  SEED_TASK_IDS,
  signMockToken,
} from '../../mocks/index.js';
import { IntakeAnswerSchema } from '../../src/upstreams/facturas/facturas-client.js';
import { ProductSchema } from '../../src/upstreams/productos/productos-payloads.js';
import { DoctorPageSchema, PrescriptionPageSchema, PrescriptionSchema, StateUpdateSchema } from '../../src/upstreams/recetas/recetas-payloads.js';
import { ExecuteAnswerSchema, TaskListSchema, TaskSchema } from '../../src/upstreams/tareas/tareas-payloads.js';
import { StoredPurchaseListSchema, PurchaseSchema, UserSchema } from '../../src/upstreams/usuarios/usuarios-payloads.js';
import { FACTURAS, PRODUCTOS, RECETAS, TAREAS, USUARIOS, formOf } from '../fixtures/upstream-answers.js';

const SECRET = 'fixtures-test-secret-of-at-least-32-bytes';

describe("the gateway's parsers accept every real-format answer", () => {
  const cases: Array<[string, z.ZodType, unknown]> = [
    ['users: /api/user/me', UserSchema, USUARIOS.userMe],
    ['users: a registration echo (9 fraction digits)', PurchaseSchema, USUARIOS.purchaseRegistered],
    ['users: a stored purchase', StoredPurchaseListSchema, [USUARIOS.purchaseStored, USUARIOS.purchaseStoredWholeSecond]],
    ['products: a product', ProductSchema, PRODUCTOS.product],
    ['products: a whole price and a fractional update time', ProductSchema, PRODUCTOS.productWholePrice],
    ['prescriptions: a document with __v, archivoPDF and subdocument ids', PrescriptionSchema, RECETAS.receta],
    ['prescriptions: the validar read with pdfUrl', PrescriptionSchema, RECETAS.recetaWithPdfUrl],
    ['prescriptions: the validar read with pdfUrl null', PrescriptionSchema, RECETAS.recetaWithoutPdfUrl],
    ['prescriptions: the filter page', PrescriptionPageSchema, RECETAS.filterPage],
    ['prescriptions: the doctors page', DoctorPageSchema, RECETAS.doctorPage],
    ['prescriptions: the estado answer', StateUpdateSchema, RECETAS.estadoAnswer],
    ['prescriptions: the validar answer', StateUpdateSchema, RECETAS.validarAnswer],
    ['tasks: a pending task', TaskSchema, TAREAS.pending],
    ['tasks: an executed task (Z)', TaskSchema, TAREAS.executed],
    ['tasks: an executed task (offset, null result)', TaskSchema, TAREAS.executedWithOffset],
    ['tasks: the list', TaskListSchema, [TAREAS.executed, TAREAS.pending, TAREAS.executedWithOffset]],
    ['tasks: execute accepted (task_id a string)', ExecuteAnswerSchema, TAREAS.executeAccepted],
    ['invoices: accepted', IntakeAnswerSchema, FACTURAS.accepted],
  ];

  it.each(cases)('%s', (_name, schema, answer) => {
    const parsed = schema.safeParse(JSON.parse(JSON.stringify(answer)));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

describe('the mocks answer in the real formats', () => {
  const mocks = createMockUpstreams({ jwtSecret: SECRET, taskExecutionDelayMs: 1 });
  const validar = createMockUpstreams({ jwtSecret: SECRET, recetasApi: 'validar' });
  const bearer = async (dni: string = SEED_DNI.ana, role: 'CLIENTE' | 'ADMIN' = 'CLIENTE') => ({
    authorization: `Bearer ${await signMockToken(SECRET, { dni, role })}`,
  });
  const json = async (response: Response | Promise<Response>) => (await response).json() as Promise<unknown>;
  const post = async (body: unknown, headers: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  it('users: /api/user/me, a registration, the stored purchases and the access-denied body', async () => {
    const { usuarios } = mocks.apps;
    expect(formOf(await json(usuarios.request('/api/user/me', { headers: await bearer() })))).toEqual(formOf(USUARIOS.userMe));
    const registered = await json(usuarios.request('/api/compras', await post({ usuarioId: null, productos: [1], cantidades: [1] }, await bearer())));
    expect(formOf(registered)).toEqual(formOf(USUARIOS.purchaseRegistered));
    const [stored] = (await json(usuarios.request('/api/compras/me', { headers: await bearer() }))) as unknown[];
    expect(formOf(stored)).toEqual(formOf(USUARIOS.purchaseStored));
    expect(formOf(await json(usuarios.request('/api/compras/me')))).toEqual(formOf(USUARIOS.accessDenied));
    const malformed = await json(usuarios.request('/api/compras', await post({ productos: [1] }, await bearer())));
    expect(formOf(malformed)).toEqual(formOf(USUARIOS.internalError));
  });

  it('products: a product and the 404, every catalogue listing a page (also past the end), the offers', async () => {
    const { productos } = mocks.apps;
    expect(formOf(await json(productos.request('/api/productos/3')))).toEqual(formOf(PRODUCTOS.product));
    expect(await json(productos.request('/api/productos/999'))).toEqual(PRODUCTOS.notFound);
    for (const path of ['paged', 'nombre?nombre=a', 'tipo?tipo=anti', 'receta?requiere_receta=true', 'stock-bajo?minimo=50']) {
      expect(formOf(await json(productos.request(`/api/productos/${path}`))), path).toEqual(formOf(PRODUCTOS.page));
    }
    expect(formOf(await json(productos.request('/api/productos/paged?page=4')))).toEqual(formOf(PRODUCTOS.pageEmpty));
    expect(formOf(await json(productos.request('/api/ofertas/all')))).toEqual(formOf(PRODUCTOS.offers));
  });

  it('prescriptions (estado): a document, the filter, the doctors and the state change', async () => {
    const { recetas } = mocks.apps;
    expect(formOf(await json(recetas.request(`/api/recetas/${SEED_RECETA_IDS.anaPendingValid}`)))).toEqual(formOf(RECETAS.receta));
    expect(formOf(await json(recetas.request(`/api/recetas/filter?dni=${SEED_DNI.ana}`)))).toEqual(formOf(RECETAS.filterPage));
    expect(formOf(await json(recetas.request('/api/medicos/filter?cmp=CMP12345')))).toEqual(formOf(RECETAS.doctorPage));
    const changed = await recetas.request(`/api/recetas/estado/${SEED_RECETA_IDS.luisPending}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ estadoValidacion: 'validada' }),
    });
    expect(formOf(await json(changed))).toEqual(formOf(RECETAS.estadoAnswer));
  });

  it('prescriptions (validar): the read with pdfUrl, the validation, a refusal, and Express HTML for the other route', async () => {
    const { recetas } = validar.apps;
    expect(formOf(await json(recetas.request(`/api/recetas/${SEED_RECETA_IDS.anaPendingValid}`)))).toEqual(formOf(RECETAS.recetaWithPdfUrl));
    const validated = await recetas.request(`/api/recetas/${SEED_RECETA_IDS.anaPendingValid}/validar`, { method: 'PUT' });
    expect(formOf(await json(validated))).toEqual(formOf(RECETAS.validarAnswer));
    // An uploaded prescription too: its read has a presigned pdfUrl, and it validates.
    const today = new Date().toISOString().slice(0, 10);
    const pdf = samplePrescriptionPdf({ dni: SEED_DNI.ana, cmp: SEED_CMP.rosaSalas, fecha: today, productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }] });
    const { receta } = (await json(recetas.request('/api/recetas/upload', { method: 'POST', body: prescriptionUploadForm(pdf) }))) as { receta: { _id: string } };
    const read = await json(recetas.request(`/api/recetas/${receta._id}`));
    expect(formOf(read)).toEqual(formOf(RECETAS.recetaWithPdfUrl));
    expect((read as { pdfUrl: string }).pdfUrl).toMatch(/^https:\/\/.+\.pdf\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=900&/);
    expect(formOf(await json(recetas.request(`/api/recetas/${receta._id}/validar`, { method: 'PUT' })))).toEqual(formOf(RECETAS.validarAnswer));
    const refused = await recetas.request(`/api/recetas/${SEED_RECETA_IDS.anaPendingBadDoctor}/validar`, { method: 'PUT' });
    expect([refused.status, await refused.json()]).toEqual([400, RECETAS.validarRefused]);
    const legacy = await recetas.request(`/api/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { method: 'PUT' });
    expect(legacy.status).toBe(404);
    expect(legacy.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await legacy.text()).replace(SEED_RECETA_IDS.anaPendingValid, 'ID')).toBe(
      RECETAS.expressNotFound.replace('6702f1c2a1b2c3d4e5f60718', 'ID'),
    );
  });

  it('tasks: pending and executed tasks (execution_time a date-time), and the execute answer', async () => {
    const { tareas } = mocks.apps;
    const headers = await bearer();
    const accepted = await json(tareas.request(`/integration-tasks/execute/${SEED_TASK_IDS.anaPending}/`, { method: 'POST', headers }));
    expect(formOf(accepted)).toEqual(formOf(TAREAS.executeAccepted));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const list = (await json(tareas.request('/integration-tasks/get_tasks/', { headers }))) as Array<{ id: number }>;
    const executed = list.find((task) => task.id === SEED_TASK_IDS.anaPending);
    expect(formOf({ ...executed, result: TAREAS.executed.result })).toEqual(formOf(TAREAS.executed));
    const created = await json(tareas.request('/integration-tasks/', await post({ name: 'x', config: TAREAS.pending.config }, headers)));
    expect(formOf(created)).toEqual(formOf(TAREAS.pending));
  });
});
