import { z } from '@hono/zod-openapi';
import { hasAtMostTwoDecimals, isIsoCalendarDate, isNotAfterTomorrowUtc } from '../../domain/invoices/invoice-rules.js';
import { isValidRut } from '../../domain/invoices/rut.js';
import { IdempotencyKeySchema } from '../shared/idempotency-key.js';

export const MAX_INVOICES = 1000;

export const InvoiceSchema = z
  .object({
    numero_factura: z
      .string()
      .refine((value) => value.trim().length > 0, 'issue.numero_factura')
      .openapi({ example: 'F-001' }),
    rut_cliente: z
      .string()
      .refine(isValidRut, 'issue.rut')
      .openapi({ example: '11111111-1' }),
    monto: z
      .number()
      .positive('issue.monto_positive')
      .refine(hasAtMostTwoDecimals, 'issue.monto_decimals')
      .openapi({ example: 1500.5 }),
    fecha_emision: z
      .string()
      .refine(isIsoCalendarDate, { message: 'issue.fecha_format', abort: true })
      .refine((value) => isNotAfterTomorrowUtc(value, new Date()), 'issue.fecha_future')
      .openapi({ example: '2025-08-24' }),
  })
  .openapi('Invoice');

export const InvoiceBatchSchema = z
  .array(InvoiceSchema)
  .min(1, 'issue.batch_min')
  .max(MAX_INVOICES, 'issue.batch_max')
  .openapi('InvoiceBatch');

export const InvoiceHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema });

export const IntakeAnswerSchema = z
  .looseObject({
    status: z.string().openapi({ example: 'OK' }),
    detail: z.string().openapi({ example: '2 facturas recibidas y encoladas para procesamiento.' }),
  })
  .openapi('InvoiceIntakeAccepted');
