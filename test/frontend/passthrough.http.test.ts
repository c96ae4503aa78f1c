// The routes that make the gateway the web frontend's only backend: login, register, profile,
// catalogue, prescription read and upload. What the caller gets, what was forwarded, and what was
// never sent upstream. The rules behind them are use-case tests: account-and-catalogue.use-case,
// and prescriptions/read-and-upload-prescription.use-case.
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_PASSWORDS, SEED_RECETA_IDS, prescriptionUploadForm, samplePrescriptionPdf } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness({ UPLOAD_LIMIT_BYTES: '200000', UPSTREAM_TIMEOUT_MS: '1000' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  h.request(`${API}${path}`, { method: 'POST', json, headers });

describe('POST /auth/login', () => {
  it('answers the service token for a DNI and forwards exactly dni and password, without Authorization', async () => {
    const res = await post('/auth/login', { dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana, extra: 'dropped' }, { authorization: 'Bearer expired.or.junk' });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    expect(token).toMatch(/^ey/);
    const [call, ...more] = h.calls('usuarios');
    expect(more).toEqual([]);
    expect(call?.body).toEqual({ dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana });
    expect(call?.headers['authorization']).toBeUndefined();
    // It never reaches a log, nor does the password.
    expect(h.logs.text()).not.toContain(token);
    expect(h.logs.text()).not.toContain(SEED_PASSWORDS.ana);
    // The token it returns works on the gateway.
    const me = await h.request(`${API}/user/me`, { token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ dni: SEED_DNI.ana, role: 'CLIENTE' });
  });

  it('logs in with an email too', async () => {
    const res = await post('/auth/login', { email: 'ana@example.com', password: SEED_PASSWORDS.ana });
    expect(res.status).toBe(200);
    expect(h.calls('usuarios')[0]?.body).toEqual({ email: 'ana@example.com', password: SEED_PASSWORDS.ana });
  });

  it('answers an unknown user and a wrong password alike: 401 with one message (no oracle)', async () => {
    const unknown = await post('/auth/login', { dni: '99999999', password: 'x' });
    const wrong = await post('/auth/login', { dni: SEED_DNI.ana, password: 'wrong' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    const [a, b] = [await errorBody(unknown), await errorBody(wrong)];
    expect([a.code, b.code]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(a.error).toBe(b.error);
    expect(a.error).toBe('DNI, email o contraseña incorrectos');
  });

  it.each([
    ['both dni and email', '/auth/login', { dni: SEED_DNI.ana, email: 'ana@example.com', password: 'x' }],
    ['neither dni nor email', '/auth/login', { password: 'x' }],
    ['an empty password', '/auth/login', { dni: SEED_DNI.ana, password: '' }],
    ['a short dni', '/auth/login', { dni: '1234', password: 'x' }],
    ['a malformed email', '/auth/login', { email: 'ana-at-example', password: 'x' }],
    ['a registration without distrito', '/auth/register', { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912' }],
  ])('refuses %s with 400 and forwards nothing', async (_name, path, body) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).code).toBe('VALIDATION_ERROR');
    expect(h.calls()).toEqual([]);
  });
});

describe('POST /auth/register', () => {
  const rosa = { email: 'rosa@example.com', password: 'secreta123', nombre: 'Rosa', apellido: 'Huaman', dni: '45678912', distrito: 'Surco' };

  it('creates the account, forwards exactly the six fields, and the new user can log in', async () => {
    const res = await post('/auth/register', { ...rosa, role: 'ADMIN' });
    expect(res.status).toBe(200);
    expect(h.calls('usuarios')[0]?.body).toEqual(rosa);
    expect((await post('/auth/login', { dni: rosa.dni, password: rosa.password })).status).toBe(200);
  });

  it('answers an existing account 409 CONFLICT, in its own words', async () => {
    const res = await post('/auth/register', { ...rosa, dni: SEED_DNI.ana });
    expect(res.status).toBe(409);
    const body = await errorBody(res);
    expect(body.code).toBe('CONFLICT');
    expect(body.error).not.toMatch(/Usuario ya existe/);
  });

  it('answers the service failing the registration itself ("Error en el registro") 503 usuarios', async () => {
    h.msw.use(
      http.post(`${BASE_URLS.usuarios}/api/auth/register`, () =>
        HttpResponse.json({ timestamp: '2025-10-21T12:00:00', status: 400, error: 'Error en el registro', message: 'db down' }, { status: 400 }),
      ),
    );
    const res = await post('/auth/register', rosa);
    expect(res.status).toBe(503);
    expect((await errorBody(res)).details).toMatchObject({ service: 'usuarios' });
  });

  it('names the fields the service refused, never its text', async () => {
    h.msw.use(
      http.post(`${BASE_URLS.usuarios}/api/auth/register`, () =>
        HttpResponse.json(
          { timestamp: '2025-10-21T12:00:00', status: 400, error: 'Errores de validación', validationErrors: { email: 'secret internal text' } },
          { status: 400 },
        ),
      ),
    );
    const res = await post('/auth/register', rosa);
    expect(res.status).toBe(400);
    const text = await res.clone().text();
    expect(text).not.toContain('secret internal text');
    expect((await errorBody(res)).details).toMatchObject({ issues: [{ path: 'email' }] });
  });
});

describe('GET and PUT /user/me', () => {
  it('forwards only the documented, non-empty fields, with the caller token', async () => {
    const token = await tokens.ana();
    const res = await h.request(`${API}/user/me`, {
      method: 'PUT',
      token,
      json: { distrito: 'Barranco', nombre: '', role: 'ADMIN', dni: '11111111' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dni: SEED_DNI.ana, distrito: 'Barranco', role: 'CLIENTE' });
    const [call] = h.writes('usuarios');
    expect(call?.body).toEqual({ distrito: 'Barranco' });
    expect(call?.headers['authorization']).toBe(`Bearer ${token}`);
  });

  it('answers an email another account uses (the service answers 500) with 503, outside the breaker', async () => {
    const res = await h.request(`${API}/user/me`, { method: 'PUT', token: await tokens.ana(), json: { email: 'luis@example.com' } });
    expect(res.status).toBe(503);
    expect((await errorBody(res)).details).toMatchObject({ service: 'usuarios' });
  });
});

describe('the catalogue, open to anyone', () => {
  it('serves a page, sending only the parameters given, and ignores an expired token', async () => {
    const res = await h.request(`${API}/productos/paged?page=1&unknown=x`, { headers: { authorization: 'Bearer expired.junk.token' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ page: 1, productos: expect.any(Array) });
    const [call] = h.calls('productos');
    expect(call?.path).toBe('/api/productos/paged');
    expect(call?.query).toBe('page=1');
    expect(call?.headers['authorization']).toBeUndefined();
  });

  it.each([
    ['/productos/nombre?nombre=amoxi', '/api/productos/nombre'],
    ['/productos/tipo?tipo=antibiotico&pagesize=5', '/api/productos/tipo'],
    ['/productos/receta?requiere_receta=true', '/api/productos/receta'],
    ['/productos/stock-bajo?minimo=5', '/api/productos/stock-bajo'],
    ['/productos/stock-bajo', '/api/productos/stock-bajo'],
  ])('serves %s from %s', async (path, upstreamPath) => {
    const res = await h.request(`${API}${path}`);
    expect(res.status).toBe(200);
    expect(h.calls('productos').map((call) => call.path)).toEqual([upstreamPath]);
  });

  it.each([
    '/productos/nombre',
    '/productos/tipo?tipo=',
    '/productos/receta?requiere_receta=si',
    '/productos/stock-bajo?minimo=-1',
    '/productos/paged?page=0',
    '/productos/paged?pagesize=101',
    '/productos/abc',
    '/productos/0',
    '/productos/9007199254740992',
  ])('refuses %s with 400 and sends nothing', async (path) => {
    const res = await h.request(`${API}${path}`);
    expect(res.status).toBe(400);
    expect((await errorBody(res)).code).toBe('VALIDATION_ERROR');
    expect(h.calls()).toEqual([]);
  });

  it('serves one product with every field the service sends, and 404 for an unknown one', async () => {
    const found = await h.request(`${API}/productos/3`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: 3, nombre: 'Amoxicilina 500mg', fecha_creacion: expect.any(String) });
    const missing = await h.request(`${API}/productos/999`);
    expect(missing.status).toBe(404);
    expect((await errorBody(missing)).code).toBe('PRODUCT_NOT_FOUND');
  });

  it('serves the offers', async () => {
    const res = await h.request(`${API}/ofertas/all`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ id: 1, detalles: expect.any(Array) })]);
  });
});

describe('GET /recetas/{receta_id}', () => {
  it('serves the patient their prescription', async () => {
    const res = await h.request(`${API}/recetas/${SEED_RECETA_IDS.anaValidated}`, { token: await tokens.ana() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ _id: SEED_RECETA_IDS.anaValidated, pacienteDNI: SEED_DNI.ana });
  });

  it("answers another patient's prescription 404 PRESCRIPTION_NOT_FOUND", async () => {
    const other = await h.request(`${API}/recetas/${SEED_RECETA_IDS.luisPending}`, { token: await tokens.ana() });
    expect(other.status).toBe(404);
    expect((await errorBody(other)).code).toBe('PRESCRIPTION_NOT_FOUND');
  });

  it.each(['upload', 'filter', 'abc'])('answers /recetas/%s 400 with no upstream call', async (segment) => {
    const res = await h.request(`${API}/recetas/${segment}`, { token: await tokens.ana() });
    expect(res.status).toBe(400);
    expect(h.calls()).toEqual([]);
  });

  it('answers a two-segment path it does not serve 404 NOT_FOUND', async () => {
    const res = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaValidated}`, { token: await tokens.ana() });
    expect(res.status).toBe(404);
    expect((await errorBody(res)).code).toBe('NOT_FOUND');
  });
});

describe('POST /recetas/upload', () => {
  const pdfFor = (dni: string | null, extra: { sizeBytes?: number; ocrFailure?: boolean } = {}) =>
    samplePrescriptionPdf({ dni, cmp: 'CMP12345', fecha: new Date().toISOString().slice(0, 10), productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }], ...extra });
  const upload = async (init: RequestInit & { json?: unknown }) =>
    h.request(`${API}/recetas/upload`, { method: 'POST', token: await tokens.ana(), ...init });
  const form = (pdf: Buffer, options?: Parameters<typeof prescriptionUploadForm>[1]) => ({ body: prescriptionUploadForm(pdf, options) });
  const uploads = () => h.calls('recetas').filter((call) => call.method === 'POST');

  // A client writing the multipart body itself, chunk by chunk; without `end` it stalls.
  const boundary = '----journey-boundary';
  const part = (name: string, bytes: Buffer = Buffer.alloc(0)) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="r.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), bytes]);
  const end = Buffer.from(`\r\n--${boundary}--\r\n`);
  const streamed = (chunks: Buffer[], { close = true } = {}): RequestInit => ({
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        if (close) controller.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);

  it('streams the PDF to the service as archivoPDF and answers its 201 (pendiente)', async () => {
    const res = await upload(form(pdfFor(SEED_DNI.ana), { fields: { pacienteDNI: '1', medicoCMP: 'x' } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { mensaje: string; receta: { estadoValidacion: string; pacienteDNI: string } };
    expect(body.receta).toMatchObject({ estadoValidacion: 'pendiente', pacienteDNI: SEED_DNI.ana });
    expect(body.mensaje).toBe('Receta subida correctamente');
    expect(uploads()).toHaveLength(1);
  });

  it('accepts the field name file and forwards it as archivoPDF', async () => {
    const res = await upload(form(pdfFor(SEED_DNI.ana), { field: 'file' }));
    expect(res.status).toBe(201);
  });

  it('warns a pharmacist in the log when the PDF names another patient, and still answers the service', async () => {
    const res = await upload(form(pdfFor(SEED_DNI.luis)));
    expect(res.status).toBe(201);
    const warning = h.logs.entries().find((line) => String(line['msg']).includes('another patient'));
    expect(warning).toMatchObject({ uploaderDni: SEED_DNI.ana, readPatientDni: SEED_DNI.luis });
  });

  it.each([
    ['a declared type other than application/pdf', () => form(pdfFor(SEED_DNI.ana), { type: 'image/png' })],
    ['bytes that do not start %PDF-', () => form(Buffer.from('GIF89a not a pdf at all'))],
    ['a JSON body', () => ({ json: { archivoPDF: 'x' } })],
  ])('refuses %s with 415 and sends nothing', async (_name, init) => {
    const res = await upload(init());
    expect(res.status).toBe(415);
    expect((await errorBody(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(h.calls()).toEqual([]);
  });

  it.each([
    ['no file', () => {
      const fields = new FormData();
      fields.append('pacienteDNI', SEED_DNI.ana);
      return { body: fields };
    }],
    ['both file and archivoPDF', () => {
      const both = prescriptionUploadForm(pdfFor(SEED_DNI.ana));
      both.append('file', new Blob([new Uint8Array(pdfFor(SEED_DNI.ana))], { type: 'application/pdf' }), 'b.pdf');
      return { body: both };
    }],
    // The parser sees the second before the first is checked.
    ['two PDFs sent in one chunk', () => streamed([Buffer.concat([part('archivoPDF', pdfFor(SEED_DNI.ana)), Buffer.from('\r\n'), part('file', pdfFor(SEED_DNI.ana)), end])])],
    // Cut off after UPSTREAM_TIMEOUT_MS without a byte.
    ['a client that stops sending mid-file', () => streamed([part('archivoPDF', pdfFor(SEED_DNI.ana).subarray(0, 200))], { close: false })],
  ])('refuses %s with 400 (archivoPDF): no upload stored, no breaker failure', async (_name, init) => {
    const stored = h.mocks.state.data.recetas.items.length;
    const res = await upload(init());
    expect(res.status).toBe(400);
    expect((await errorBody(res)).details).toMatchObject({ issues: [{ path: 'archivoPDF' }] });
    expect(h.mocks.state.data.recetas.items).toHaveLength(stored);
    expect(h.deps.health.breakerStates()['recetas']).toBe('closed');
  });

  it.each([
    ['a form', () => form(pdfFor(SEED_DNI.ana, { sizeBytes: 250_000 }))],
    ['a chunked body (no Content-Length)', () => {
      const big = pdfFor(SEED_DNI.ana, { sizeBytes: 250_000 });
      const chunks = Array.from({ length: Math.ceil(big.length / 16_384) }, (_, n) => big.subarray(n * 16_384, (n + 1) * 16_384));
      return streamed([part('archivoPDF'), ...chunks, end]);
    }],
  ])('refuses a PDF over UPLOAD_LIMIT_BYTES in %s with 413', async (_name, init) => {
    const res = await upload(init());
    expect(res.status).toBe(413);
    expect((await errorBody(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a PDF the OCR cannot read 503 recetas, not counted towards the breaker', async () => {
    const unreadable = pdfFor(SEED_DNI.ana, { ocrFailure: true });
    for (let i = 0; i < 12; i++) {
      const res = await upload(form(unreadable));
      expect(res.status).toBe(503);
    }
    expect(h.deps.health.breakerStates()['recetas']).toBe('closed');
  });
});
