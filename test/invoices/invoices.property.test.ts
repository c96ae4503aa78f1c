// Property-based tests of POST /facturas: batches of near-valid and hostile invoices (RUT check
// digits, amounts, calendar dates around "tomorrow UTC", up to 2000 items) and any Idempotency-Key
// never give a 5xx; only a valid batch under a valid key reaches the invoice service.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvoiceBatchSchema } from '../../src/routes/invoices/invoices.schemas.js';
import { IdempotencyKeySchema } from '../../src/routes/shared/idempotency-key.js';
import { API } from '../helpers/harness.js';
import {
  RUNS,
  fuzzHarness,
  anyBody,
  anyNumber,
  anyScalar,
  anyText,
  clean,
  describeRequest,
  expectInvariants,
  freshUpstreams,
  fuzzedHeaders,
  hugeArrayOf,
  nearValid,
  parsedJson,
  send,
  validIdempotencyKey,
  type FuzzRequest,
} from '../helpers/fuzz-support.js';

const { h, signed } = fuzzHarness();

const DAY_MS = 86_400_000;
const utcDate = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/** Modulo-11 check digit, written here independently of the gateway's. */
function dv(body: number): string {
  const digits = String(body).split('').reverse();
  const sum = digits.reduce((acc, digit, i) => acc + Number(digit) * (2 + (i % 6)), 0);
  const rest = 11 - (sum % 11);
  return rest === 11 ? '0' : rest === 10 ? 'K' : String(rest);
}
const dotted = (body: number) => String(body).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

const validRut = fc
  .tuple(fc.integer({ min: 1_000_000, max: 99_999_999 }), fc.boolean(), fc.boolean())
  .map(([body, dots, lower]) => `${dots ? dotted(body) : body}-${lower ? dv(body).toLowerCase() : dv(body)}`);
const rut = fc.oneof(
  { arbitrary: validRut, weight: 5 },
  {
    arbitrary: fc.integer({ min: 1_000_000, max: 99_999_999 }).map((body) => `${body}-${dv(body) === '1' ? '2' : '1'}`),
    weight: 1,
  },
  { arbitrary: fc.constantFrom('11111111-1', ' 11111111-1', '11111111-', '111111111-1', '1.1111111-1', '11111111-k', '0-0', ''), weight: 1 },
  { arbitrary: anyScalar, weight: 1 },
);
const monto = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100), weight: 5 },
  { arbitrary: fc.constantFrom(0, -1, 0.001, 1.005, 0.1 + 0.2, 1e21, 1e-7, Number.MAX_VALUE, 2 ** 53 + 1), weight: 2 },
  { arbitrary: anyNumber, weight: 1 },
  { arbitrary: anyScalar, weight: 1 },
);
const fecha = fc.oneof(
  { arbitrary: fc.integer({ min: -400, max: 1 }).map(utcDate), weight: 5 },
  { arbitrary: fc.integer({ min: 2, max: 4000 }).map(utcDate), weight: 1 },
  {
    arbitrary: fc.constantFrom('2025-02-30', '2024-02-29', '2023-02-29', '2025-13-01', '2025-8-24', '2025-08-24T00:00:00Z', '0000-01-01', '+02025-01-01', ''),
    weight: 2,
  },
  { arbitrary: anyText, weight: 1 },
);
const numero = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''), weight: 5 },
  { arbitrary: fc.constantFrom('', '   ', '\t', 'F'.repeat(5000)), weight: 1 },
  { arbitrary: anyScalar, weight: 1 },
);
const validInvoice = fc.record({
  numero_factura: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
  rut_cliente: validRut,
  monto: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100),
  fecha_emision: fc.integer({ min: -400, max: 0 }).map(utcDate),
});
const hostileInvoice = fc.record({ numero_factura: numero, rut_cliente: rut, monto, fecha_emision: fecha }, { requiredKeys: [] });
const smallInvoice = fc.record({
  numero_factura: fc.constantFrom('F-1', 'F-2'),
  rut_cliente: fc.constantFrom('11111111-1', '11111111-2'),
  monto: fc.constantFrom(1, 10.5, 0),
  fecha_emision: fc.constantFrom(utcDate(0), '2025-02-30'),
});
const validBatch = fc.array(validInvoice, { minLength: 1, maxLength: 5 });
const batch = fc.oneof(
  { arbitrary: validBatch, weight: 4 },
  { arbitrary: nearValid(validBatch), weight: 3 },
  { arbitrary: fc.array(hostileInvoice, { minLength: 1, maxLength: 5 }), weight: 3 },
  { arbitrary: hugeArrayOf(smallInvoice), weight: 1 },
  { arbitrary: fc.constantFrom([], {}, validInvoice), weight: 1 },
);

/** The key is required: most runs carry a valid one so the body's checks are reached. */
const headers = fc
  .tuple(fuzzedHeaders, fc.oneof({ arbitrary: validIdempotencyKey, weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 }))
  .map(([fuzzed, key]) => ({ ...fuzzed, 'idempotency-key': fuzzed['idempotency-key'] ?? key }));

describe('POST /facturas under fuzzing', () => {
  it('never answers 5xx and forwards only a valid batch under a valid key, then answering 202', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<keyof typeof signed>('ana', 'admin'), headers, anyBody(batch), async (who, fuzzed, body) => {
        freshUpstreams(h);
        const dataBefore = JSON.stringify(h.mocks.state.data);
        const request: FuzzRequest = { method: 'POST', path: `${API}/facturas`, token: signed[who], headers: fuzzed, body };
        const response = await send(h, request);
        const key = new Headers(clean(fuzzed)).get('idempotency-key');
        const json = parsedJson(body, fuzzed);
        const valid = key !== null && IdempotencyKeySchema.safeParse(key).success && json.ok && InvoiceBatchSchema.safeParse(json.value).success;
        await expectInvariants(h, response, { valid, forwards: true, dataBefore, label: 'POST /facturas' }, describeRequest(request));
        if (valid) expect(response.status, describeRequest(request)).toBe(202);
      }),
      { numRuns: RUNS },
    );
  });
});
