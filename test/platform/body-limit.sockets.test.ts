// BODY_LIMIT_BYTES over a real socket, where a body comes with the Content-Length the client's
// HTTP stack writes: judged by the header, 413 before the body is read or any upstream called.
// Bodies without a Content-Length (chunked): security/limits.sockets; the limit in process:
// platform/body-limit-and-cors.http.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { callGateway, recordedCalls, startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

let gw: GatewayUnderTest;
beforeAll(async () => {
  gw = await startGatewayUnderTest({ BODY_LIMIT_BYTES: '1000', INVOICE_BODY_LIMIT_BYTES: '3000' });
});
beforeEach(() => gw.resetMocks());
afterAll(() => gw.close());

/** A JSON object of exactly `bytes` bytes. */
const jsonOf = (bytes: number, fields: Record<string, unknown>) => {
  const base = JSON.stringify({ ...fields, relleno: '' });
  return JSON.parse(base.replace('"relleno":""', `"relleno":"${'x'.repeat(bytes - base.length)}"`)) as Record<string, unknown>;
};

const invoice = { numero_factura: 'F-1', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: '2025-08-24' };

describe('a body with Content-Length', () => {
  it('at the limit is read and served', async () => {
    const body = jsonOf(1000, { estadovalidacion: 'VALIDADA' });
    expect(JSON.stringify(body)).toHaveLength(1000);
    const answer = await callGateway(gw.api, `/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, { method: 'PUT', token: gw.adminToken, body });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['a purchase one byte over the limit', '/compras', 1001, jsonOf(1001, { productos: [{ producto_id: 1, cantidad: 1 }] }), 1000],
    ['an invoice batch over its own limit', '/facturas', 3001, [jsonOf(3001 - 2, invoice)], 3000],
    ['an invoice batch over its own limit, trailing slash', '/facturas/', 3001, [jsonOf(3001 - 2, invoice)], 3000],
  ])('answers 413 PAYLOAD_TOO_LARGE to %s, calling no upstream', async (_name, path, bytes, body, limit) => {
    expect(JSON.stringify(body)).toHaveLength(bytes);
    const answer = await callGateway(gw.api, path, { method: 'POST', token: gw.clienteToken, body });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(answer.text).toContain(String(limit));
    for (const service of ['usuarios', 'productos', 'recetas', 'facturas'] as const) {
      expect(await recordedCalls(gw.upstreams.urls, service)).toEqual([]);
    }
  });

  it('under an invoice batch\'s own limit is not held to the default one', async () => {
    const body = [jsonOf(2000, invoice)];
    const answer = await callGateway(gw.api, '/facturas', { method: 'POST', token: gw.clienteToken, body, headers: { 'idempotency-key': 'body-limit-socket-1' } });
    expect(answer.status).not.toBe(413);
  });
});
