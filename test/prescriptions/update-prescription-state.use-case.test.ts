// updatePrescriptionState against in-memory prescriptions, products and users services, for both
// generations of the prescriptions service: who may ask for which state, the checks VALIDADA runs
// and in which order, what is written upstream and what never is.
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/context/request-context.js';
import { updatePrescriptionState, type PrescriptionState } from '../../src/domain/prescriptions/update-prescription-state.js';
import type { Prescription, RecetasApi } from '../../src/upstreams/recetas/recetas-client.js';
import {
  DNI,
  TODAY,
  adminContext,
  callerContext,
  fakePrescriptionUpstreams,
  receta,
  RecordingLogger,
  type ServiceVerdict,
} from '../helpers/feature-fakes.js';

const ID = {
  valid: 'a00000000000000000000001',
  luis: 'a00000000000000000000002',
  rejected: 'a00000000000000000000003',
  validated: 'a00000000000000000000004',
  unknownPatient: 'a00000000000000000000005',
  unknown: 'ffffffffffffffffffffffff',
};

function setup(api: RecetasApi = 'estado', extra: Prescription[] = [], verdicts: Record<string, ServiceVerdict> = {}, ocrTimeoutMs?: number) {
  const upstreams = fakePrescriptionUpstreams({
    api,
    recetas: [
      receta(ID.valid),
      receta(ID.luis, { pacienteDNI: DNI.luis, productos: [{ id: 1, nombre: 'Paracetamol 500mg', cantidad: 1 }] }),
      receta(ID.rejected, { estadoValidacion: 'rechazada' }),
      receta(ID.validated, { estadoValidacion: 'validada' }),
      receta(ID.unknownPatient, { pacienteDNI: DNI.unregistered }),
      ...extra,
    ],
    doctors: [
      { cmp: 'CMP12345', colegiaturaValida: true },
      { cmp: 'CMP99999', colegiaturaValida: false },
    ],
    verdicts,
  });
  const log = new RecordingLogger();
  const deps = {
    ...upstreams,
    logger: log,
    prescriptionValidityDays: 30,
    now: () => TODAY,
    upstreamTimeoutMs: 1000,
    ...(ocrTimeoutMs !== undefined ? { ocrTimeoutMs } : {}),
  };
  const update = (id: string, state: PrescriptionState, ctx: RequestContext = callerContext()) => updatePrescriptionState(deps, id, state, ctx);
  return { upstreams, log, update, writes: () => upstreams.ops().filter((op) => op === 'setState' || op === 'validateWithService') };
}

const invalid = (details: Record<string, unknown>) => ({ code: 'PRESCRIPTION_INVALID', status: 422, details });

describe('validating (estado generation)', () => {
  it('checks each listed product and the doctor, then writes validada; the patient needs no user lookup', async () => {
    const { upstreams, update } = setup();
    const result = await update(ID.valid, 'validada');
    expect(result).toMatchObject({
      outcome: 'validated',
      receta: { _id: ID.valid, estadoValidacion: 'validada' },
      validaciones: { productos_validados: 2, medico_valido: true, paciente_valido: true },
    });
    expect(upstreams.calls.filter((call) => call.op === 'getProduct').map((call) => call.args[0])).toEqual([1, 3]);
    expect(upstreams.calls.filter((call) => call.op === 'findDoctor').map((call) => call.args[0])).toEqual(['CMP12345']);
    expect(upstreams.calls.find((call) => call.op === 'setState')?.args).toEqual([ID.valid, 'validada']);
    expect(upstreams.ops()).not.toContain('listUsers');
    expect(upstreams.ops()).not.toContain('setStock');
  });

  it('matches product names ignoring case, accents and repeated spaces', async () => {
    const names = [
      { id: 1, nombre: 'paracetamol   500MG', cantidad: 1 },
      { id: 3, nombre: 'AMOXICILÍNA 500mg', cantidad: 2 },
    ];
    const { update } = setup('estado', [receta('b00000000000000000000001', { productos: names })]);
    expect(await update('b00000000000000000000001', 'validada')).toMatchObject({ outcome: 'validated' });
  });

  it.each([
    ['a doctor with an invalid licence', { medicoCMP: 'CMP99999' }, { checks_fallidos: ['medico'], medico: { medicoCMP: 'CMP99999', motivo: 'invalid_licence' } }],
    ['an unregistered doctor', { medicoCMP: 'CMP00000' }, { checks_fallidos: ['medico'], medico: { motivo: 'not_registered' } }],
    ['a product name that does not match', { productos: [{ id: 3, nombre: 'Ibuprofeno', cantidad: 1 }] }, {
      checks_fallidos: ['productos'],
      productos: [{ id: 3, nombre: 'Ibuprofeno', motivo: 'name_mismatch', nombre_registrado: 'Amoxicilina 500mg' }],
    }],
    ['an unknown product', { productos: [{ id: 999, nombre: 'X', cantidad: 1 }] }, { checks_fallidos: ['productos'], productos: [{ id: 999, motivo: 'not_found' }] }],
    ['no products at all', { productos: [] }, { checks_fallidos: ['productos'], productos: 'la receta no lista productos' }],
    ['an issue date 45 days old', { fechaEmision: '2025-09-06T00:00:00.000Z' }, { checks_fallidos: ['fecha'], fecha: { motivo: 'expired' } }],
    ['an issue date in the future', { fechaEmision: '2025-10-22T00:00:00.000Z' }, { checks_fallidos: ['fecha'], fecha: { motivo: 'future' } }],
    ['several failures at once', { medicoCMP: 'CMP00000', fechaEmision: 'not a date' }, { checks_fallidos: ['medico', 'fecha'], fecha: { motivo: 'invalid' } }],
  ])('refuses %s with 422 PRESCRIPTION_INVALID naming the check, writing nothing', async (_case, overrides, details) => {
    const id = 'c00000000000000000000001';
    const { update, writes, upstreams } = setup('estado', [receta(id, overrides as Partial<Prescription>)]);
    await expect(update(id, 'validada')).rejects.toMatchObject(invalid(details));
    expect(writes()).toEqual([]);
    expect(upstreams.stateOf(id)).toBe('pendiente');
  });

  it("answers another patient's prescription exactly like an unknown one (404, no oracle), writing nothing", async () => {
    const { update, writes } = setup();
    const other = await update(ID.luis, 'validada').catch((error: unknown) => error);
    const unknown = await update(ID.unknown, 'validada').catch((error: unknown) => error);
    expect(other).toMatchObject({ code: 'PRESCRIPTION_NOT_FOUND', status: 404, details: { receta_id: ID.luis } });
    expect(unknown).toMatchObject({ code: 'PRESCRIPTION_NOT_FOUND', status: 404, details: { receta_id: ID.unknown } });
    expect(writes()).toEqual([]);
  });

  it('lets a patient validate an already validated prescription again: the checks run again', async () => {
    const { update, upstreams } = setup();
    await update(ID.validated, 'validada');
    expect(upstreams.ops().filter((op) => op === 'findDoctor' || op === 'setState')).toEqual(['findDoctor', 'setState']);
  });

  it("refuses a patient's validation of a prescription a pharmacist rejected: 403 after the read, no write", async () => {
    const { update, upstreams } = setup();
    await expect(update(ID.rejected, 'validada')).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(upstreams.ops()).toEqual(['getPrescription']);
    expect(upstreams.stateOf(ID.rejected)).toBe('rechazada');
  });

  it("lets an ADMIN validate any patient's prescription, checking the patient in the user list", async () => {
    const { update, upstreams } = setup();
    expect(await update(ID.luis, 'validada', adminContext())).toMatchObject({
      receta: { pacienteDNI: DNI.luis, estadoValidacion: 'validada' },
      validaciones: { productos_validados: 1 },
    });
    expect(upstreams.ops().filter((op) => op === 'listUsers')).toEqual(['listUsers']);
  });

  it("refuses an ADMIN's validation whose patient is not a registered user: 422 paciente, no write", async () => {
    const { update, writes } = setup();
    await expect(update(ID.unknownPatient, 'validada', adminContext())).rejects.toMatchObject(
      invalid({ checks_fallidos: ['paciente'], paciente: { pacienteDNI: DNI.unregistered, motivo: 'not_registered' } }),
    );
    expect(writes()).toEqual([]);
  });
});

describe('rejecting or resetting', () => {
  it.each([
    ['rechazada', 'a pending prescription', ID.valid],
    ['pendiente', 'a rejected prescription', ID.rejected],
  ] as const)('lets an ADMIN set %s on %s without running any check', async (state, _case, id) => {
    const { update, upstreams } = setup();
    expect(await update(id, state, adminContext())).toEqual({ outcome: 'state_updated', receta: expect.objectContaining({ estadoValidacion: state }) });
    expect(upstreams.ops()).toEqual(['getPrescription', 'setState']);
    expect(upstreams.stateOf(id)).toBe(state);
  });

  it.each([
    ['rechazada', ID.valid],
    ['pendiente', ID.rejected],
    ['rechazada', ID.luis],
    ['rechazada', ID.unknown],
  ] as const)('refuses %s from a CLIENTE with 403 before any upstream call (%s)', async (state, id) => {
    const { update, upstreams } = setup();
    await expect(update(id, state)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(upstreams.calls).toEqual([]);
  });
});

describe('validating (validar generation: the service checks the doctor and the PDF itself)', () => {
  it("runs the gateway's own checks without a doctor lookup, then asks the service", async () => {
    const { update, upstreams } = setup('validar');
    expect(await update(ID.valid, 'validada')).toMatchObject({ outcome: 'validated', validaciones: { productos_validados: 2 } });
    expect(upstreams.ops().filter((op) => op !== 'getProduct')).toEqual(['getPrescription', 'validateWithService']);
    expect(upstreams.ops().filter((op) => op === 'getProduct')).toHaveLength(2);
  });

  it.each(['medico', 'documento'] as const)("turns the service's refusal naming %s into 422 naming only that check", async (check) => {
    const { update, upstreams } = setup('validar', [], { [ID.valid]: { refuse: check } });
    await expect(update(ID.valid, 'validada')).rejects.toMatchObject(invalid({ checks_fallidos: [check] }));
    expect(upstreams.stateOf(ID.valid)).toBe('pendiente');
  });

  it.each([
    ['a product name that does not match', { productos: [{ id: 3, nombre: 'Ibuprofeno', cantidad: 1 }] }, 'productos'],
    ['an expired issue date', { fechaEmision: '2025-09-06T00:00:00.000Z' }, 'fecha'],
  ])("stops at the gateway's own check of %s without calling validar", async (_case, overrides, check) => {
    const id = 'c00000000000000000000002';
    const { update, writes } = setup('validar', [receta(id, overrides)]);
    await expect(update(id, 'validada')).rejects.toMatchObject(invalid({ checks_fallidos: [check] }));
    expect(writes()).toEqual([]);
  });

  it.each(['rechazada', 'pendiente'] as const)('answers %s 501 NOT_SUPPORTED with no upstream call, even for an ADMIN', async (state) => {
    const { update, upstreams } = setup('validar');
    await expect(update(ID.valid, state, adminContext())).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      status: 501,
      details: { service: 'recetas', estadovalidacion: state.toUpperCase() },
    });
    expect(upstreams.calls).toEqual([]);
  });

  it('answers 403, not 501, to a CLIENTE asking rechazada (the role check comes first)', async () => {
    const { update, upstreams } = setup('validar');
    await expect(update(ID.valid, 'rechazada')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(upstreams.calls).toEqual([]);
  });

  it('keeps the answer of a service that read another patient in the PDF, and warns a pharmacist with both DNIs', async () => {
    const { update, log } = setup('validar', [], { [ID.valid]: { rewrite: { pacienteDNI: DNI.luis } } });
    expect(await update(ID.valid, 'validada')).toMatchObject({ receta: { pacienteDNI: DNI.luis } });
    expect(log.at('warn')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ recetaId: ID.valid, checkedPatientDni: DNI.ana, returnedPatientDni: DNI.luis }) }),
    ]);
  });

  it('warns when the service rewrote the products too, and stays silent when it changed nothing', async () => {
    const productos = [{ id: 1, nombre: 'Paracetamol 500mg', cantidad: 5 }];
    const rewritten = setup('validar', [], { [ID.valid]: { rewrite: { productos } } });
    await rewritten.update(ID.valid, 'validada');
    expect(rewritten.log.at('warn')).toEqual([expect.objectContaining({ fields: expect.objectContaining({ returnedProductos: productos }) })]);
    const untouched = setup('validar');
    await untouched.update(ID.valid, 'validada');
    expect(untouched.log.entries).toEqual([]);
  });
});

describe('the write budget', () => {
  const writeBudget = { code: 'UPSTREAM_TIMEOUT', status: 504, details: { stage: 'write_budget' } };

  it.each([
    ['estado', 'pendiente', 'ADMIN'],
    ['estado', 'validada', 'CLIENTE'],
    ['validar', 'validada', 'CLIENTE'],
  ] as const)('(%s) starts no %s write with less than one upstream timeout left: 504 write_budget', async (api, state, role) => {
    const { update, writes } = setup(api);
    await expect(update(ID.valid, state, callerContext(role === 'ADMIN' ? DNI.admin : DNI.ana, role, 900))).rejects.toMatchObject(writeBudget);
    expect(writes()).toEqual([]);
  });

  it('needs RECETAS_OCR_TIMEOUT_MS left for the service to validate, when it is set', async () => {
    const { update, writes } = setup('validar', [], {}, 5000);
    await expect(update(ID.valid, 'validada', callerContext(DNI.ana, 'CLIENTE', 3000))).rejects.toMatchObject(writeBudget);
    expect(writes()).toEqual([]);
    expect(await update(ID.valid, 'validada', callerContext(DNI.ana, 'CLIENTE', 6000))).toMatchObject({ outcome: 'validated' });
  });
});
