// submitInvoices against an in-memory invoice queue: the key the queue receives is scoped to the
// caller, the queue's refusals become the gateway's errors, and nothing is sent without the
// budget to finish the call.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submitInvoices } from '../../src/domain/invoices/submit-invoices.js';
import type { GatewayError } from '../../src/errors/gateway-error.js';
import { InvoicesRefused } from '../../src/upstreams/facturas/facturas-client.js';
import { DNI, callerContext, fakeInvoiceQueue } from '../helpers/feature-fakes.js';

const UPSTREAM_TIMEOUT_MS = 1000;
const batch = [{ numero_factura: 'F-000001', rut_cliente: '11.111.111-1', monto: 1500.5, fecha_emision: '2025-08-24' }];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function setup() {
  const queue = fakeInvoiceQueue();
  const submit = (key: string, ctx = callerContext()) => submitInvoices({ client: queue.client, upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS }, batch, key, ctx);
  return { queue, submit };
}

describe('submitInvoices', () => {
  it("sends the batch once, under the hex SHA-256 of '<caller>:<key>', and answers the queue's answer", async () => {
    const { queue, submit } = setup();
    const ctx = callerContext();
    expect(await submit('lote-2025-08-24-0001', ctx)).toEqual({ status: 'OK', detail: '1 facturas recibidas y encoladas para procesamiento.' });
    expect(queue.calls).toEqual([{ op: 'submitBatch', args: [batch, sha256(`${DNI.ana}:lote-2025-08-24-0001`)], ctx }]);
  });

  it("keeps keys per caller: Luis's batch under Ana's key is accepted, Ana's replay is 409 DUPLICATE_REQUEST", async () => {
    const { queue, submit } = setup();
    await submit('lote-compartido');
    await submit('lote-compartido', callerContext(DNI.luis));
    await expect(submit('lote-compartido')).rejects.toMatchObject({ code: 'DUPLICATE_REQUEST', status: 409, details: { service: 'facturas' } });
    const keys = queue.calls.map((call) => call.args[1] as string);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(JSON.stringify(queue.calls.map((call) => call.args))).not.toContain('lote-compartido');
    expect(queue.batches).toHaveLength(2);
  });

  it.each([
    ['index.field paths', ['0.monto', '2.rut_cliente'], ['0.monto', '2.rut_cliente']],
    ['no readable field (the whole batch)', undefined, ['']],
  ])("turns the queue's refusal naming %s into 422 VALIDATION_ERROR, never in the queue's words", async (_case, fields, paths) => {
    const { queue, submit } = setup();
    queue.failure = new InvoicesRefused(fields);
    const error = await submit('lote-0001').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422 });
    const issues = (error as GatewayError).details?.issues as Array<{ path: string; message: unknown }>;
    expect(issues.map((issue) => issue.path)).toEqual(paths);
    expect(issues.every((issue) => JSON.stringify(issue.message) === '{"key":"issue.rejected_by_service"}')).toBe(true);
  });

  it('lets any other failure through as it is', async () => {
    const { queue, submit } = setup();
    const failure = new Error('socket hang up');
    queue.failure = failure;
    await expect(submit('lote-0001')).rejects.toBe(failure);
    expect(queue.calls).toHaveLength(1);
  });

  it('sends nothing with less than one upstream timeout of budget left: 504 write_budget with Retry-After', async () => {
    const { queue, submit } = setup();
    const error = await submit('lote-0001', callerContext(DNI.ana, 'CLIENTE', UPSTREAM_TIMEOUT_MS - 200)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504, details: { stage: 'write_budget' }, headers: { 'Retry-After': '1' } });
    expect(queue.calls).toEqual([]);
  });
});
