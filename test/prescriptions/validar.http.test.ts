// RECETAS_API=validar: the prescriptions service in the pharmacy's repository today validates
// itself (OCR on the PDF, its own doctor and date checks) through PUT /api/recetas/{id}/validar and
// cannot set rechazada or pendiente. The gateway still runs the checks it can make first. Here:
// the service's routes and answers as the client sees them; the order of the checks and which
// states are refused are in update-prescription-state.use-case.
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_DNI, SEED_RECETA_IDS, type SeedRecetaName } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens, type Harness } from '../helpers/harness.js';

const h = createHarness({ RECETAS_API: 'validar', BREAKER_VOLUME_THRESHOLD: '4' });
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const setState = async (harness: Harness, name: SeedRecetaName, estado: string, token?: string) =>
  harness.request(`${API}/recetas/estado/${SEED_RECETA_IDS[name]}`, {
    method: 'PUT',
    token: token ?? (await tokens.ana()),
    json: { estadovalidacion: estado },
  });
const validate = (name: SeedRecetaName) => setState(h, name, 'VALIDADA');
const stateOf = (name: SeedRecetaName) =>
  h.mocks.state.data.recetas.items.find((receta) => receta._id === SEED_RECETA_IDS[name])?.estadoValidacion;
const recetasCalls = (harness: Harness = h) => harness.calls('recetas').map((call) => `${call.method} ${call.path}`);

describe('RECETAS_API=validar', () => {
  it("validates through the service's validar route after the gateway's own checks, without a doctor lookup", async () => {
    const response = await validate('anaPendingValid');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      mensaje: 'Receta validada y actualizada exitosamente',
      receta: expect.objectContaining({ _id: SEED_RECETA_IDS.anaPendingValid, estadoValidacion: 'validada', __v: 0 }),
      validaciones: { productos_validados: 2, medico_valido: true, paciente_valido: true },
    });
    expect(recetasCalls()).toEqual([
      `GET /api/recetas/${SEED_RECETA_IDS.anaPendingValid}`,
      `PUT /api/recetas/${SEED_RECETA_IDS.anaPendingValid}/validar`,
    ]);
    expect(h.calls('productos').map((call) => call.path).sort()).toEqual(['/api/productos/1', '/api/productos/3']);
    expect(stateOf('anaPendingValid')).toBe('validada');
  });

  it.each([
    ['an unregistered or unlicensed doctor', 'anaPendingBadDoctor', 'medico'],
    ['a prescription without a PDF', 'anaPendingNoPdf', 'documento'],
  ] as const)('turns the service refusing %s into 422 naming the check, state unchanged', async (_name, receta, check) => {
    const response = await validate(receta);
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('PRESCRIPTION_INVALID');
    expect(body.details).toEqual({ checks_fallidos: [check] });
    expect(JSON.stringify(body)).not.toContain('CMP no registrado');
    expect(stateOf(receta)).toBe('pendiente');
  });

  it('answers an ADMIN asking RECHAZADA 501 NOT_SUPPORTED with no upstream call', async () => {
    const response = await setState(h, 'anaPendingValid', 'RECHAZADA', await tokens.admin());
    expect(response.status).toBe(501);
    const body = await errorBody(response);
    expect(body.code).toBe('NOT_SUPPORTED');
    expect(body.details).toMatchObject({ service: 'recetas' });
    expect(h.calls()).toEqual([]);
  });

  it('answers a PDF the OCR cannot read with 503 recetas that never opens the breaker', async () => {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const response = await validate('anaPendingUnreadablePdf');
      expect(response.status).toBe(503);
      expect((await errorBody(response)).details?.service).toBe('recetas');
    }
    const ready = (await (await h.request(`${API}/ready`)).json()) as { upstreams: { recetas: { breaker: string } } };
    expect(ready.upstreams.recetas.breaker).toBe('closed');
    expect((await validate('anaPendingValid')).status).toBe(200);
  });

  it('keeps the service answer when the PDF named another patient, and warns a pharmacist with both DNIs', async () => {
    const response = await validate('anaPendingPdfOtherPatient');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { receta: { pacienteDNI: string } }).receta.pacienteDNI).toBe(SEED_DNI.luis);
    const warning = h.logs.entries().find((entry) => entry.level === 40 && entry.recetaId === SEED_RECETA_IDS.anaPendingPdfOtherPatient);
    expect(warning).toMatchObject({ checkedPatientDni: SEED_DNI.ana, returnedPatientDni: SEED_DNI.luis });
  });

  it('maps a 404 {"error"} from validar to PRESCRIPTION_NOT_FOUND', async () => {
    h.msw.use(http.put(`${BASE_URLS.recetas}/api/recetas/:id/validar`, () => HttpResponse.json({ error: 'Receta no encontrada' }, { status: 404 })));
    const response = await validate('anaPendingValid');
    expect(response.status).toBe(404);
    expect((await errorBody(response)).code).toBe('PRESCRIPTION_NOT_FOUND');
  });
});

describe('RECETAS_OCR_TIMEOUT_MS', () => {
  const slowValidar = (harness: Harness) =>
    harness.msw.use(
      http.put(`${BASE_URLS.recetas}/api/recetas/:id/validar`, async ({ params }) => {
        await delay(400);
        const receta = harness.mocks.state.data.recetas.items.find((item) => item._id === params.id);
        return HttpResponse.json({ mensaje: 'Receta validada y actualizada correctamente', receta: { ...receta, estadoValidacion: 'validada' } });
      }),
    );
  const timing = { RECETAS_API: 'validar', UPSTREAM_TIMEOUT_MS: '200', REQUEST_TIMEOUT_MS: '500' };
  const withCap = createHarness({ ...timing, RECETAS_OCR_TIMEOUT_MS: '1000' });
  const withoutCap = createHarness(timing);
  beforeAll(() => {
    h.close();
    withCap.listen();
  });
  afterAll(() => {
    withCap.close();
    h.listen();
  });

  it('gives the OCR call its own cap and the validation a longer budget', async () => {
    slowValidar(withCap);
    const response = await setState(withCap, 'anaPendingValid', 'VALIDADA');
    expect(response.status).toBe(200);
  });

  it('times the same call out at UPSTREAM_TIMEOUT_MS without it (504, the outcome is unknown)', async () => {
    withCap.close();
    withoutCap.listen();
    try {
      slowValidar(withoutCap);
      const response = await setState(withoutCap, 'anaPendingValid', 'VALIDADA');
      expect(response.status).toBe(504);
      expect((await errorBody(response)).details?.service).toBe('recetas');
    } finally {
      withoutCap.close();
      withCap.listen();
    }
  });
});

describe('RECETAS_API that does not match the service', () => {
  it.each([
    ['estado', 'validar'],
    ['validar', 'estado'],
  ] as const)('answers 503 recetas and logs an error naming RECETAS_API=%s against a %s service', async (configured, service) => {
    const mismatched = createHarness({ RECETAS_API: configured }, { mockRecetasApi: service });
    h.close();
    mismatched.listen();
    try {
      const response = await setState(mismatched, 'anaPendingValid', 'VALIDADA');
      expect(response.status).toBe(503);
      expect((await errorBody(response)).details?.service).toBe('recetas');
      expect(mismatched.logs.text()).toContain(`RECETAS_API=${configured}`);
      expect(recetasCalls(mismatched).at(-1)).toMatch(/^PUT /);
    } finally {
      mismatched.close();
      h.listen();
    }
  });
});
