import { z } from '@hono/zod-openapi';
import { hasAtMostTwoDecimals, isIsoCalendarDate, isNotAfterTomorrowUtc } from '../../domain/invoices/invoice-rules.js';
import { isValidRut } from '../../domain/invoices/rut.js';
import { IdempotencyKeySchema } from '../shared/idempotency-key.js';

export const MAX_INVOICES = 1000;

export const InvoiceSchema = z
  .object({
    numero_factura: z
      .string()
      .refine((value) => value.trim().length > 0, 'numero_factura must not be empty')
      .openapi({ example: 'F-001' }),
    rut_cliente: z
      .string()
      .refine(isValidRut, 'rut_cliente must be a Chilean RUT with a correct check digit (e.g. 11.111.111-1)')
      .openapi({ example: '11111111-1' }),
    monto: z
      .number()
      .positive('monto must be greater than 0')
      .refine(hasAtMostTwoDecimals, 'monto must have at most 2 decimals')
      .openapi({ example: 1500.5 }),
    fecha_emision: z
      .string()
      .refine(isIsoCalendarDate, { message: 'fecha_emision must be a date YYYY-MM-DD', abort: true })
      .refine((value) => isNotAfterTomorrowUtc(value, new Date()), 'fecha_emision must not be later than tomorrow (UTC)')
      .openapi({ example: '2025-08-24' }),
  })
  .openapi('Invoice');

export const InvoiceBatchSchema = z
  .array(InvoiceSchema)
  .min(1, 'send at least one invoice')
  .max(MAX_INVOICES, `send at most ${MAX_INVOICES} invoices per batch`)
  .openapi('InvoiceBatch');

export const InvoiceHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema });

export const IntakeAnswerSchema = z
  .looseObject({
    status: z.string().openapi({ example: 'OK' }),
    detail: z.string().openapi({ example: '2 facturas recibidas y encoladas para procesamiento.' }),
  })
  .openapi('InvoiceIntakeAccepted');
