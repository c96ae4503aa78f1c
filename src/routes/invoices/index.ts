import type { Context, MiddlewareHandler } from 'hono';
import type { ZodError } from 'zod';
import type { IntakeAnswer, Invoice } from '../../domain/invoices/submit-invoices.js';
import type { RequestContext } from '../../domain/request-context.js';
import { validationError } from '../../errors/gateway-error.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { languageOf } from '../../http/language.js';
import { issuesOf, type ValidationResult } from '../../http/validation-hook.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { submitInvoicesRoute } from './invoices.routes.js';

export interface InvoiceUseCases {
  submitInvoices(invoices: Invoice[], idempotencyKey: string, ctx: RequestContext): Promise<IntakeAnswer>;
}

/** A bad key is a 400 like everywhere else; a bad batch is a 422 listing every index.field. */
function invoiceValidationHook(result: ValidationResult & { target: string }, c: Context): undefined {
  if (!result.success) {
    const status = result.target === 'json' ? 422 : 400;
    throw validationError(issuesOf(result.error as ZodError, result.data, languageOf(c)), status);
  }
  return undefined;
}

export function invoiceRoutes(useCases: InvoiceUseCases, auth: MiddlewareHandler) {
  return createRouter().openapi(
    withMiddleware(submitInvoicesRoute, auth, jsonGuard),
    async (c) => {
      const answer = await useCases.submitInvoices(
        c.req.valid('json'),
        c.req.valid('header')['idempotency-key'],
        c.get('requestContext'),
      );
      return c.json(answer, 202);
    },
    invoiceValidationHook,
  );
}
