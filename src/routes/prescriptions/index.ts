import type { MiddlewareHandler } from 'hono';
import type { UpdatePrescriptionResult } from '../../domain/prescriptions/update-prescription-state.js';
import type { RequestContext } from '../../domain/request-context.js';
import type { PrescriptionState } from '../../domain/prescriptions/update-prescription-state.js';
import { jsonGuard } from '../../http/middleware/json-guard.js';
import { createRouter } from '../shared/create-router.js';
import { withMiddleware } from '../shared/with-middleware.js';
import { setStateRoute, validateRoute } from './prescriptions.routes.js';

export interface PrescriptionUseCases {
  updatePrescriptionState(id: string, state: PrescriptionState, ctx: RequestContext): Promise<UpdatePrescriptionResult>;
}

export function prescriptionRoutes(useCases: PrescriptionUseCases, auth: MiddlewareHandler) {
  return createRouter()
    .openapi(withMiddleware(setStateRoute, auth, jsonGuard), async (c) => {
      const state = c.req.valid('json').estadovalidacion.toLowerCase() as PrescriptionState;
      const result = await useCases.updatePrescriptionState(c.req.valid('param').receta_id, state, c.get('requestContext'));
      return c.json(result, 200);
    })
    .openapi(withMiddleware(validateRoute, auth), async (c) => {
      const result = await useCases.updatePrescriptionState(
        c.req.valid('param').receta_id,
        'validada',
        c.get('requestContext'),
      );
      return c.json(result, 200);
    });
}
