// Property-based tests of the prescription routes: random path segments, bodies and headers never
// give a 5xx, and a prescription's state is written only for a valid id and state, then with a 2xx.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { RecetaParamsSchema, StateBodySchema } from '../../src/routes/prescriptions/prescriptions.schemas.js';
import { API } from '../helpers/harness.js';
import {
  RUNS,
  fuzzHarness,
  anyBody,
  anyScalar,
  decodedSegment,
  describeRequest,
  expectInvariants,
  freshUpstreams,
  fuzzedHeaders,
  nearValid,
  parsedJson,
  pathSegment,
  send,
  type FuzzRequest,
} from '../helpers/fuzz-support.js';

const { h, signed, caller } = fuzzHarness();
const recetaId = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(SEED_RECETA_IDS)), weight: 4 },
  { arbitrary: fc.constantFrom(...Object.values(SEED_RECETA_IDS)).map((id) => id.toUpperCase()), weight: 1 },
  { arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/), weight: 1 },
  { arbitrary: fc.stringMatching(/^[0-9a-f]{23,25}$/), weight: 1 },
);
const segment = pathSegment(recetaId);

const paramValid = (raw: string) => !raw.includes('/') && RecetaParamsSchema.safeParse({ receta_id: decodedSegment(raw) }).success;

const state = fc.oneof(
  { arbitrary: fc.constantFrom('VALIDADA', 'RECHAZADA', 'PENDIENTE', 'validada', 'Rechazada', 'pEnDiEnTe'), weight: 5 },
  { arbitrary: fc.constantFrom('VALIDADA ', ' validada', 'validadá', 'VALİDADA', 'aprobada', 'VALIDADA\n', '', 'validada|rechazada'), weight: 2 },
  { arbitrary: anyScalar, weight: 2 },
);
const validStateBody = fc.record(
  { estadovalidacion: state, datos_adicionales: fc.record({ dni: fc.constantFrom('71234567', '72345678') }) },
  { requiredKeys: ['estadovalidacion'] },
);
const stateBody = fc.oneof({ arbitrary: validStateBody, weight: 4 }, { arbitrary: nearValid(validStateBody), weight: 3 });

describe('PUT /recetas/estado/{receta_id} under fuzzing', () => {
  it('never answers 5xx and writes the state only for a valid id and state, then answering 2xx', async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment, fuzzedHeaders, anyBody(stateBody), async (who, raw, headers, body) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'PUT', path: `${API}/recetas/estado/${raw}`, token: signed[who], headers, body };
        const response = await send(h, request);
        const json = parsedJson(body, headers);
        const valid = paramValid(raw) && json.ok && StateBodySchema.safeParse(json.value).success;
        await expectInvariants(h, response, { valid }, describeRequest(request));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('PUT /recetas/validar/{receta_id} under fuzzing', () => {
  it('ignores any body and content type; writes only for a valid id, then answering 2xx', async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment, fuzzedHeaders, fc.option(anyBody(stateBody), { nil: undefined }), async (who, raw, headers, body) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'PUT', path: `${API}/recetas/validar/${raw}`, token: signed[who], headers, ...(body ? { body } : {}) };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: paramValid(raw) }, describeRequest(request));
      }),
      { numRuns: RUNS },
    );
  });
});
