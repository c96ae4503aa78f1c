import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import { RecetaParamsSchema, StateBodySchema, StateResultSchema } from './prescriptions.schemas.js';

const responses = {
  200: { description: 'State changed', content: { 'application/json': { schema: StateResultSchema } } },
  ...errorResponses([...COMMON_ERRORS, 403, 404, 413, 422], {
    403: 'FORBIDDEN: only the patient (token sub = pacienteDNI) or an ADMIN',
    404: 'PRESCRIPTION_NOT_FOUND',
    422: 'PRESCRIPTION_INVALID: details.checks_fallidos names the failed checks (productos, medico, paciente, fecha)',
  }),
};

const description =
  'VALIDADA runs every check in parallel (each product exists with a matching name, the doctor is registered with ' +
  'a valid licence, the patient exists, the issue date is neither future nor older than RECETA_VALIDEZ_DIAS); any ' +
  'failure is a 422 and the state is unchanged. RECHAZADA and PENDIENTE skip the checks.';

export const setStateRoute = createRoute({
  operationId: 'setState',
  method: 'put',
  path: '/recetas/estado/{receta_id}',
  tags: ['prescriptions'],
  summary: "Set a prescription's validation state",
  description,
  security: bearerSecurity,
  request: {
    params: RecetaParamsSchema,
    body: { required: true, content: { 'application/json': { schema: StateBodySchema } } },
  },
  responses: { ...responses, ...errorResponses([415]) },
});

export const validateRoute = createRoute({
  operationId: 'validate',
  method: 'put',
  path: '/recetas/validar/{receta_id}',
  tags: ['prescriptions'],
  summary: 'Validate a prescription (alias of estado VALIDADA; any body is ignored)',
  description,
  security: bearerSecurity,
  request: { params: RecetaParamsSchema },
  responses,
});
