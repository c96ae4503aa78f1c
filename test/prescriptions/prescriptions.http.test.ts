// PUT /recetas/estado/{id} and its alias /recetas/validar/{id}: who may change a prescription, the
// checks VALIDADA runs, and that a failed check (or a bad request) never writes upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_CMP, SEED_DNI, SEED_RECETA_IDS, type SeedRecetaName } from '../../mocks/index.js';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const h = createHarness();
beforeAll(h.listen);
beforeEach(h.reset);
afterAll(h.close);

const setState = async (id: string, body: unknown, token?: string) =>
  h.request(`${API}/recetas/estado/${id}`, { method: 'PUT', token: token ?? (await tokens.ana()), json: body });

const stateOf = (name: SeedRecetaName) =>
  h.mocks.state.data.recetas.items.find((receta) => receta._id === SEED_RECETA_IDS[name])?.estadoValidacion;

const productReads = () => h.calls('productos').filter((call) => call.method === 'GET').map((call) => call.path);
const doctorReads = () => h.calls('recetas').filter((call) => call.path === '/api/medicos/filter');

describe('validating a prescription', () => {
  it.each(['VALIDADA', 'validada', 'Validada'])('validates a prescription that passes every check (%s)', async (estado) => {
    const response = await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: estado });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      mensaje: 'Receta validada y actualizada exitosamente',
      receta: expect.objectContaining({
        _id: SEED_RECETA_IDS.anaPendingValid,
        pacienteDNI: SEED_DNI.ana,
        estadoValidacion: 'validada',
      }),
      validaciones: { productos_validados: 2, medico_valido: true, paciente_valido: true },
    });
    const writes = h.writes('recetas');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      method: 'PUT',
      path: `/api/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`,
      body: { estadoValidacion: 'validada' },
    });
    expect(stateOf('anaPendingValid')).toBe('validada');
  });

  it('checks each listed product and the doctor before writing', async () => {
    await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: 'VALIDADA' });
    expect(productReads().sort()).toEqual(['/api/productos/1', '/api/productos/3']);
    expect(doctorReads()).toHaveLength(1);
    expect(new URLSearchParams(doctorReads()[0]?.query).get('cmp')).toBe(SEED_CMP.rosaSalas);
    expect(h.writes('productos')).toEqual([]);
    // The caller is the patient: no user lookup needed.
    expect(h.calls('usuarios')).toEqual([]);
  });

  it('matches product names ignoring case (the seed lists "paracetamol 500MG")', async () => {
    const receta = h.mocks.state.data.recetas.items.find((r) => r._id === SEED_RECETA_IDS.anaPendingValid);
    expect(receta?.productos.map((p) => p.nombre)).toContain('paracetamol 500MG');
    expect((await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: 'VALIDADA' })).status).toBe(200);
  });

  it('matches product names ignoring accents', async () => {
    const receta = h.mocks.state.data.recetas.items.find((r) => r._id === SEED_RECETA_IDS.anaPendingValid);
    if (!receta) throw new Error('seed changed');
    receta.productos = receta.productos.map((p) => (p.id === 3 ? { ...p, nombre: 'AMOXICILÍNA 500mg' } : p));
    expect((await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: 'VALIDADA' })).status).toBe(200);
  });

  it.each([
    ['a doctor with an invalid licence', 'anaPendingBadDoctor', 'medico', { medico: { motivo: 'invalid_licence' } }],
    ['an unregistered doctor', 'anaPendingUnknownDoctor', 'medico', { medico: { motivo: 'not_registered' } }],
    ['a product name that does not match', 'anaPendingNameMismatch', 'productos', { productos: [{ id: 3, motivo: 'name_mismatch' }] }],
    ['an unknown product', 'anaPendingUnknownProduct', 'productos', { productos: [{ id: 999, motivo: 'not_found' }] }],
    ['an issue date 45 days old', 'anaPendingOld', 'fecha', { fecha: { motivo: 'expired' } }],
    ['an issue date in the future', 'anaPendingFuture', 'fecha', { fecha: { motivo: 'future' } }],
  ] as const)('rejects %s with 422 and leaves the state unchanged', async (_name, receta, check, detail) => {
    const response = await setState(SEED_RECETA_IDS[receta], { estadovalidacion: 'VALIDADA' });
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('PRESCRIPTION_INVALID');
    expect(body.details?.checks_fallidos).toEqual([check]);
    expect(body.details).toMatchObject(detail);
    expect(h.writes()).toEqual([]);
    expect(stateOf(receta)).toBe('pendiente');
  });

  it("answers another patient's prescription exactly like an unknown one (404, no oracle), without writing", async () => {
    const other = await setState(SEED_RECETA_IDS.luisPending, { estadovalidacion: 'VALIDADA' });
    const unknown = await setState('aaaaaaaaaaaaaaaaaaaaaaaa', { estadovalidacion: 'VALIDADA' });
    expect(other.status).toBe(404);
    const [otherBody, unknownBody] = [await errorBody(other), await errorBody(unknown)];
    expect(otherBody.code).toBe('PRESCRIPTION_NOT_FOUND');
    expect(Object.keys(otherBody.details ?? {})).toEqual(Object.keys(unknownBody.details ?? {}));
    expect(otherBody.error.replace(SEED_RECETA_IDS.luisPending, 'ID')).toBe(unknownBody.error.replace('aaaaaaaaaaaaaaaaaaaaaaaa', 'ID'));
    expect(h.writes()).toEqual([]);
    expect(stateOf('luisPending')).toBe('pendiente');
  });

  it('lets a patient validate their own already validated prescription again (the checks run again)', async () => {
    const response = await setState(SEED_RECETA_IDS.anaValidated, { estadovalidacion: 'VALIDADA' });
    expect(response.status).toBe(200);
    expect(doctorReads()).toHaveLength(1);
    expect(h.writes('recetas')).toHaveLength(1);
  });

  it("refuses a patient's validation of a prescription a pharmacist rejected: 403 after the read, no write", async () => {
    const response = await setState(SEED_RECETA_IDS.anaRejected, { estadovalidacion: 'VALIDADA' });
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('FORBIDDEN');
    expect(h.calls('recetas').map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET /api/recetas/${SEED_RECETA_IDS.anaRejected}`,
    ]);
    expect(stateOf('anaRejected')).toBe('rechazada');
  });

  it('lets an ADMIN validate any patient\'s prescription, checking the patient in the user list', async () => {
    const response = await setState(SEED_RECETA_IDS.luisPending, { estadovalidacion: 'VALIDADA' }, await tokens.admin());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      receta: { pacienteDNI: SEED_DNI.luis, estadoValidacion: 'validada' },
      validaciones: { productos_validados: 1, medico_valido: true, paciente_valido: true },
    });
    expect(h.calls('usuarios').map((call) => `${call.method} ${call.path}`)).toEqual(['GET /api/user/all']);
    expect(stateOf('luisPending')).toBe('validada');
  });

  it('rejects an ADMIN validation whose patient is not a registered user', async () => {
    const response = await setState(SEED_RECETA_IDS.unregisteredPatient, { estadovalidacion: 'VALIDADA' }, await tokens.admin());
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('PRESCRIPTION_INVALID');
    expect(body.details?.checks_fallidos).toEqual(['paciente']);
    expect(body.details).toMatchObject({ paciente: { pacienteDNI: SEED_DNI.unregistered } });
    expect(h.writes()).toEqual([]);
  });
});

describe('rejecting or resetting a prescription', () => {
  it.each(['RECHAZADA', 'rechazada', 'PENDIENTE'])('lets an ADMIN set %s without running the checks', async (estado) => {
    const response = await setState(SEED_RECETA_IDS.anaPendingBadDoctor, { estadovalidacion: estado }, await tokens.admin());
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      mensaje: 'Estado de receta actualizado',
      receta: expect.objectContaining({ _id: SEED_RECETA_IDS.anaPendingBadDoctor, estadoValidacion: estado.toLowerCase() }),
    });
    expect(body).not.toHaveProperty('validaciones');
    expect(h.calls('productos')).toEqual([]);
    expect(doctorReads()).toEqual([]);
    expect(h.writes('recetas')).toMatchObject([{ body: { estadoValidacion: estado.toLowerCase() } }]);
  });

  it('lets an ADMIN move a rejected prescription back to pending', async () => {
    expect((await setState(SEED_RECETA_IDS.anaRejected, { estadovalidacion: 'PENDIENTE' }, await tokens.admin())).status).toBe(200);
    expect(stateOf('anaRejected')).toBe('pendiente');
  });

  it.each([
    ['RECHAZADA', 'anaPendingValid'],
    ['PENDIENTE', 'anaRejected'],
    ['rechazada', 'luisPending'],
  ] as const)('refuses %s from a CLIENTE with 403 before any upstream call (%s)', async (estado, receta) => {
    const response = await setState(SEED_RECETA_IDS[receta], { estadovalidacion: estado });
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('FORBIDDEN');
    expect(h.calls()).toEqual([]);
  });

  it('refuses RECHAZADA from a CLIENTE even for an unknown id (403 comes before the read)', async () => {
    const response = await setState('aaaaaaaaaaaaaaaaaaaaaaaa', { estadovalidacion: 'RECHAZADA' });
    expect(response.status).toBe(403);
    expect(h.calls()).toEqual([]);
  });
});

describe('language of the texts', () => {
  it('writes mensaje and error in Spanish by default and in English for Accept-Language: en', async () => {
    const spanish = await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: 'VALIDADA' });
    expect(((await spanish.json()) as { mensaje: string }).mensaje).toBe('Receta validada y actualizada exitosamente');
    h.mocks.reset();
    const english = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: { estadovalidacion: 'VALIDADA' },
      headers: { 'accept-language': 'en-US,en;q=0.9,es;q=0.5' },
    });
    expect(((await english.json()) as { mensaje: string }).mensaje).toBe('Prescription validated and updated');
    const rejected = await h.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingBadDoctor}`, {
      method: 'PUT',
      token: await tokens.admin(),
      json: { estadovalidacion: 'RECHAZADA' },
      headers: { 'accept-language': 'en' },
    });
    expect(((await rejected.json()) as { mensaje: string }).mensaje).toBe('Prescription state updated');
  });
});

describe('bad requests', () => {
  it.each(['12345', 'zzzzzzzzzzzzzzzzzzzzzzzz', `${SEED_RECETA_IDS.anaPendingValid}0`])(
    'rejects the id %s with 400 and no upstream call',
    async (id) => {
      const response = await setState(id, { estadovalidacion: 'VALIDADA' });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toBe('VALIDATION_ERROR');
      expect(h.calls()).toEqual([]);
    },
  );

  it('answers 404 PRESCRIPTION_NOT_FOUND for an unknown id', async () => {
    const response = await setState('aaaaaaaaaaaaaaaaaaaaaaaa', { estadovalidacion: 'VALIDADA' });
    expect(response.status).toBe(404);
    expect((await errorBody(response)).code).toBe('PRESCRIPTION_NOT_FOUND');
    expect(h.writes()).toEqual([]);
  });

  it.each([
    ['an unknown state', { estadovalidacion: 'APROBADA' }],
    ['no state', {}],
    ['the upstream field name', { estadoValidacion: 'validada' }],
    ['a non-string state', { estadovalidacion: 1 }],
  ])('rejects %s with 400 VALIDATION_ERROR naming the field, without upstream calls', async (_name, body) => {
    const response = await setState(SEED_RECETA_IDS.anaPendingValid, body);
    expect(response.status).toBe(400);
    const error = await errorBody(response);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(error.details)).toContain('estadovalidacion');
    expect(h.calls()).toEqual([]);
  });
});

describe('the /recetas/validar alias', () => {
  const validate = async (init: { json?: unknown; body?: string } = {}) =>
    h.request(`${API}/recetas/validar/${SEED_RECETA_IDS.anaPendingValid}`, {
      method: 'PUT',
      token: await tokens.ana(),
      ...init,
    });

  it.each([
    ['an empty object', { json: {} }],
    ['the legacy frontend body', { json: { estado: 'validada', datos_adicionales: { dni: 'x' } } }],
    ['no body at all', {}],
    ['a body that is not even JSON', { body: 'whatever' }],
  ])('validates like VALIDADA with %s', async (_name, init) => {
    const response = await validate(init);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      mensaje: 'Receta validada y actualizada exitosamente',
      receta: { estadoValidacion: 'validada' },
      validaciones: { productos_validados: 2, medico_valido: true, paciente_valido: true },
    });
    expect(h.writes('recetas')).toMatchObject([{ body: { estadoValidacion: 'validada' } }]);
  });

  it('runs the same checks (a bad doctor is still a 422)', async () => {
    const response = await h.request(`${API}/recetas/validar/${SEED_RECETA_IDS.anaPendingBadDoctor}`, {
      method: 'PUT',
      token: await tokens.ana(),
      json: {},
    });
    expect(response.status).toBe(422);
    expect(h.writes()).toEqual([]);
  });
});
