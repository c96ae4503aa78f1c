// PUT /recetas/estado/{id} and its alias /recetas/validar/{id}, as the client sees them: one case
// per answer (200 validated or updated, 403, 404, 422, 400) with what was sent upstream. Each
// rule behind them (every check, who may ask for which state, the order of the checks) is in
// update-prescription-state.use-case.
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
    // What the checks read, as the services' routes: each product, the doctor by its CMP; nothing else.
    expect(productReads().sort()).toEqual(['/api/productos/1', '/api/productos/3']);
    expect(doctorReads()).toHaveLength(1);
    expect(new URLSearchParams(doctorReads()[0]?.query).get('cmp')).toBe(SEED_CMP.rosaSalas);
    expect(h.writes('productos')).toEqual([]);
    expect(h.calls('usuarios')).toEqual([]);
  });

  it('rejects a doctor with an invalid licence with 422 PRESCRIPTION_INVALID and leaves the state unchanged', async () => {
    const response = await setState(SEED_RECETA_IDS.anaPendingBadDoctor, { estadovalidacion: 'VALIDADA' });
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('PRESCRIPTION_INVALID');
    expect(body.details?.checks_fallidos).toEqual(['medico']);
    expect(body.details).toMatchObject({ medico: { motivo: 'invalid_licence' } });
    expect(h.writes()).toEqual([]);
    expect(stateOf('anaPendingBadDoctor')).toBe('pendiente');
  });

  it("answers another patient's prescription exactly like an unknown one (404, no oracle), without writing", async () => {
    const other = await setState(SEED_RECETA_IDS.luisPending, { estadovalidacion: 'VALIDADA' });
    const unknown = await setState('aaaaaaaaaaaaaaaaaaaaaaaa', { estadovalidacion: 'VALIDADA' });
    expect([other.status, unknown.status]).toEqual([404, 404]);
    const [otherBody, unknownBody] = [await errorBody(other), await errorBody(unknown)];
    expect([otherBody.code, unknownBody.code]).toEqual(['PRESCRIPTION_NOT_FOUND', 'PRESCRIPTION_NOT_FOUND']);
    expect(Object.keys(otherBody.details ?? {})).toEqual(Object.keys(unknownBody.details ?? {}));
    expect(otherBody.error.replace(SEED_RECETA_IDS.luisPending, 'ID')).toBe(unknownBody.error.replace('aaaaaaaaaaaaaaaaaaaaaaaa', 'ID'));
    expect(h.writes()).toEqual([]);
    expect(stateOf('luisPending')).toBe('pendiente');
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
});

describe('rejecting or resetting a prescription', () => {
  it.each(['RECHAZADA', 'PENDIENTE'])('lets an ADMIN set %s without running the checks', async (estado) => {
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

  it('refuses RECHAZADA from a CLIENTE with 403 FORBIDDEN before any upstream call', async () => {
    const response = await setState(SEED_RECETA_IDS.anaPendingValid, { estadovalidacion: 'RECHAZADA' });
    expect(response.status).toBe(403);
    expect((await errorBody(response)).code).toBe('FORBIDDEN');
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
