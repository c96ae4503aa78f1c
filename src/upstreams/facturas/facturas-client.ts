import { z } from 'zod';
import { isRejectedWith } from '../../errors/upstream-error.js';
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
const FastApiValidationSchema = z.object({
  detail: z.array(z.looseObject({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string() })),
});

/** The queue already received this idempotency key within 24 h (its 409): nothing was enqueued again. */
export class InvoiceKeyAlreadyUsed extends Error {
  constructor(options?: { cause?: unknown }) {
    super('facturas: idempotency key already used', options);
  }
}

/**
 * The queue refused the batch's content (its 422). `fields` are the refused fields as
 * `index.field` paths (FastAPI's `loc` without its leading `body`), or `undefined` when the body
 * named none that could be read. The service's own words (`msg`) are not kept.
 */
export class InvoicesRefused extends Error {
  constructor(
    readonly fields: string[] | undefined,
    options?: { cause?: unknown },
  ) {
    super(`facturas: batch refused${fields ? ` (${fields.join(', ')})` : ''}`, options);
  }
}

/** The invoice intake queue (FastAPI + Celery). */
export interface InvoicesClient {
  /**
   * Enqueues a batch under an idempotency key. The key is consumed on first receipt (409 on a
   * replay within 24 h), so this write is never retried by the gateway. Throws
   * `InvoiceKeyAlreadyUsed` for that 409 and `InvoicesRefused` for a 422.
   */
  submitBatch(invoices: Invoice[], idempotencyKey: string, ctx: CallContext): Promise<IntakeAnswer>;
}

export function createInvoicesClient(upstream: Upstream): InvoicesClient {
  return {
    async submitBatch(invoices, idempotencyKey, ctx) {
      try {
        return await upstream.call(
          {
            operation: 'submitInvoices',
            method: 'POST',
            path: 'facturas/',
            json: invoices,
            idempotencyKey,
            schema: IntakeAnswerSchema,
          },
          ctx,
        );
      } catch (error) {
        if (isRejectedWith(error, 409)) throw new InvoiceKeyAlreadyUsed({ cause: error });
        if (isRejectedWith(error, 422)) throw new InvoicesRefused(refusedFields(error.body), { cause: error });
        throw error;
      }
    },
  };
}

function refusedFields(body: unknown): string[] | undefined {
  const parsed = FastApiValidationSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.detail.map((item) => item.loc.filter((part) => part !== 'body').join('.'));
}
