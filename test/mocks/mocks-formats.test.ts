// The mock routes the gateway fronts for the frontends (accounts, catalogue, offers, prescription
// uploads) answer in the real services' formats: same key sets, JSON types and date forms as the
// fixtures of test/fixtures/upstream-answers.ts.
import { describe, expect, it } from 'vitest';
import {
  MAX_PDF_BYTES,
  SEED_CMP,
  SEED_DNI,
  SEED_PASSWORDS,
  createMockUpstreams,
  prescriptionUploadForm,
  samplePrescriptionPdf,
  signMockToken,
} from '../../mocks/index.js';
import type { SamplePrescription } from '../../mocks/index.js';
import { PRODUCTOS, RECETAS, USUARIOS, formOf } from '../fixtures/upstream-answers.js';

const SECRET = 'formats-test-secret-of-at-least-32-bytes';
const NOW = new Date('2025-10-05T15:04:05.123Z');

const json = async (response: Response | Promise<Response>) => (await response).json() as Promise<unknown>;
const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const answer = async (response: Response | Promise<Response>) => {
  const res = await response;
  return { status: res.status, form: formOf(await res.json()) };
};

const PRESCRIPTION: SamplePrescription = {
  dni: SEED_DNI.ana,
  cmp: SEED_CMP.rosaSalas,
  fecha: '2025-10-01',
  productos: [{ id: 3, nombre: 'Amoxicilina 500mg', cantidad: 2 }],
};

describe('the new mock routes answer in the real formats', () => {
  const mocks = createMockUpstreams({ jwtSecret: SECRET, now: () => NOW });
  const validar = createMockUpstreams({ jwtSecret: SECRET, now: () => NOW, recetasApi: 'validar' });

  it('users: login, register and their refusals', async () => {
    const { usuarios } = mocks.apps;
    const login = (body: unknown) => usuarios.request('/api/auth/login', jsonInit('POST', body));
    expect(await answer(login({ dni: SEED_DNI.ana, password: SEED_PASSWORDS.ana }))).toEqual({ status: 200, form: formOf(USUARIOS.issuedToken) });
    expect(await answer(login({ dni: SEED_DNI.unregistered, password: 'x' }))).toEqual({ status: 400, form: formOf(USUARIOS.loginUnknownUser) });
    expect(await answer(login({ password: 'x' }))).toEqual({ status: 400, form: formOf(USUARIOS.loginWithoutIdentifier) });
    expect(await answer(login({ email: 'ana@example.com', password: 'wrong' }))).toEqual({ status: 401, form: formOf(USUARIOS.loginWrongPassword) });

    const account = { email: 'rosa@example.com', password: 'rosa12345', nombre: 'Rosa', apellido: 'Díaz', dni: '74561234', distrito: 'Lince' };
    const register = (body: unknown) => usuarios.request('/api/auth/register', jsonInit('POST', body));
    expect(await answer(register(account))).toEqual({ status: 200, form: formOf(USUARIOS.issuedToken) });
    expect(await answer(register({ ...account, email: 'ana@example.com', dni: '75555555' }))).toEqual({ status: 409, form: formOf(USUARIOS.registerExists) });
    const invalid = await answer(register({ ...account, email: 'no-es-email', nombre: ' ' }));
    expect(invalid).toEqual({ status: 400, form: formOf(USUARIOS.validationErrors) });
    expect(await answer(register({ ...account, email: 'otra@example.com', dni: 'ABC12345' }))).toEqual({ status: 400, form: formOf(USUARIOS.registerFailed) });
  });

  it('users: the profile update and its 500 for a taken email', async () => {
    const { usuarios } = mocks.apps;
    const headers = { authorization: `Bearer ${await signMockToken(SECRET, { dni: SEED_DNI.ana, role: 'CLIENTE' })}` };
    const update = (body: unknown) => usuarios.request('/api/user/me', jsonInit('PUT', body, headers));
    expect(await answer(update({ nombre: 'Ana María', distrito: 'Barranco', apellido: '' }))).toEqual({ status: 200, form: formOf(USUARIOS.userUpdated) });
    expect(await answer(update({ email: 'luis@example.com' }))).toEqual({ status: 500, form: formOf(USUARIOS.internalError) });
  });

  it('products: every catalogue listing is a page, refusals are FastAPI 422s, offers as OfertaResponse', async () => {
    const { productos } = mocks.apps;
    for (const path of ['paged', 'nombre?nombre=a', 'tipo?tipo=anti', 'receta?requiere_receta=true', 'stock-bajo?minimo=50']) {
      expect(await answer(productos.request(`/api/productos/${path}`)), path).toEqual({ status: 200, form: formOf(PRODUCTOS.page) });
    }
    expect(await answer(productos.request('/api/productos/paged?page=4'))).toEqual({ status: 200, form: formOf(PRODUCTOS.pageEmpty) });
    expect(await json(productos.request('/api/productos/nombre'))).toEqual(PRODUCTOS.missingQuery);
    expect(await json(productos.request('/api/productos/paged?page=0'))).toEqual(PRODUCTOS.pageOutOfRange);
    expect(await json(productos.request('/api/productos/receta?requiere_receta=quizas'))).toEqual(PRODUCTOS.invalidBoolean);
    expect(await answer(productos.request('/api/ofertas/all'))).toEqual({ status: 200, form: formOf(PRODUCTOS.offers) });
  });

  it('prescriptions: the upload, its refusals, and the validar read of an uploaded prescription', async () => {
    const upload = (app: typeof mocks.apps.recetas, form: FormData) => app.request('/api/recetas/upload', { method: 'POST', body: form });
    const { recetas } = mocks.apps;
    const uploaded = await upload(recetas, prescriptionUploadForm(samplePrescriptionPdf(PRESCRIPTION)));
    expect(uploaded.status).toBe(201);
    expect(formOf(await uploaded.json())).toEqual(formOf(RECETAS.uploadAnswer));

    expect(await json(upload(recetas, prescriptionUploadForm(samplePrescriptionPdf(PRESCRIPTION), { field: 'pdf' })))).toEqual(RECETAS.uploadUnexpectedField);
    expect(await json(upload(recetas, prescriptionUploadForm(samplePrescriptionPdf(PRESCRIPTION), { type: 'text/plain' })))).toEqual(RECETAS.uploadNotPdf);
    const large = samplePrescriptionPdf({ ...PRESCRIPTION, sizeBytes: MAX_PDF_BYTES + 1 });
    expect(await json(upload(recetas, prescriptionUploadForm(large)))).toEqual(RECETAS.uploadTooLarge);
    const noFile = new FormData();
    noFile.append('pacienteDNI', SEED_DNI.ana);
    expect(await json(upload(recetas, noFile))).toEqual(RECETAS.uploadWithoutFile);
    const incomplete = samplePrescriptionPdf({ ...PRESCRIPTION, cmp: null, productos: [] });
    expect(await json(upload(recetas, prescriptionUploadForm(incomplete)))).toEqual(RECETAS.uploadIncomplete);
    expect(await json(upload(recetas, prescriptionUploadForm(samplePrescriptionPdf({ ...PRESCRIPTION, ocrFailure: true }))))).toEqual(RECETAS.uploadUnreadable);

    const fromValidar = (await (await upload(validar.apps.recetas, prescriptionUploadForm(samplePrescriptionPdf(PRESCRIPTION)))).json()) as {
      receta: { _id: string };
    };
    const read = await json(validar.apps.recetas.request(`/api/recetas/${fromValidar.receta._id}`));
    expect(formOf(read)).toEqual(formOf(RECETAS.recetaWithPdfUrl));
    expect((read as { pdfUrl: string }).pdfUrl).toMatch(/^https:\/\/.+\.pdf\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=900&/);
    const validated = await validar.apps.recetas.request(`/api/recetas/${fromValidar.receta._id}/validar`, { method: 'PUT' });
    expect(formOf(await validated.json())).toEqual(formOf(RECETAS.validarAnswer));
  });
});
