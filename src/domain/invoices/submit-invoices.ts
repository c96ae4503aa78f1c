import { createHash } from 'node:crypto';
import { GatewayError, validationError } from '../../errors/gateway-error.js';
import type { IntakeAnswer, Invoice, InvoicesClient } from '../../upstreams/facturas/facturas-client.js';
import { InvoiceKeyAlreadyUsed, InvoicesRefused } from '../../upstreams/facturas/facturas-client.js';
import type { RequestContext } from '../request-context.js';
import { assertWriteBudget } from '../shared/write-budget.js';

export type { IntakeAnswer, Invoice } from '../../upstreams/facturas/facturas-client.js';

/**
 * The queue remembers keys globally, so one user's key must never block another's batch or tell
 * them it was used: the key it receives is the hex SHA-256 of `<caller sub>:<client key>`.
 */
export const callerScopedKey = (caller: string, key: string): string =>
  createHash('sha256').update(`${caller}:${key}`).digest('hex');

export interface SubmitInvoicesDeps {
  client: InvoicesClient;
  /** `UPSTREAM_TIMEOUT_MS`: the budget the batch needs left before it is sent. */
  upstreamTimeoutMs: number;
}

/** The service's own words (`msg`) are never passed on; the field it named is. */
const REJECTED = { key: 'issue.rejected_by_service' } as const;

/**
 * Forwards a validated batch with the caller's idempotency key. The service's 202 passes
 * through, its 409 (key already used in 24 h) becomes DUPLICATE_REQUEST and its 422 a
 * VALIDATION_ERROR with the same index.field paths the gateway uses. The batch is not sent
 * without one upstream timeout of budget left (504 `write_budget`): the queue consumes the key on
 * first receipt, so a batch cut off mid-call could be neither confirmed nor retried.
 */
export async function submitInvoices(
  deps: SubmitInvoicesDeps,
  invoices: Invoice[],
  idempotencyKey: string,
  ctx: RequestContext,
): Promise<IntakeAnswer> {
  const { client } = deps;
  assertWriteBudget(ctx, deps.upstreamTimeoutMs);
  try {
    return await client.submitBatch(invoices, callerScopedKey(ctx.principal.dni, idempotencyKey), ctx);
  } catch (error) {
    if (error instanceof InvoiceKeyAlreadyUsed) {
      throw new GatewayError('DUPLICATE_REQUEST', {
        text: 'invoice.duplicate_key',
        details: { service: 'facturas' },
      });
    }
    if (error instanceof InvoicesRefused) {
      const issues = (error.fields ?? ['']).map((path) => ({ path, message: REJECTED }));
      throw validationError(issues, 422, 'invoice.rejected');
    }
    throw error;
  }
}
