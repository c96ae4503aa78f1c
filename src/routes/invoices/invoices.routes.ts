import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import { IntakeAnswerSchema, InvoiceBatchSchema, InvoiceHeadersSchema } from './invoices.schemas.js';

export const submitInvoicesRoute = createRoute({
  operationId: 'submitInvoices',
  method: 'post',
  path: '/facturas',
  tags: ['invoices'],
  summary: 'Enqueue a batch of 1..1000 invoices under an Idempotency-Key',
  description:
    'Every invoice is validated before anything is forwarded (RUT check digit, monto > 0 with at most 2 decimals, ' +
    'fecha_emision not later than tomorrow UTC). This route accepts bodies up to INVOICE_BODY_LIMIT_BYTES ' +
    '(default 1 MiB, enough for 1000 invoices) instead of BODY_LIMIT_BYTES. The key is consumed by the queue ' +
    'service on first receipt: a replay within 24 h is 409 DUPLICATE_REQUEST whatever the body, and the gateway ' +
    'never retries this call.',
  security: bearerSecurity,
  request: {
    headers: InvoiceHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: InvoiceBatchSchema } } },
  },
  responses: {
    202: { description: 'Enqueued', content: { 'application/json': { schema: IntakeAnswerSchema } } },
    ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 409, 413, 415, 422], {
      400: 'VALIDATION_ERROR: Idempotency-Key missing or malformed',
      409: 'DUPLICATE_REQUEST: the key was used in the last 24 h',
      422: 'VALIDATION_ERROR: invalid batch; details.issues lists every failing index.field (e.g. 3.rut_cliente)',
    }),
  },
});
