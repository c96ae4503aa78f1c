import { GatewayError, validationError } from '../../errors/gateway-error.js';
import { isRejectedWith } from '../../errors/upstream-error.js';
import type { IntakeAnswer, Invoice, InvoicesClient } from '../../upstreams/facturas/facturas-client.js';
import { FastApiValidationSchema } from '../../upstreams/facturas/facturas-client.js';
import type { RequestContext } from '../request-context.js';

export type { IntakeAnswer, Invoice } from '../../upstreams/facturas/facturas-client.js';

/**
 * Forwards a validated batch with the caller's idempotency key. The service's 202 passes
 * through, its 409 (key already used in 24 h) becomes DUPLICATE_REQUEST and its 422 a
 * VALIDATION_ERROR with the same index.field paths the gateway uses.
 */
export async function submitInvoices(
  client: InvoicesClient,
  invoices: Invoice[],
  idempotencyKey: string,
  ctx: RequestContext,
): Promise<IntakeAnswer> {
  try {
    return await client.submitBatch(invoices, idempotencyKey, ctx);
  } catch (error) {
    if (isRejectedWith(error, 409)) {
      throw new GatewayError('DUPLICATE_REQUEST', {
        message: 'This Idempotency-Key was already used for an invoice batch',
        details: { service: 'facturas' },
      });
    }
    if (isRejectedWith(error, 422)) {
      const parsed = FastApiValidationSchema.safeParse(error.body);
      const issues = parsed.success
        ? parsed.data.detail.map((item) => ({ path: item.loc.filter((part) => part !== 'body').join('.'), message: item.msg }))
        : [{ path: '', message: 'The invoice service rejected the batch' }];
      throw validationError(issues, 422, 'Invoice batch rejected by the invoice service');
    }
    throw error;
  }
}
