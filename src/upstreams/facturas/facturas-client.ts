import { z } from 'zod';
import type { CallContext } from '../http/call-context.js';
import type { Upstream } from '../http/call-upstream.js';

export interface Invoice {
  numero_factura: string;
  rut_cliente: string;
  monto: number;
  fecha_emision: string;
}

export const IntakeAnswerSchema = z.looseObject({ status: z.string(), detail: z.string() });
export type IntakeAnswer = z.infer<typeof IntakeAnswerSchema>;

/** FastAPI's 422 body: `{detail: [{type, loc, msg}]}`. */
export const FastApiValidationSchema = z.object({
  detail: z.array(z.looseObject({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() })),
});

/** The invoice intake queue (FastAPI + Celery). */
export interface InvoicesClient {
  /**
   * Enqueues a batch under an idempotency key. The key is consumed on first receipt (409 on a
   * replay within 24 h), so this write is never retried by the gateway.
   */
  submitBatch(invoices: Invoice[], idempotencyKey: string, ctx: CallContext): Promise<IntakeAnswer>;
}

export function createInvoicesClient(upstream: Upstream): InvoicesClient {
  return {
    submitBatch: (invoices, idempotencyKey, ctx) =>
      upstream.call(
        {
          operation: 'submitInvoices',
          method: 'POST',
          path: 'facturas/',
          json: invoices,
          idempotencyKey,
          schema: IntakeAnswerSchema,
        },
        ctx,
      ),
  };
}
