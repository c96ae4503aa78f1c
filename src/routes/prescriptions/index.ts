import type { Context, MiddlewareHandler } from 'hono';
import type { PrescriptionState, UpdatePrescriptionResult } from '../../domain/prescriptions/update-prescription-state.js';
import type { RequestContext } from '../../domain/request-context.js';
import type { AppEnv } from '../../http/app-env.js';
import { languageOf } from '../../http/language.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { translate } from '../../messages/messages.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { setStateRoute, validateRoute } from './prescriptions.routes.js';

export interface PrescriptionUseCases {
  updatePrescriptionState(id: string, state: PrescriptionState, ctx: RequestContext): Promise<UpdatePrescriptionResult>;
}

export interface PrescriptionRouteOptions {
  /**
   * Total budget of a validation, counted from the request's arrival: longer than the default
   * when the service's OCR validation has a cap of its own (`RECETAS_OCR_TIMEOUT_MS`).
   */
  validationBudgetMs: number;
}

/** The answer's body: the gateway's own `mensaje` in the caller's language. */
function answer(c: Context, { outcome, ...rest }: UpdatePrescriptionResult) {
  const key = outcome === 'validated' ? 'text.prescription_validated' : 'text.prescription_state_updated';
  return { mensaje: translate(languageOf(c), key), ...rest };
}

/** The request's context, its deadline stretched to the validation budget when it is longer. */
function validationContext(c: Context<AppEnv>, budgetMs: number): RequestContext {
  const ctx = c.get('requestContext');
  return { ...ctx, deadline: Math.max(ctx.deadline, c.get('startedAt') + budgetMs) };
}

export function prescriptionRoutes(
  useCases: PrescriptionUseCases,
  auth: MiddlewareHandler,
  options: PrescriptionRouteOptions,
) {
  return createRouter()
    .openapi(withMiddleware(setStateRoute, auth, jsonGuard), async (c) => {
      const state = c.req.valid('json').estadovalidacion.toLowerCase() as PrescriptionState;
      const ctx = state === 'validada' ? validationContext(c, options.validationBudgetMs) : c.get('requestContext');
      const result = await useCases.updatePrescriptionState(c.req.valid('param').receta_id, state, ctx);
      return c.json(answer(c, result), 200);
    })
    .openapi(withMiddleware(validateRoute, auth), async (c) => {
      const ctx = validationContext(c, options.validationBudgetMs);
      const result = await useCases.updatePrescriptionState(c.req.valid('param').receta_id, 'validada', ctx);
      return c.json(answer(c, result), 200);
    });
}
