// Property-based tests of the purchase routes: random and near-schema bodies, queries and headers
// never give a 5xx nor write upstream unless valid; valid purchases of in-stock, prescription-free
// products are always registered (201) with the stock taken exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEED_DNI } from '../../mocks/index.js';
import { PageQuerySchema, PurchaseBodySchema } from '../../src/routes/purchases/purchases.schemas.js';
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
  queryString,
  send,
  type FuzzRequest,
} from '../helpers/fuzz-support.js';

const { h, signed, caller } = fuzzHarness();

// Near the schema: the right keys with values of every kind, ids that exist or not, stock limits.
const productId = fc.oneof(
  { arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 999), weight: 4 },
  { arbitrary: anyNumber, weight: 2 },
  { arbitrary: anyScalar, weight: 1 },
);
const quantity = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 4 },
  { arbitrary: fc.constantFrom(0, 2, 3, 80, 100, 101, 1000, 1001), weight: 2 },
  { arbitrary: anyNumber, weight: 2 },
  { arbitrary: anyScalar, weight: 1 },
);
const line = fc.oneof(
  { arbitrary: fc.record({ producto_id: productId, cantidad: quantity }), weight: 4 },
  { arbitrary: fc.record({ producto_id: productId, cantidad: quantity, extra: anyScalar }, { requiredKeys: [] }), weight: 1 },
  { arbitrary: productId, weight: 3 },
);
const smallLine = fc.oneof(fc.record({ producto_id: fc.integer({ min: 1, max: 9 }), cantidad: fc.integer({ min: 1, max: 3 }) }), fc.integer());
const extraKey = fc.oneof(
  fc.constantFrom('metodo_pago', 'dni', 'productos', 'cantidades', 'usuarioId', 'fechaCompra', 'id', 'total', '__proto__', 'constructor'),
  anyText,
);
/** Valid bodies of either form: products that exist or not, need a prescription or not, stock or not. */
const validBody = fc
  .record({
    lines: fc.array(fc.record({ producto_id: fc.integer({ min: 1, max: 9 }), cantidad: fc.integer({ min: 1, max: 10 }) }), {
      minLength: 1,
      maxLength: 4,
    }),
    parallel: fc.boolean(),
    datos_adicionales: fc.option(fc.record({ metodo_pago: fc.constantFrom('tarjeta', 'efectivo'), dni: fc.constant(SEED_DNI.ana) }), {
      nil: undefined,
    }),
  })
  .map(({ lines, parallel, datos_adicionales }) => ({
    ...(parallel
      ? { productos: lines.map((l) => l.producto_id), cantidades: lines.map((l) => l.cantidad) }
      : { productos: lines }),
    ...(datos_adicionales ? { datos_adicionales } : {}),
  }));
const wildBody = fc.record(
  {
    productos: fc.oneof(
      { arbitrary: fc.array(line, { minLength: 1, maxLength: 6 }), weight: 6 },
      { arbitrary: hugeArrayOf(smallLine), weight: 1 },
      { arbitrary: fc.constant([]), weight: 1 },
      { arbitrary: anyScalar, weight: 1 },
    ),
    cantidades: fc.oneof(fc.array(quantity, { maxLength: 6 }), hugeArrayOf(fc.integer({ min: 1, max: 3 })), anyScalar),
    datos_adicionales: fc.oneof(fc.dictionary(extraKey, fc.oneof(anyScalar, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }), anyScalar),
    dni: fc.oneof(fc.constant(SEED_DNI.luis), anyScalar),
  },
  { requiredKeys: ['productos'] },
);
const purchaseBody = fc.oneof(
  { arbitrary: validBody, weight: 3 },
  { arbitrary: nearValid(validBody), weight: 4 },
  { arbitrary: wildBody, weight: 2 },
);

function purchaseIsValid(request: FuzzRequest): boolean {
  const headers = request.headers ?? {};
  const key = new Headers(clean(headers)).get('idempotency-key');
  if (key !== null && !IdempotencyKeySchema.safeParse(key).success) return false;
  const json = parsedJson(request.body, headers);
  return json.ok && PurchaseBodySchema.safeParse(json.value).success;
}

describe('POST /compras under fuzzing', () => {
  it('never answers 5xx and writes only for a valid body, then answering 2xx', async () => {
    await fc.assert(
      fc.asyncProperty(caller, fuzzedHeaders, anyBody(purchaseBody), async (who, headers, body) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'POST', path: `${API}/compras`, token: signed[who], headers, body };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: purchaseIsValid(request) }, describeRequest(request));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('purchase listings under fuzzing', () => {
  it('GET /compras/me ignores any query and headers: never 5xx, never a write', async () => {
    await fc.assert(
      fc.asyncProperty(caller, fuzzedHeaders, queryString, async (who, headers, query) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'GET', path: `${API}/compras/me?${query}`, token: signed[who], headers };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: false }, describeRequest(request));
        expect(response.status, describeRequest(request)).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /compras/all answers 200 or 400 (403 for a CLIENTE) to any page query, as the schema says', async () => {
    const pageValue = fc.oneof(anyNumber.map(String), anyText, fc.constantFrom('1', '2', '100', '101', '0', '-1', '1.5', '1e2', ' 3 ', '', '0x10'));
    const pageQuery = fc
      .record({ page: pageValue, pagesize: pageValue, other: queryString }, { requiredKeys: [] })
      .map(({ page, pagesize, other }) =>
        [page !== undefined && `page=${encodeURIComponent(page)}`, pagesize !== undefined && `pagesize=${encodeURIComponent(pagesize)}`, other]
          .filter(Boolean)
          .join('&'),
      );
    await fc.assert(
      fc.asyncProperty(caller, pageQuery, async (who, query) => {
        freshUpstreams(h);
        const request: FuzzRequest = { method: 'GET', path: `${API}/compras/all?${query}`, token: signed[who] };
        const response = await send(h, request);
        await expectInvariants(h, response, { valid: false }, describeRequest(request));
        const params = new URL(`http://x/?${query}`).searchParams;
        const valid = PageQuerySchema.safeParse(Object.fromEntries(['page', 'pagesize'].filter((k) => params.has(k)).map((k) => [k, params.getAll(k).length > 1 ? params.getAll(k) : params.get(k)]))).success;
        const expected = who !== 'admin' ? 403 : valid ? 200 : 400;
        expect(response.status, describeRequest(request)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('valid purchases of in-stock products that need no prescription', () => {
  // Products 1, 2 and 5 (stock 100, 80, 60); at most 4 lines of at most 3 each, repeated ids allowed.
  const validLines = fc.array(fc.record({ producto_id: fc.constantFrom(1, 2, 5), cantidad: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 4,
  });
  const validPurchase = fc.record(
    {
      lines: validLines,
      parallel: fc.boolean(),
      extra: fc.record({ metodo_pago: fc.constantFrom('tarjeta', 'efectivo', 'yape'), dni: fc.constant(SEED_DNI.luis) }, { requiredKeys: [] }),
      idempotencyKey: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), { nil: undefined }),
      charset: fc.boolean(),
    },
    { requiredKeys: ['lines', 'parallel'] },
  );
  const STOCK: Record<number, number> = { 1: 100, 2: 80, 5: 60 };

  it('registers every one: 201, quantities summed per product, stock taken once', async () => {
    await fc.assert(
      fc.asyncProperty(caller, validPurchase, async (who, purchase) => {
        freshUpstreams(h);
        const body = purchase.parallel
          ? { productos: purchase.lines.map((l) => l.producto_id), cantidades: purchase.lines.map((l) => l.cantidad) }
          : { productos: purchase.lines };
        const json = { ...body, ...(purchase.extra ? { datos_adicionales: purchase.extra, dni: SEED_DNI.luis } : {}) };
        const headers = {
          'content-type': purchase.charset ? 'application/json; charset=utf-8' : 'application/json',
          // A fresh key per run: the same key would rightly replay an earlier run's answer.
          ...(purchase.idempotencyKey ? { 'idempotency-key': `${purchase.idempotencyKey}-${Math.random()}` } : {}),
        };
        const request: FuzzRequest = { method: 'POST', path: `${API}/compras`, token: signed[who], headers, body: { kind: 'json', value: json } };
        const response = await send(h, request);
        const text = await response.clone().text();
        expect(response.status, `${describeRequest(request)} -> ${text}`).toBe(201);

        const summed = new Map<number, number>();
        for (const l of purchase.lines) summed.set(l.producto_id, (summed.get(l.producto_id) ?? 0) + l.cantidad);
        const registered = (await response.json()) as { productos: number[]; cantidades: number[]; productos_detalle: unknown[] };
        expect(Object.fromEntries(registered.productos.map((id, i) => [id, registered.cantidades[i]]))).toEqual(Object.fromEntries(summed));
        expect(registered.productos_detalle).toHaveLength(summed.size);
        for (const [id, cantidad] of summed) {
          expect(h.mocks.state.data.productos.items.find((item) => item.id === id)?.stock).toBe((STOCK[id] ?? 0) - cantidad);
        }
        expect(h.writes('usuarios')).toHaveLength(1);
        expect(h.writes('productos')).toHaveLength(summed.size);
      }),
      { numRuns: RUNS },
    );
  });
});
