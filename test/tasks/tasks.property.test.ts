// Property-based tests of the integration-task routes. These forward to the task service, which
// may itself refuse a request the gateway found valid (another user's task, an unknown id): then
// the service's data must be unchanged. Invalid input never reaches it; nothing gives a 5xx.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateTaskBodySchema, TaskIdParamsSchema, UpdateTaskBodySchema } from '../../src/routes/tasks/tasks.schemas.js';
import { API } from '../helpers/harness.js';
import {
  RUNS,
  fuzzHarness,
  anyBody,
  anyScalar,
  anyText,
  decodedSegment,
  describeRequest,
  expectInvariants,
  freshUpstreams,
  fuzzedHeaders,
  nearValid,
  parsedJson,
  pathSegment,
  queryString,
  send,
  type FuzzRequest,
} from '../helpers/fuzz-support.js';

const { h, signed, caller } = fuzzHarness();
const taskId = fc.constantFrom('1', '2', '3', '4', '99', '9999999999999999', '0', '01', '-1', '1.0', '１');
const segment = pathSegment(taskId);
const idValid = (raw: string) => !raw.includes('/') && TaskIdParamsSchema.safeParse({ id: decodedSegment(raw) }).success;

const baseUrl = fc.oneof(
  { arbitrary: fc.webUrl({ validSchemes: ['http', 'https'] }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'javascript:alert(1)',
      'ftp://files.example.com/x',
      'file:///etc/passwd',
      'http://',
      'https://',
      '//example.com/x',
      'example.com',
      'HTTPS://EXAMPLE.COM/SYNC',
      'https://[::1]:8080/',
      'http://169.254.169.254/latest/meta-data/',
      'https://ex ample.com',
      'https://example.com/\u0000',
      `https://example.com/${'a'.repeat(3000)}`,
    ),
    weight: 3,
  },
  { arbitrary: anyScalar, weight: 1 },
);
const httpMethod = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), weight: 4 },
  { arbitrary: fc.constantFrom('get', 'PATCH', 'OPTIONS', ' GET', 'GET ', 'CONNECT', ''), weight: 2 },
  { arbitrary: anyScalar, weight: 1 },
);
const name = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0), weight: 4 },
  { arbitrary: fc.constantFrom('', '   ', 'x'.repeat(255), 'x'.repeat(256), ` ${'y'.repeat(255)} `, '\u200b'), weight: 2 },
  { arbitrary: anyText, weight: 1 },
);
const config = fc.record(
  { base_url: baseUrl, http_method: httpMethod, payload: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), anyScalar) },
  { requiredKeys: ['base_url', 'http_method'] },
);
const hostileCreate = fc.record({ name, config });
const hostileUpdate = fc.record({ name, config }, { requiredKeys: [] });

const validConfig = fc.record(
  {
    base_url: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
    http_method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    payload: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  },
  { requiredKeys: ['base_url', 'http_method'] },
);
const validName = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0);
const validCreate = fc.record({ name: validName, config: validConfig });
const validUpdate = fc.record({ name: validName, config: validConfig }, { requiredKeys: [] }).filter((b) => Object.keys(b).length > 0);
const near = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: nearValid(valid), weight: 3 }, { arbitrary: hostile, weight: 2 });
const createBody = near(validCreate, hostileCreate);
const updateBody = near(validUpdate, hostileUpdate);

const validityOf = (schema: { safeParse(value: unknown): { success: boolean } }, request: FuzzRequest) => {
  const json = parsedJson(request.body, request.headers ?? {});
  return json.ok && schema.safeParse(json.value).success;
};

describe('integration tasks under fuzzing', () => {
  it('GET /integration-tasks ignores any query and headers: 200, never a write', async () => {
    await fc.assert(
      fc.asyncProperty(caller, fuzzedHeaders, queryString, async (who, headers, query) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'GET', path: `${API}/integration-tasks?${query}`, token: signed[who], headers };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: false, label: 'GET /integration-tasks' }, describeRequest(request));
        expect(response.status, describeRequest(request)).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /integration-tasks forwards only a valid task', async () => {
    await fc.assert(
      fc.asyncProperty(
        caller,
        fuzzedHeaders,
        anyBody(createBody),
        async (who, headers, body) => {
          freshUpstreams(h);
          const dataBefore = JSON.stringify(h.mocks.state.data);
          const request: FuzzRequest = { method: 'POST', path: `${API}/integration-tasks`, token: signed[who], headers, body };
          const response = await send(h, request);
          const valid = validityOf(CreateTaskBodySchema, request);
          await expectInvariants(h, response, { valid, forwards: true, dataBefore, label: 'POST /integration-tasks' }, describeRequest(request));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /integration-tasks/{id} never writes and never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment, fuzzedHeaders, async (who, raw, headers) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'GET', path: `${API}/integration-tasks/${raw}`, token: signed[who], headers };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: false, label: 'GET /integration-tasks/{id}' }, describeRequest(request));
      }),
      { numRuns: RUNS },
    );
  });

  it('PUT /integration-tasks/{id} forwards only a valid id and change', async () => {
    await fc.assert(
      fc.asyncProperty(
        caller,
        segment,
        fuzzedHeaders,
        anyBody(updateBody),
        async (who, raw, headers, body) => {
          freshUpstreams(h);
          const dataBefore = JSON.stringify(h.mocks.state.data);
          const request: FuzzRequest = { method: 'PUT', path: `${API}/integration-tasks/${raw}`, token: signed[who], headers, body };
          const response = await send(h, request);
          const valid = idValid(raw) && validityOf(UpdateTaskBodySchema, request);
          await expectInvariants(h, response, { valid, forwards: true, dataBefore, label: 'PUT /integration-tasks/{id}' }, describeRequest(request));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('DELETE /integration-tasks/{id} forwards only a valid id', async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment, fuzzedHeaders, async (who, raw, headers) => {
        freshUpstreams(h);
        const dataBefore = JSON.stringify(h.mocks.state.data);
        const request: FuzzRequest = { method: 'DELETE', path: `${API}/integration-tasks/${raw}`, token: signed[who], headers };
        const response = await send(h, request);
        await expectInvariants(
          h,
          response,
          { valid: idValid(raw), forwards: true, dataBefore, label: 'DELETE /integration-tasks/{id}' },
          describeRequest(request),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("POST /integration-tasks/{id}/execute enqueues only the caller's own task, answering 202", async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment, fuzzedHeaders, fc.option(anyBody(fc.jsonValue()), { nil: undefined }), async (who, raw, headers, body) => {
        freshUpstreams(h);
        const request: FuzzRequest = {
          method: 'POST',
          path: `${API}/integration-tasks/${raw}/execute`,
          token: signed[who],
          headers,
          ...(body ? { body } : {}),
        };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: idValid(raw), label: 'POST /integration-tasks/{id}/execute' }, describeRequest(request));
        if (h.writes().length > 0) expect(response.status, describeRequest(request)).toBe(202);
      }),
      { numRuns: RUNS },
    );
  });
});
