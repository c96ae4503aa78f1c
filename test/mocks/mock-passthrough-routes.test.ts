// The mock routes the gateway passes the frontends through to (accounts on the users service, the
// products catalogue, prescription uploads), through both transports the gateway's tests use: the
// msw handlers and the real mock servers. Same apps, so the same answers. Where an answer has a
// real-format fixture (test/fixtures/upstream-answers.ts) it is compared with that fixture.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMswHandlers } from '../../mocks/handlers/msw-handlers.js';
import {
  MAX_PDF_BYTES,
  SEED_CMP,
  SEED_DNI,
  SEED_PASSWORDS,
  SERVICE_NAMES,
  createMockUpstreams,
  prescriptionUploadForm,
  readPdfTextLines,
  samplePrescriptionPdf,
  verifyBearer,
} from '../../mocks/index.js';
import type { MockUpstreams, SamplePrescription, ServiceName } from '../../mocks/index.js';
import { startMockServers } from '../../mocks/servers/start-mock-servers.js';
import type { RunningMockServers } from '../../mocks/servers/start-mock-servers.js';
import { PRODUCTOS, RECETAS, USUARIOS, formOf } from '../fixtures/upstream-answers.js';

const SECRET = 'passthrough-test-secret-of-at-least-32-bytes';
const NOW = new Date('2025-10-05T15:04:05.123Z');

const PRESCRIPTION: SamplePrescription = {
  dni: SEED_DNI.ana,
  cmp: SEED_CMP.rosaSalas,
  fecha: '2025-10-01',
  productos: [
    { id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 },
    { id: 1, nombre: 'Paracetamol 500mg', cantidad: 1 },
  ],
  observaciones: 'Tomar cada 8 horas (con comida)',
};

interface Transport {
  name: string;
  mocks: MockUpstreams;
  start(): Promise<Record<ServiceName, string>>;
  stop(): Promise<void>;
}

function mswTransport(): Transport {
  const mocks = createMockUpstreams({ jwtSecret: SECRET, now: () => NOW });
  const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `http://${s}.mock.test`])) as Record<ServiceName, string>;
  // A base URL with a path prefix, as a deployment behind a path-routing proxy has.
  urls.recetas = 'http://recetas.mock.test/recetas-api';
  const server = setupServer(...createMswHandlers(mocks, urls));
  return {
    name: 'msw handlers',
    mocks,
    start: async () => {
      server.listen({ onUnhandledRequest: 'error' });
      return urls;
    },
    stop: async () => server.close(),
  };
}

function serverTransport(): Transport {
  const mocks = createMockUpstreams({ jwtSecret: SECRET, now: () => NOW });
  let servers: RunningMockServers | undefined;
  return {
    name: 'real mock servers',
    mocks,
    start: async () => {
      servers = await startMockServers(mocks);
      return servers.urls;
    },
    stop: async () => servers?.close(),
  };
}

describe.each([mswTransport(), serverTransport()])('through the $name', (transport) => {
  let urls: Record<ServiceName, string>;
  beforeAll(async () => {
    urls = await transport.start();
  });
  afterAll(() => transport.stop());
  beforeEach(() => transport.mocks.reset());

  const send = async (service: ServiceName, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${urls[service]}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
  };
  const postJson = (service: ServiceName, path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
    send(service, path, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });
  /** A Spring error answer as a fixture records it; its timestamp any local date-time with a fraction (the fixture's form). */
  const spring = ({ status, error, message }: { status: number; error: string; message: string }) => ({
    status,
    body: { status, error, message, timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/) },
  });
  const internalError = spring(USUARIOS.internalError);

  describe('users: login', () => {
    it('issues the service token (sub the DNI, the stored role) by DNI or by email, the email winning when both are sent', async () => {
      const byDni = await postJson('usuarios', '/api/auth/login', { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana });
      expect(byDni.status).toBe(200);
      expect(Object.keys(byDni.body ?? {})).toEqual(['token']);
      expect(await verifyBearer(`Bearer ${String(byDni.body?.['token'])}`, SECRET)).toEqual({ dni: SEED_DNI.ana, role: 'CLIENTE' });

      const admin = await postJson('usuarios', '/api/auth/login', { email: 'carla@example.com', password: SEED_PASSWORDS.admin });
      expect(await verifyBearer(`Bearer ${String(admin.body?.['token'])}`, SECRET)).toEqual({ dni: SEED_DNI.admin, role: 'ADMIN' });

      const both = await postJson('usuarios', '/api/auth/login', { email: 'luis@example.com', dni: SEED_DNI.ana, password: SEED_PASSWORDS.luis });
      expect(await verifyBearer(`Bearer ${String(both.body?.['token'])}`, SECRET)).toMatchObject({ dni: SEED_DNI.luis });
      const bothWrong = await postJson('usuarios', '/api/auth/login', { email: 'nadie@example.com', dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana });
      expect(bothWrong).toEqual(spring(USUARIOS.loginUnknownUser));
    });

    it('answers 400 for an unknown user or no identifier, 401 for a wrong password, 400 validationErrors for a blank password', async () => {
      expect(await postJson('usuarios', '/api/auth/login', { dni: SEED_DNI.unregistered, password: 'x' })).toEqual(
        spring(USUARIOS.loginUnknownUser),
      );
      expect(await postJson('usuarios', '/api/auth/login', { dni: '  ', password: 'x' })).toEqual(
        spring(USUARIOS.loginWithoutIdentifier),
      );
      expect(await postJson('usuarios', '/api/auth/login', { dni: SEED_DNI.ana, password: 'ana12346' })).toEqual(
        spring(USUARIOS.loginWrongPassword),
      );
      const blank = await postJson('usuarios', '/api/auth/login', { dni: SEED_DNI.ana, password: ' ', email: 'sin-arroba' });
      expect(blank).toEqual({
        status: 400,
        body: {
          timestamp: expect.any(String),
          status: 400,
          error: 'Errores de validación',
          validationErrors: { email: 'Formato de email inválido', password: 'La constraseña es obligatoria' },
        },
      });
      // Spring answers what it cannot read (or another media type) from its catch-all handler.
      expect(await send('usuarios', '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).toEqual(internalError);
      expect(await send('usuarios', '/api/auth/login', { method: 'POST', body: 'dni=1' })).toEqual(internalError);
      expect(await send('usuarios', '/api/auth/login')).toEqual(internalError);
    });
  });

  describe('users: register', () => {
    const account = { email: 'rosa@example.com', password: 'rosa12345', nombre: 'Rosa', apellido: 'Díaz', dni: '74561234', distrito: 'Lince' };

    it('registers a CLIENTE (200 with a token) who can then log in and read and change their profile', async () => {
      const registered = await postJson('usuarios', '/api/auth/register', { ...account, role: 'ADMIN' });
      expect(registered.status).toBe(200);
      expect(formOf(registered.body)).toEqual(formOf(USUARIOS.issuedToken));
      expect(await verifyBearer(`Bearer ${String(registered.body?.['token'])}`, SECRET)).toEqual({ dni: account.dni, role: 'CLIENTE' });
      expect(transport.mocks.state.data.usuarios.users.at(-1)).toMatchObject({ id: 6, dni: account.dni, role: 'CLIENTE' });

      const login = await postJson('usuarios', '/api/auth/login', { email: account.email, password: account.password });
      expect(login.status).toBe(200);
      const me = await send('usuarios', '/api/user/me', { headers: bearer(login.body?.['token']) });
      expect(me).toEqual({
        status: 200,
        body: { dni: account.dni, email: account.email, nombre: 'Rosa', apellido: 'Díaz', role: 'CLIENTE', distrito: 'Lince' },
      });
    });

    it('answers 409 for a taken email or DNI, 400 validationErrors for refused fields, 400 without them when saving fails', async () => {
      expect(await postJson('usuarios', '/api/auth/register', { ...account, email: 'ana@example.com' })).toEqual(
        spring(USUARIOS.registerExists),
      );
      expect(await postJson('usuarios', '/api/auth/register', { ...account, dni: SEED_DNI.luis })).toEqual(
        spring({ ...USUARIOS.registerExists, message: `Ya existe un usuario con el DNI: ${SEED_DNI.luis}` }),
      );
      const refused = await postJson('usuarios', '/api/auth/register', { ...account, email: 'rosa-at-example.com', nombre: '', apellido: null, distrito: undefined });
      expect(refused).toEqual({
        status: 400,
        body: {
          timestamp: expect.any(String),
          status: 400,
          error: 'Errores de validación',
          validationErrors: {
            email: 'Formato de email inválido',
            nombre: 'El nombre es obligatorio',
            apellido: 'El apellido es obligatorio',
            distrito: 'El distrito es obligatorio',
          },
        },
      });
      const two = await postJson('usuarios', '/api/auth/register', { ...account, email: 'no-es-email', nombre: ' ' });
      expect(two).toEqual({ status: 400, body: { ...USUARIOS.validationErrors, timestamp: expect.any(String) } });
      expect(formOf(two.body)).toEqual(formOf(USUARIOS.validationErrors));
      const failed = spring(USUARIOS.registerFailed);
      expect(await postJson('usuarios', '/api/auth/register', { ...account, dni: '1234567' })).toEqual(failed);
      expect(await postJson('usuarios', '/api/auth/register', { ...account, password: 'ñ'.repeat(37) })).toEqual(failed);
      expect(await postJson('usuarios', '/api/auth/register', { ...account, dni: 'ABC12345' })).toEqual(failed);
      expect(transport.mocks.state.data.usuarios.users).toHaveLength(4);
    });
  });

  describe('users: PUT /api/user/me', () => {
    const loginAs = async (dni: string, password: string) =>
      bearer((await postJson('usuarios', '/api/auth/login', { dni, password })).body?.['token']);

    it('changes the sent non-blank fields (trimmed) and answers the /me shape; a new password works at once', async () => {
      const headers = await loginAs(SEED_DNI.ana, SEED_PASSWORDS.ana);
      const updated = await postJson('usuarios', '/api/user/me', { nombre: '  Ana María ', apellido: '', distrito: 'Barranco', email: 'ana.q@example.com', password: 'nueva-clave' }, headers, 'PUT');
      expect(updated).toEqual({
        status: 200,
        body: { dni: SEED_DNI.ana, email: 'ana.q@example.com', nombre: 'Ana María', apellido: 'Quispe', role: 'CLIENTE', distrito: 'Barranco' },
      });
      expect((await postJson('usuarios', '/api/auth/login', { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana })).status).toBe(401);
      expect((await postJson('usuarios', '/api/auth/login', { email: 'ana.q@example.com', password: 'nueva-clave' })).status).toBe(200);
    });

    it("answers the catch-all 500 for an email already stored (another user's, or the caller's own) and changes nothing", async () => {
      const headers = await loginAs(SEED_DNI.ana, SEED_PASSWORDS.ana);
      expect(await postJson('usuarios', '/api/user/me', { nombre: 'Otra', email: 'luis@example.com' }, headers, 'PUT')).toEqual(internalError);
      expect(await postJson('usuarios', '/api/user/me', { email: 'ana@example.com' }, headers, 'PUT')).toEqual(internalError);
      expect((await send('usuarios', '/api/user/me', { headers })).body).toMatchObject({ nombre: 'Ana', email: 'ana@example.com' });
    });

    it('needs the bearer token (403), but refuses an invalid email (400) before looking at it', async () => {
      expect(await postJson('usuarios', '/api/user/me', { nombre: 'X' }, {}, 'PUT')).toEqual({
        status: 403,
        body: { status: 403, error: 'Acceso denegado', message: 'Access Denied', timestamp: expect.stringMatching(/Z$/) },
      });
      expect(await postJson('usuarios', '/api/user/me', { email: 'no-es-email' }, {}, 'PUT')).toEqual({
        status: 400,
        body: { timestamp: expect.any(String), status: 400, error: 'Errores de validación', validationErrors: { email: 'El email debe ser válido' } },
      });
    });
  });

  describe('products: the catalogue', () => {
    const ids = (body: Record<string, unknown> | null) => (body?.['productos'] as Array<{ id: number }>).map((p) => p.id);

    it('pages every product with the defaults page 1 and pagesize 25, before /api/productos/{id}', async () => {
      const all = await send('productos', '/api/productos/paged');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: 8, page: 1, pagesize: 25 });
      expect(Object.keys(all.body ?? {})).toEqual(['total', 'page', 'pagesize', 'productos']);
      expect(ids(all.body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const second = await send('productos', '/api/productos/paged?page=2&pagesize=3');
      expect([second.body?.['total'], second.body?.['page'], second.body?.['pagesize'], ids(second.body)]).toEqual([8, 2, 3, [4, 5, 6]]);
      expect(ids((await send('productos', '/api/productos/paged?page=9')).body)).toEqual([]);
      expect((await send('productos', '/api/productos/3')).body).toMatchObject({ id: 3, nombre: 'Amoxicilina 500mg' });
    });

    it('filters by name and type (case-insensitive substring), prescription, and stock below a minimum (default 10)', async () => {
      expect(ids((await send('productos', '/api/productos/nombre?nombre=AMOX')).body)).toEqual([3]);
      expect(ids((await send('productos', '/api/productos/nombre?nombre=500mg&pagesize=2')).body)).toEqual([1, 3]);
      expect((await send('productos', '/api/productos/nombre?nombre=500mg&pagesize=2')).body?.['total']).toBe(3);
      expect(ids((await send('productos', '/api/productos/tipo?tipo=anti')).body)).toEqual([2, 3, 4, 8]);
      expect(ids((await send('productos', '/api/productos/receta?requiere_receta=true')).body)).toEqual([3, 6, 8]);
      expect(ids((await send('productos', '/api/productos/receta?requiere_receta=False')).body)).toEqual([1, 2, 4, 5, 7]);
      expect(ids((await send('productos', '/api/productos/stock-bajo')).body)).toEqual([4, 7]);
      expect(ids((await send('productos', '/api/productos/stock-bajo?minimo=11')).body)).toEqual([4, 6, 7]);
    });

    it('answers FastAPI 422s for a missing required parameter or an out-of-range one, every error at once', async () => {
      const missing = (name: string) => ({ ...PRODUCTOS.missingQuery.detail[0], loc: ['query', name] });
      expect(await send('productos', '/api/productos/nombre')).toEqual({ status: 422, body: PRODUCTOS.missingQuery });
      expect(await send('productos', '/api/productos/paged?page=0')).toEqual({ status: 422, body: PRODUCTOS.pageOutOfRange });
      expect(await send('productos', '/api/productos/tipo?page=2')).toEqual({ status: 422, body: { detail: [missing('tipo')] } });
      expect(await send('productos', '/api/productos/receta')).toEqual({ status: 422, body: { detail: [missing('requiere_receta')] } });
      expect(await send('productos', '/api/productos/receta?requiere_receta=quizas&page=0&pagesize=0')).toEqual({
        status: 422,
        body: {
          detail: [
            ...PRODUCTOS.invalidBoolean.detail,
            ...PRODUCTOS.pageOutOfRange.detail,
            { type: 'greater_than', loc: ['query', 'pagesize'], msg: 'Input should be greater than 0', input: '0', ctx: { gt: 0 } },
          ],
        },
      });
      expect((await send('productos', '/api/productos/stock-bajo?minimo=-1')).body).toEqual({
        detail: [{ type: 'greater_than_equal', loc: ['query', 'minimo'], msg: 'Input should be greater than or equal to 0', input: '-1', ctx: { ge: 0 } }],
      });
      expect((await send('productos', '/api/productos/paged?pagesize=diez')).body).toMatchObject({ detail: [{ type: 'int_parsing', loc: ['query', 'pagesize'] }] });
    });

    it('lists the offers', async () => {
      const offers = await send('productos', '/api/ofertas/all');
      expect(offers.status).toBe(200);
      expect(offers.body).toEqual([
        {
          id: 1,
          fecha_vencimiento: '2025-10-20T15:04:05',
          fecha_creacion: '2025-09-30T15:04:05',
          fecha_actualizacion: '2025-09-30T15:04:05',
          detalles: [{ producto_id: 3, descuento: 0.1, id: 1 }],
        },
      ]);
    });
  });

  describe('prescriptions: POST /api/recetas/upload', () => {
    const upload = (form: FormData) => send('recetas', '/api/recetas/upload', { method: 'POST', body: form });

    it('saves a pendiente prescription with what the PDF says (201), readable afterwards, and records the file it got', async () => {
      const pdf = samplePrescriptionPdf(PRESCRIPTION);
      const form = prescriptionUploadForm(pdf, { fields: { pacienteDNI: SEED_DNI.luis, medicoCMP: 'ignored' } });
      const uploaded = await upload(form);
      expect(uploaded.status).toBe(201);
      const receta = uploaded.body?.['receta'] as Record<string, unknown>;
      expect(uploaded.body).toEqual({ mensaje: 'Receta subida correctamente', receta: expect.any(Object) });
      expect(formOf(uploaded.body)).toEqual(formOf(RECETAS.uploadAnswer));
      expect(receta).toEqual({
        pacienteDNI: SEED_DNI.ana,
        medicoCMP: SEED_CMP.rosaSalas,
        fechaEmision: '2025-10-01T00:00:00.000Z',
        productos: [
          { id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2, _id: expect.stringMatching(/^[0-9a-f]{24}$/) },
          { id: 1, nombre: 'Paracetamol 500mg', cantidad: 1, _id: expect.stringMatching(/^[0-9a-f]{24}$/) },
        ],
        archivoPDF: expect.stringMatching(/^https:\/\/botica-recetas\.s3\.us-east-1\.amazonaws\.com\/recetas\/[0-9a-f-]{36}\.pdf$/),
        estadoValidacion: 'pendiente',
        _id: expect.stringMatching(/^[0-9a-f]{24}$/),
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        __v: 0,
      });
      expect((await send('recetas', `/api/recetas/${String(receta['_id'])}`)).body).toEqual(receta);
      const [call] = transport.mocks.calls('recetas');
      expect(call?.body).toEqual({
        fields: { pacienteDNI: SEED_DNI.luis, medicoCMP: 'ignored' },
        files: [{ field: 'archivoPDF', filename: 'receta.pdf', mimeType: 'application/pdf', size: pdf.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      });
    });

    it('answers 400 without a file, for another file field or a second file, for a part that is not a PDF', async () => {
      const missing = { status: 400, body: RECETAS.uploadWithoutFile };
      const onlyFields = new FormData();
      onlyFields.append('pacienteDNI', SEED_DNI.ana);
      expect(await upload(onlyFields)).toEqual(missing);
      expect(await postJson('recetas', '/api/recetas/upload', { archivoPDF: 'x' })).toEqual(missing);

      const pdf = samplePrescriptionPdf(PRESCRIPTION);
      const unexpected = { status: 400, body: RECETAS.uploadUnexpectedField };
      expect(await upload(prescriptionUploadForm(pdf, { field: 'archivo' }))).toEqual(unexpected);
      const twice = prescriptionUploadForm(pdf);
      twice.append('archivoPDF', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'otra.pdf');
      expect(await upload(twice)).toEqual(unexpected);
      expect(await upload(prescriptionUploadForm(pdf, { type: 'application/octet-stream' }))).toEqual({
        status: 400,
        body: RECETAS.uploadNotPdf,
      });
      // busboy's own errors, as multer passes them on.
      const raw = (contentType: string, body: string) =>
        send('recetas', '/api/recetas/upload', { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(await raw('multipart/form-data', 'x')).toEqual({ status: 400, body: { error: 'Multipart: Boundary not found' } });
      const cut = '--b\r\nContent-Disposition: form-data; name="archivoPDF"; filename="r.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4';
      expect(await raw('multipart/form-data; boundary=b', cut)).toEqual({ status: 400, body: { error: 'Unexpected end of form' } });
      expect(transport.mocks.state.data.recetas.items).toHaveLength(16);
    });

    it('takes a file of exactly 5 MiB and answers 400 File too large above it', async () => {
      const atLimit = samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes: MAX_PDF_BYTES });
      expect(atLimit.length).toBe(5_242_880);
      expect((await upload(prescriptionUploadForm(atLimit))).status).toBe(201);
      const over = samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes: MAX_PDF_BYTES + 1 });
      expect(await upload(prescriptionUploadForm(over))).toEqual({ status: 400, body: RECETAS.uploadTooLarge });
    });

    it('answers 400 when the PDF lacks a field (detalle has those found), 500 when the OCR cannot read it', async () => {
      const incomplete = samplePrescriptionPdf({ ...PRESCRIPTION, dni: null, fecha: null });
      expect(await upload(prescriptionUploadForm(incomplete))).toEqual({
        status: 400,
        body: {
          error: 'No se encontraron todos los campos requeridos en el PDF',
          detalle: { medicoCMP: SEED_CMP.rosaSalas, productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }, { id: 1, nombre: 'Paracetamol 500mg', cantidad: 1 }] },
        },
      });
      const noCmpNorProducts = samplePrescriptionPdf({ ...PRESCRIPTION, cmp: null, productos: [] });
      expect(await upload(prescriptionUploadForm(noCmpNorProducts))).toEqual({ status: 400, body: RECETAS.uploadIncomplete });
      const unreadable = { status: 500, body: RECETAS.uploadUnreadable };
      expect(await upload(prescriptionUploadForm(samplePrescriptionPdf({ ...PRESCRIPTION, ocrFailure: true })))).toEqual(unreadable);
      expect(await upload(prescriptionUploadForm(Buffer.from('no soy un PDF')))).toEqual(unreadable);
      expect(transport.mocks.state.data.recetas.items).toHaveLength(16);
    });
  });
});

describe('samplePrescriptionPdf', () => {
  it('writes a PDF whose cross-reference table points at its objects, at any requested size', () => {
    for (const sizeBytes of [undefined, 2000, 2001, 2002, 9998, 9999, 10_000, 10_001, 100_000]) {
      const pdf = samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes });
      if (sizeBytes !== undefined) expect(pdf.length).toBe(sizeBytes);
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-1.4\n')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
      expect(text.slice(startxref, startxref + 4)).toBe('xref');
      const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
      expect(offsets).toHaveLength(5);
      offsets.forEach((offset, index) => expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`));
    }
    expect(samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes: MAX_PDF_BYTES })).toHaveLength(MAX_PDF_BYTES);
    expect(() => samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes: 100 })).toThrow(RangeError);
  });

  it('shows the lines the mock OCR reads back, accents and parentheses included', () => {
    expect(readPdfTextLines(samplePrescriptionPdf(PRESCRIPTION))).toEqual([
      'RECETA MÉDICA',
      `Paciente DNI: ${SEED_DNI.ana}`,
      `Médico CMP: ${SEED_CMP.rosaSalas}`,
      'Fecha de emisión: 2025-10-01',
      'Productos:',
      '- Código: 3, Nombre: Amoxicilina 500mg, Cantidad: 2',
      '- Código: 1, Nombre: Paracetamol 500mg, Cantidad: 1',
      'Observaciones: Tomar cada 8 horas (con comida)',
    ]);
    expect(readPdfTextLines(Buffer.from('PK\u0003\u0004'))).toBeNull();
  });
});
