// The committed OpenAPI document is honest: a client generated from it (openapi-typescript types +
// openapi-fetch) drives every endpoint of the running gateway over real sockets. This file must
// typecheck against the generated `paths` (so every path, parameter, body and response field used
// below is documented), and a middleware checks each answer at run time: its status is one the
// operation documents and its JSON body parses with the documented schema. (The committed document
// and its generated types are fresh, and the shape check itself is sound: openapi-drift.test.ts.)
import { createHash } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SEED_CMP,
  SEED_DNI,
  SEED_PASSWORDS,
  SEED_RECETA_IDS,
  SEED_TASK_IDS,
  prescriptionUploadForm,
  samplePrescriptionPdf,
  type UploadFormOptions,
} from '../../mocks/index.js';
import type { components, paths } from '../../openapi/schema.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';
import { documentedOperations, loadCommittedDocument, ShapeChecker } from '../helpers/openapi-shapes.js';

type Schemas = components['schemas'];

const document = loadCommittedDocument();
const shapes = new ShapeChecker(document);

let sut: GatewayUnderTest;
let cliente: Client<paths>;
let admin: Client<paths>;
let anonymous: Client<paths>;
/** `METHOD /schema/path` of every request that went through a client, with its status. */
const driven = new Map<string, Set<number>>();

/** Checks every answer against the document before the test sees it. */
const documentedAnswers: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const text = await response.clone().text();
    const contentType = response.headers.get('content-type');
    const body: unknown = text === '' ? undefined : contentType?.includes('json') ? JSON.parse(text) : text;
    shapes.check(request.method, schemaPath, response.status, contentType, body);
    const key = `${request.method} ${schemaPath}`;
    driven.set(key, (driven.get(key) ?? new Set()).add(response.status));
    return undefined;
  },
};

function clientFor(token: string | undefined): Client<paths> {
  const client = createClient<paths>({
    baseUrl: sut.url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  client.use(documentedAnswers);
  return client;
}

/**
 * `POST /recetas/upload` through the typed client. openapi-typescript types the form's binary parts
 * as strings, so the typed body names the documented file field and the body serializer sends the
 * real multipart form (a FormData: openapi-fetch then leaves Content-Type and its boundary to fetch).
 */
function upload(client: Client<paths>, pdf: Uint8Array, options: UploadFormOptions = {}) {
  const form = prescriptionUploadForm(pdf, options);
  return client.POST('/api/orchestrator/recetas/upload', {
    body: { archivoPDF: options.filename ?? 'receta.pdf' },
    bodySerializer: () => form,
  });
}

beforeAll(async () => {
  sut = await startGatewayUnderTest();
  cliente = clientFor(sut.clienteToken);
  admin = clientFor(sut.adminToken);
  anonymous = clientFor(undefined);
});

afterAll(async () => {
  await sut?.close();
});

beforeEach(async () => {
  await sut.resetMocks();
});

describe('a client generated from the committed document, against the running gateway', () => {
  it('health, echo and ready', async () => {
    const health = await anonymous.GET('/api/orchestrator/health');
    expect(health.response.status).toBe(200);
    const alive: Schemas['Health'] | undefined = health.data;
    expect(alive?.status).toBe('healthy');

    const echo = await anonymous.GET('/api/orchestrator/echo');
    expect(echo.response.status).toBe(200);
    expect(echo.data?.service).toBe('orchestrator');

    const ready = await anonymous.GET('/api/orchestrator/ready');
    expect(ready.response.status).toBe(200);
    expect(ready.data?.status).toBe('ready');
    expect(Object.keys(ready.data?.upstreams ?? {}).sort()).toEqual(['facturas', 'productos', 'recetas', 'tareas', 'usuarios']);
    expect(ready.data?.upstreams.usuarios?.breaker).toBe('closed');
  });

  it('POST /compras: a documented error comes back typed (409, 401) and a purchase is registered (201)', async () => {
    const parallelForm = await cliente.POST('/api/orchestrator/compras', { body: { productos: [4], cantidades: [5] } });
    expect(parallelForm.response.status).toBe(409);
    const lowStock: Schemas['Error'] | undefined = parallelForm.error;
    expect(lowStock?.code).toBe('INSUFFICIENT_STOCK');
    expect(lowStock?.requestId).toBe(parallelForm.response.headers.get('x-request-id'));

    const created = await cliente.POST('/api/orchestrator/compras', {
      body: { productos: [{ producto_id: 2, cantidad: 3 }, { producto_id: 3, cantidad: 1 }], datos_adicionales: { metodo_pago: 'tarjeta' } },
      params: { header: { 'idempotency-key': 'typed-client-purchase-1' } },
    });
    expect(created.response.status).toBe(201);
    const purchase: Schemas['RegisteredPurchase'] | undefined = created.data;
    expect(purchase?.productos).toEqual([2, 3]);
    expect(purchase?.cantidades).toEqual([3, 1]);
    expect(purchase?.productos_detalle.map((line) => line.producto_id)).toEqual([2, 3]);
    expect(purchase?.total).toBe(28.1);

    const noToken = await anonymous.POST('/api/orchestrator/compras', { body: { productos: [1], cantidades: [1] } });
    expect(noToken.response.status).toBe(401);
    expect(noToken.error?.code).toBe('UNAUTHENTICATED');
  });

  it('GET /compras/me (a new purchase listed with the current stock) and GET /compras/all (ADMIN; 403 for a CLIENTE)', async () => {
    const mine = await cliente.GET('/api/orchestrator/compras/me');
    expect(mine.response.status).toBe(200);
    expect(mine.response.headers.get('x-gateway-completed')).toBe('true');
    const compras: Schemas['EnrichedPurchase'][] = mine.data?.compras ?? [];
    expect(compras.length).toBeGreaterThan(0);
    for (const compra of compras) {
      expect(compra.productos_detalle).toHaveLength(new Set(compra.productos).size);
      for (const line of compra.productos_detalle) expect('error' in line).toBe(false);
    }

    const page = await admin.GET('/api/orchestrator/compras/all', { params: { query: { page: 1, pagesize: 2 } } });
    expect(page.response.status).toBe(200);
    expect(page.data).toMatchObject({ page: 1, pagesize: 2, total: 4 });
    expect(page.data?.compras.map((compra) => compra.id)).toEqual([3, 4]);

    const forbidden = await cliente.GET('/api/orchestrator/compras/all');
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.error?.code).toBe('FORBIDDEN');

    const badPage = await admin.GET('/api/orchestrator/compras/all', { params: { query: { page: 0 } } });
    expect(badPage.response.status).toBe(400);
    expect(badPage.error?.code).toBe('VALIDATION_ERROR');

    // A purchase just made (without an Idempotency-Key) is listed, with the stock as it is now.
    const stockOf = (list: Schemas['EnrichedPurchase'][], id: number) => {
      const line = list.flatMap((c) => c.productos_detalle).find((d) => d.producto_id === id);
      return line && 'stock' in line ? line.stock : undefined;
    };
    expect(stockOf(compras, 2)).toBe(80);
    const bought = await cliente.POST('/api/orchestrator/compras', { body: { productos: [{ producto_id: 2, cantidad: 3 }, { producto_id: 3, cantidad: 1 }] } });
    expect(bought.response.status).toBe(201);
    const after = (await cliente.GET('/api/orchestrator/compras/me')).data?.compras ?? [];
    expect(after.find((compra) => compra.id === bought.data?.id)).toMatchObject({ productos: [2, 3], cantidades: [3, 1] });
    expect([stockOf(after, 2), stockOf(after, 3)]).toEqual([77, 39]);
  });

  it('PUT /recetas/estado and PUT /recetas/validar', async () => {
    const validated = await cliente.PUT('/api/orchestrator/recetas/validar/{receta_id}', {
      params: { path: { receta_id: SEED_RECETA_IDS.anaPendingValid } },
    });
    expect(validated.response.status).toBe(200);
    const result: Schemas['PrescriptionStateResult'] | undefined = validated.data;
    expect(result?.receta.estadoValidacion).toBe('validada');
    expect(result?.validaciones).toMatchObject({ medico_valido: true, paciente_valido: true });

    // A doctor whose licence is not valid: 422, and nothing written (the writes are checked below).
    const badDoctor = await cliente.PUT('/api/orchestrator/recetas/validar/{receta_id}', {
      params: { path: { receta_id: SEED_RECETA_IDS.anaPendingBadDoctor } },
    });
    expect(badDoctor.response.status).toBe(422);
    expect(badDoctor.error?.code).toBe('PRESCRIPTION_INVALID');

    // Rejecting is a pharmacist's decision: an ADMIN's.
    const rejected = await admin.PUT('/api/orchestrator/recetas/estado/{receta_id}', {
      params: { path: { receta_id: SEED_RECETA_IDS.anaPendingBadDoctor } },
      body: { estadovalidacion: 'rechazada' },
    });
    expect(rejected.response.status).toBe(200);
    expect(rejected.data?.receta.estadoValidacion).toBe('rechazada');
    expect(rejected.data?.validaciones).toBeUndefined();

    const invalid = await cliente.PUT('/api/orchestrator/recetas/estado/{receta_id}', {
      params: { path: { receta_id: SEED_RECETA_IDS.anaPendingUnknownDoctor } },
      body: { estadovalidacion: 'VALIDADA' },
    });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error?.code).toBe('PRESCRIPTION_INVALID');

    const notMine = await cliente.PUT('/api/orchestrator/recetas/validar/{receta_id}', {
      params: { path: { receta_id: SEED_RECETA_IDS.luisPending } },
    });
    // Another patient's prescription does not exist for a CLIENTE.
    expect(notMine.response.status).toBe(404);
    expect(notMine.error?.code).toBe('PRESCRIPTION_NOT_FOUND');
    // Written: the validated one and the rejected one, nothing for the refusals.
    const writes = sut.mocks.calls('recetas').filter((call) => call.method === 'PUT').map((call) => call.path);
    expect(writes).toEqual([`/api/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, `/api/recetas/estado/${SEED_RECETA_IDS.anaPendingBadDoctor}`]);
  });

  it('integration tasks: list, create, get, put, execute, delete', async () => {
    const list = await cliente.GET('/api/orchestrator/integration-tasks');
    expect(list.response.status).toBe(200);
    const tasks: Schemas['Task'][] = list.data ?? [];
    expect(tasks.map((task) => task.id)).toEqual(expect.arrayContaining([SEED_TASK_IDS.anaExecuted, SEED_TASK_IDS.anaPending]));

    const created = await cliente.POST('/api/orchestrator/integration-tasks', {
      body: { name: 'Typed client', config: { base_url: 'https://api.example.com/typed', http_method: 'POST', payload: { a: 1 } } },
    });
    expect(created.response.status).toBe(201);
    const id = String(created.data?.id);
    expect(created.data?.task_name).toBe('Typed client');
    expect(created.data?.config.http_method).toBe('POST');

    const read = await cliente.GET('/api/orchestrator/integration-tasks/{id}', { params: { path: { id } } });
    expect(read.response.status).toBe(200);
    expect(read.data?.id).toBe(Number(id));

    const updated = await cliente.PUT('/api/orchestrator/integration-tasks/{id}', {
      params: { path: { id } },
      body: { name: 'Typed client, renamed' },
    });
    expect(updated.response.status).toBe(200);
    expect(updated.data?.task_name).toBe('Typed client, renamed');

    const executed = await cliente.POST('/api/orchestrator/integration-tasks/{id}/execute', { params: { path: { id } } });
    expect(executed.response.status).toBe(202);
    const accepted: Schemas['ExecutionAccepted'] | undefined = executed.data;
    expect(accepted?.task_id).toBe(Number(id));

    const removed = await cliente.DELETE('/api/orchestrator/integration-tasks/{id}', { params: { path: { id } } });
    expect(removed.response.status).toBe(204);

    const gone = await cliente.GET('/api/orchestrator/integration-tasks/{id}', { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error?.code).toBe('TASK_NOT_FOUND');
  });

  it('POST /facturas: 202, then 409 for the same Idempotency-Key', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const batch: Schemas['InvoiceBatch'] = [{ numero_factura: 'F-TYPED-1', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: today }];
    const headers = { 'idempotency-key': 'typed-client-invoices-1' };
    const first = await cliente.POST('/api/orchestrator/facturas', { params: { header: headers }, body: batch });
    expect(first.response.status).toBe(202);
    const intake: Schemas['InvoiceIntakeAccepted'] | undefined = first.data;
    expect(typeof intake?.detail).toBe('string');

    const replay = await cliente.POST('/api/orchestrator/facturas', { params: { header: headers }, body: batch });
    expect(replay.response.status).toBe(409);
    expect(replay.error?.code).toBe('DUPLICATE_REQUEST');
    // Both reach the queue, which answers the replay, under the key scoped to the caller: SHA-256 of "<sub>:<key>".
    const scoped = createHash('sha256').update(`${SEED_DNI.ana}:typed-client-invoices-1`).digest('hex');
    const forwarded = sut.mocks.calls('facturas').filter((call) => call.method === 'POST');
    expect(forwarded.map((call) => call.headers['idempotency-key'])).toEqual([scoped, scoped]);

    const invalid = await cliente.POST('/api/orchestrator/facturas', {
      params: { header: { 'idempotency-key': 'typed-client-invoices-2' } },
      body: [{ numero_factura: 'F-TYPED-2', rut_cliente: '11.111.111-2', monto: 10, fecha_emision: today }],
    });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error?.code).toBe('VALIDATION_ERROR');
  });

  it('POST /auth/login and /auth/register (open to anyone), then GET and PUT /user/me with the issued token', async () => {
    const login = await anonymous.POST('/api/orchestrator/auth/login', { body: { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana } });
    expect(login.response.status).toBe(200);
    const issued: Schemas['IssuedToken'] | undefined = login.data;
    expect(issued?.token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);

    // One answer for a wrong password and an unknown account.
    const wrong = await anonymous.POST('/api/orchestrator/auth/login', { body: { dni: SEED_DNI.ana, password: 'not-her-password' } });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error?.code).toBe('UNAUTHENTICATED');
    const byEmail = await anonymous.POST('/api/orchestrator/auth/login', { body: { email: 'nadie@example.com', password: 'x' } });
    expect(byEmail.response.status).toBe(401);
    expect(byEmail.error?.error).toBe(wrong.error?.error);

    const rosa: Schemas['RegisterRequest'] = {
      email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco',
    };
    const registered = await anonymous.POST('/api/orchestrator/auth/register', { body: rosa });
    expect(registered.response.status).toBe(200);
    expect(registered.data?.token).toMatch(/^ey/);
    const again = await anonymous.POST('/api/orchestrator/auth/register', { body: rosa });
    expect(again.response.status).toBe(409);
    expect(again.error?.code).toBe('CONFLICT');

    // The token the users service issued works on the gateway's bearer routes.
    const ana = clientFor(issued?.token);
    const profile = await ana.GET('/api/orchestrator/user/me');
    expect(profile.response.status).toBe(200);
    const me: Schemas['Profile'] | undefined = profile.data;
    expect(me).toMatchObject({ dni: SEED_DNI.ana, role: 'CLIENTE' });

    const changed = await ana.PUT('/api/orchestrator/user/me', { body: { distrito: 'Barranco', nombre: '' } });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({ dni: SEED_DNI.ana, distrito: 'Barranco', nombre: me?.nombre });

    const noToken = await anonymous.GET('/api/orchestrator/user/me');
    expect(noToken.response.status).toBe(401);
    expect(noToken.error?.code).toBe('UNAUTHENTICATED');
    const badEmail = await ana.PUT('/api/orchestrator/user/me', { body: { email: 'not-an-email' } });
    expect(badEmail.response.status).toBe(400);
    expect(badEmail.error?.code).toBe('VALIDATION_ERROR');
  });

  it('the catalogue (open to anyone): five listings, one product (404 for an unknown one) and the offers', async () => {
    const paged = await anonymous.GET('/api/orchestrator/productos/paged', { params: { query: { page: 1, pagesize: 3 } } });
    expect(paged.response.status).toBe(200);
    const page: Schemas['ProductPage'] | undefined = paged.data;
    expect(page).toMatchObject({ page: 1, pagesize: 3 });
    expect(page?.productos).toHaveLength(3);

    const byName = await anonymous.GET('/api/orchestrator/productos/nombre', { params: { query: { nombre: 'amoxi' } } });
    expect(byName.response.status).toBe(200);
    expect(byName.data?.productos.map((product) => product.nombre)).toEqual(['Amoxicilina 500mg']);

    const byType = await anonymous.GET('/api/orchestrator/productos/tipo', { params: { query: { tipo: 'antibiotico', pagesize: 10 } } });
    expect(byType.response.status).toBe(200);
    expect(byType.data?.productos.map((product) => product.id).sort()).toEqual([3, 8]);

    const prescribed = await anonymous.GET('/api/orchestrator/productos/receta', { params: { query: { requiere_receta: 'true' } } });
    expect(prescribed.response.status).toBe(200);
    expect(prescribed.data?.productos.every((product) => product.requiere_receta)).toBe(true);

    const lowStock = await anonymous.GET('/api/orchestrator/productos/stock-bajo', { params: { query: { minimo: 5 } } });
    expect(lowStock.response.status).toBe(200);
    expect(lowStock.data?.productos.every((product) => product.stock < 5)).toBe(true);

    const product = await anonymous.GET('/api/orchestrator/productos/{id}', { params: { path: { id: '3' } } });
    expect(product.response.status).toBe(200);
    const amoxicilina: Schemas['Product'] | undefined = product.data;
    expect(amoxicilina).toMatchObject({ id: 3, nombre: 'Amoxicilina 500mg', requiere_receta: true });

    const unknown = await anonymous.GET('/api/orchestrator/productos/{id}', { params: { path: { id: '999' } } });
    expect(unknown.response.status).toBe(404);
    expect(unknown.error?.code).toBe('PRODUCT_NOT_FOUND');
    const notAnId = await anonymous.GET('/api/orchestrator/productos/{id}', { params: { path: { id: 'abc' } } });
    expect(notAnId.response.status).toBe(400);

    const offers = await anonymous.GET('/api/orchestrator/ofertas/all');
    expect(offers.response.status).toBe(200);
    const list: Schemas['Offers'] = offers.data ?? [];
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]?.detalles.length).toBeGreaterThan(0);
  });

  it('POST /recetas/upload (multipart PDF: 201, 415 for a non-PDF) and GET /recetas/{receta_id} (404 for another patient)', async () => {
    const anaPdf = samplePrescriptionPdf({
      dni: SEED_DNI.ana,
      cmp: SEED_CMP.rosaSalas,
      fecha: new Date().toISOString().slice(0, 10),
      productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }],
    });
    const uploaded = await upload(cliente, anaPdf, { fields: { pacienteDNI: SEED_DNI.ana } });
    expect(uploaded.response.status).toBe(201);
    const result: Schemas['PrescriptionUploadResult'] | undefined = uploaded.data;
    expect(result?.receta).toMatchObject({ pacienteDNI: SEED_DNI.ana, medicoCMP: SEED_CMP.rosaSalas, estadoValidacion: 'pendiente' });
    const id = String(result?.receta._id);

    // The field name one page of the web frontend uses is accepted too.
    const asFile = await upload(cliente, anaPdf, { field: 'file' });
    expect(asFile.response.status).toBe(201);

    const notPdf = await upload(cliente, Buffer.from('GIF89a: an image, not a prescription'), { type: 'image/gif', filename: 'receta.gif' });
    expect(notPdf.response.status).toBe(415);
    expect(notPdf.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const noToken = await upload(anonymous, anaPdf);
    expect(noToken.response.status).toBe(401);

    const read = await cliente.GET('/api/orchestrator/recetas/{receta_id}', { params: { path: { receta_id: id } } });
    expect(read.response.status).toBe(200);
    const receta: Schemas['Prescription'] | undefined = read.data;
    expect(receta).toMatchObject({ _id: id, pacienteDNI: SEED_DNI.ana, estadoValidacion: 'pendiente' });

    // Another patient's prescription does not exist for a CLIENTE; an ADMIN (a pharmacist) reads it.
    const notMine = await cliente.GET('/api/orchestrator/recetas/{receta_id}', { params: { path: { receta_id: SEED_RECETA_IDS.luisPending } } });
    expect(notMine.response.status).toBe(404);
    expect(notMine.error?.code).toBe('PRESCRIPTION_NOT_FOUND');
    const asAdmin = await admin.GET('/api/orchestrator/recetas/{receta_id}', { params: { path: { receta_id: SEED_RECETA_IDS.luisPending } } });
    expect(asAdmin.response.status).toBe(200);
    expect(asAdmin.data?.pacienteDNI).toBe(SEED_DNI.luis);
  });

  // Runs last (tests of a file run in order): a new route in the document fails here until it is driven above.
  it('drove every operation of the document', () => {
    expect([...driven.keys()].sort()).toEqual(documentedOperations(document).sort());
  });
});
