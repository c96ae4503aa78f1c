import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import { RecetaParamsSchema, StateBodySchema, StateResultSchema } from './prescriptions.schemas.js';

const responses = {
  200: { description: 'State changed', content: { 'application/json': { schema: StateResultSchema } } },
  ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 403, 404, 413, 422, 501], {
    403: 'FORBIDDEN: a CLIENTE asked for RECHAZADA or PENDIENTE, or for anything on a rechazada prescription (pharmacist decisions)',
    404: "PRESCRIPTION_NOT_FOUND: unknown id, or (for a CLIENTE) another patient's prescription",
    422: 'PRESCRIPTION_INVALID: details.checks_fallidos names the failed checks (productos, medico, paciente, fecha, documento, servicio)',
    501: 'NOT_SUPPORTED: RECHAZADA or PENDIENTE while RECETAS_API=validar (that service cannot set them)',
  }),
};

const description =
  'The caller must be the patient (token sub = pacienteDNI) or an ADMIN. A CLIENTE may only ask for VALIDADA on ' +
  'their own prescription while it is pendiente (or validada: the checks run again). VALIDADA runs every check in ' +
  'parallel (each product exists with a matching name, the doctor is registered with a valid licence, the patient ' +
  'exists, the issue date is neither future nor older than RECETA_VALIDEZ_DIAS); any failure is a 422 and the state ' +
  'is unchanged. RECHAZADA and PENDIENTE (ADMIN only) skip the checks. With RECETAS_API=validar the doctor check ' +
  "and the final validation are the prescriptions service's own (OCR on the PDF), and RECHAZADA/PENDIENTE are 501.";

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
