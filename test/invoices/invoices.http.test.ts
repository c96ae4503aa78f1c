// Invoice intake forwarded to the FastAPI + Celery queue, as the client sees it: every invoice is
// checked before anything is sent, the Idempotency-Key travels with the batch, the queue's
// 202/409/422 are passed on, and the write is never retried. The field rules themselves are pure
// tables (invoice-rules.unit, rut.unit); the key scoping and the queue's refusals are use-case
// tests (submit-invoices.use-case).
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { SEED_DNI } from '../../mocks/index.js';
import { API, BASE_URLS, createHarness, errorBody, tokens, type Harness } from '../helpers/harness.js';

const scopedKey = (caller: string, key: string) => createHash('sha256').update(`${caller}:${key}`).digest('hex');

const FACTURAS_URL = `${BASE_URLS.facturas}/facturas/`;
const DAY_MS = 86_400_000;

/** A UTC calendar date `days` from now (0 = today). */
const utcDate = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

const invoice = (n: number, overrides: Record<string, unknown> = {}) => ({
  numero_factura: `F-${String(n).padStart(6, '0')}`,
  rut_cliente: '11.111.111-1',
  monto: 1500.5,
  fecha_emision: utcDate(0),
  ...overrides,
});

const issuePaths = (body: { details?: Record<string, unknown> }) =>
  ((body.details?.issues ?? []) as Array<{ path: string }>).map((issue) => issue.path);

function submitter(h: Harness) {
  return async (json: unknown, key: string | null = 'lote-0001') => {
    const headers: Record<string, string> = key === null ? {} : { 'idempotency-key': key };
    return h.request(`${API}/facturas`, { method: 'POST', token: await tokens.ana(), json, headers });
  };
}

describe('POST /facturas', () => {
  const h = createHarness();
  beforeAll(h.listen);
  beforeEach(h.reset);
  afterAll(h.close);
  const submit = submitter(h);

  async function expectBatchInvalid(response: Response, paths: string[]) {
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(issuePaths(body)).toEqual(expect.arrayContaining(paths));
    expect(h.calls('facturas')).toEqual([]);
    return body;
  }

  it("forwards a valid batch (one dated tomorrow UTC) with the caller-scoped key and Authorization, passing the 202 on", async () => {
    const batch = [invoice(1), invoice(2, { rut_cliente: '10000013-k', monto: 0.07, fecha_emision: utcDate(1) })];
    const token = await tokens.ana();
    const response = await h.request(`${API}/facturas`, { method: 'POST', token, json: batch, headers: { 'idempotency-key': 'lote-2025-08-24-0001' } });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'OK', detail: '2 facturas recibidas y encoladas para procesamiento.' });

    const calls = h.calls('facturas');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/facturas/', body: batch });
    // The key reaches the queue scoped to the caller: SHA-256 of "<sub>:<key>".
    const scoped = scopedKey(SEED_DNI.ana, 'lote-2025-08-24-0001');
    expect(calls[0]?.headers['idempotency-key']).toBe(scoped);
    // The caller's Authorization travels to the invoice queue, like to the task queue.
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(h.mocks.state.data.facturas.batches).toMatchObject([{ idempotencyKey: scoped, facturas: batch }]);
  });

  it('answers a replay of the same key with 409 DUPLICATE_REQUEST and enqueues nothing more', async () => {
    expect((await submit([invoice(1)], 'lote-dup')).status).toBe(202);
    const replay = await submit([invoice(2)], 'lote-dup');
    expect(replay.status).toBe(409);
    expect((await errorBody(replay)).code).toBe('DUPLICATE_REQUEST');
    expect(h.mocks.state.data.facturas.batches).toHaveLength(1);
  });

  it('accepts a key of exactly 255 visible ASCII characters', async () => {
    const key = `${'k'.repeat(250)}!~:/=`;
    expect(key).toHaveLength(255);
    expect((await submit([invoice(1)], key)).status).toBe(202);
    expect(h.calls('facturas')[0]?.headers['idempotency-key']).toBe(scopedKey(SEED_DNI.ana, key));
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['containing a space', 'lote 0001'],
    ['of 256 characters', 'k'.repeat(256)],
    ['with a non-ASCII character', 'lote-año-0001'],
    ['with a tab', 'lote\t0001'],
  ])('is 400 VALIDATION_ERROR at idempotency-key when the key is %s, forwarding nothing', async (_case, key) => {
    const response = await submit([invoice(1)], key);
    expect(response.status).toBe(400);
    const body = await errorBody(response);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(issuePaths(body)).toContain('idempotency-key');
    expect(h.calls()).toEqual([]);
  });

  // One batch breaking each rule of each field once: every rule is wired to its field, and every
  // failing index.field is listed. The rules' own edge cases are the unit tables.
  it('lists every failing index and field of a batch and forwards nothing', async () => {
    const batch = [
      invoice(0),
      invoice(1, { rut_cliente: '11.111.111-2' }),
      invoice(2),
      invoice(3, { monto: 0, fecha_emision: utcDate(2) }),
      invoice(4, { numero_factura: '' }),
      invoice(5, { monto: 1.005 }),
      invoice(6, { fecha_emision: '2025-02-29' }),
      invoice(7, { monto: '10' }),
      invoice(8, { numero_factura: undefined }),
      invoice(9, { numero_factura: '   ' }),
      invoice(10, { rut_cliente: '111111111', monto: -1, fecha_emision: '2025-8-24' }),
    ];
    const body = await expectBatchInvalid(await submit(batch), []);
    expect([...issuePaths(body)].sort()).toEqual([
      '1.rut_cliente',
      '10.fecha_emision',
      '10.monto',
      '10.rut_cliente',
      '3.fecha_emision',
      '3.monto',
      '4.numero_factura',
      '5.monto',
      '6.fecha_emision',
      '7.monto',
      '8.numero_factura',
      '9.numero_factura',
    ]);
  });

  it.each([
    ['an empty array', []],
    ['an object', { facturas: [invoice(1)] }],
    ['a single invoice not in an array', invoice(1)],
    ['null', null],
    ['1001 invoices', Array.from({ length: 1001 }, (_, n) => invoice(n))],
  ])('is 422 VALIDATION_ERROR for %s', async (_case, json) => {
    await expectBatchInvalid(await submit(json), []);
  });

  it('accepts exactly 1000 invoices in a body larger than the general 100 KB limit', async () => {
    const batch = Array.from({ length: 1000 }, (_, n) => invoice(n, { numero_factura: `FACTURA-ELECTRONICA-${n}` }));
    expect(JSON.stringify(batch).length).toBeGreaterThan(102_400);
    const response = await submit(batch);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ detail: '1000 facturas recibidas y encoladas para procesamiento.' });
    expect(h.mocks.state.data.facturas.batches[0]?.facturas).toHaveLength(1000);
  });

  // The gateway's default limit still holds elsewhere (the limits' own tables: platform/body-limit
  // and security/limits); here, next to the invoice route's larger one.
  it('still limits other routes to 100 KB: a 150 KB purchase is 413 PAYLOAD_TOO_LARGE', async () => {
    const json = { productos: [{ producto_id: 1, cantidad: 1 }], nota: 'x'.repeat(150 * 1024) };
    const response = await h.request(`${API}/compras`, { method: 'POST', token: await tokens.ana(), json });
    expect(response.status).toBe(413);
    expect((await errorBody(response)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(h.calls()).toEqual([]);
  });

  it("maps the service's own 422 to VALIDATION_ERROR with index.field paths", async () => {
    h.msw.use(
      http.post(FACTURAS_URL, () =>
        HttpResponse.json({ detail: [{ type: 'missing', loc: ['body', 0, 'monto'], msg: 'Field required' }] }, { status: 422 }),
      ),
    );
    const response = await submit([invoice(0)]);
    expect(response.status).toBe(422);
    const body = await errorBody(response);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(issuePaths(body)).toEqual(['0.monto']);
  });

  it.each([
    ['fails with 500', () => HttpResponse.text('Internal Server Error at redis://queue.internal:6379', { status: 500 })],
    ['drops the connection', () => HttpResponse.error()],
  ])('is 503 naming the service, without leaking its body, when the service %s; the batch is sent once, never retried', async (_case, answer) => {
    let attempts = 0;
    h.msw.use(
      http.post(FACTURAS_URL, () => {
        attempts++;
        return answer();
      }),
    );
    const response = await submit([invoice(0)]);
    expect(response.status).toBe(503);
    const body = await errorBody(response);
    expect(body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.details?.service).toBe('facturas');
    expect(JSON.stringify(body)).not.toMatch(/redis|queue\.internal/);
    expect(attempts).toBe(1);
  });

  it('is 415 for a body that is not JSON, forwarding nothing', async () => {
    const response = await h.request(`${API}/facturas`, {
      method: 'POST',
      token: await tokens.ana(),
      headers: { 'idempotency-key': 'lote-0001', 'content-type': 'text/csv' },
      body: 'F-1,11111111-1,1500.50,2025-08-24',
    });
    expect(response.status).toBe(415);
    expect((await errorBody(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(h.calls()).toEqual([]);
  });

  // Every secured route's 401 is security/auth.http's table; one here keeps this route's path covered.
  it('is 401 without a token, forwarding nothing', async () => {
    const response = await h.request(`${API}/facturas`, { method: 'POST', json: [invoice(0)], headers: { 'idempotency-key': 'k' } });
    expect(response.status).toBe(401);
    expect(h.calls()).toEqual([]);
  });
});
