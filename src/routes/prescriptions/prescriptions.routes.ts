import { createRoute } from '@hono/zod-openapi';
import { COMMON_ERRORS, WRITE_ERRORS, bearerSecurity, errorResponses } from '../shared/error-responses.js';
import { PrescriptionSchema, RecetaParamsSchema, StateBodySchema, StateResultSchema, UploadResultSchema } from './prescriptions.schemas.js';

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

export const getPrescriptionRoute = createRoute({
  operationId: 'getPrescription',
  method: 'get',
  path: '/recetas/{receta_id}',
  tags: ['prescriptions'],
  summary: 'One prescription, for its patient or an ADMIN (the document the prescriptions service keeps, `pdfUrl` included)',
  description:
    'The prescriptions service checks no token itself: the gateway is the only guard. To anyone but the patient and ' +
    "an ADMIN, the prescription does not exist (404, as for an unknown id). `upload` and `filter` are not ids: 400.",
  security: bearerSecurity,
  request: { params: RecetaParamsSchema },
  responses: {
    200: { description: 'The prescription', content: { 'application/json': { schema: PrescriptionSchema } } },
    ...errorResponses([...COMMON_ERRORS, 404], {
      404: "PRESCRIPTION_NOT_FOUND: unknown id, or another patient's prescription (for a CLIENTE)",
    }),
  },
});

/**
 * Described with a plain schema object, not a zod one: a zod schema would make the framework
 * parse (and buffer) the whole form before the handler, and this body is streamed.
 */
const UPLOAD_FORM = {
  type: 'object' as const,
  required: ['archivoPDF'],
  properties: {
    archivoPDF: { type: 'string' as const, format: 'binary', description: 'The prescription PDF (application/pdf, starting %PDF-)' },
    file: { type: 'string' as const, format: 'binary', description: 'Accepted instead of archivoPDF (never both); forwarded as archivoPDF' },
  },
  additionalProperties: { type: 'string' as const, description: 'Other fields are accepted and not forwarded: the service reads every field from the PDF' },
};

export const uploadRoute = createRoute({
  operationId: 'uploadPrescription',
  method: 'post',
  path: '/recetas/upload',
  tags: ['prescriptions'],
  summary: 'Upload a prescription PDF; the prescriptions service stores it as pendiente with the fields its OCR reads',
  description:
    'The body is streamed to the prescriptions service, not buffered. Only one PDF part, at most UPLOAD_LIMIT_BYTES ' +
    '(the whole body at most 64 KiB more). The time budget counts from the last byte of the body; a client that ' +
    'sends nothing for UPSTREAM_TIMEOUT_MS is cut off (400). The answer is the service\'s 201 as received.',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'multipart/form-data': { schema: UPLOAD_FORM } } } },
  responses: {
    201: { description: 'Stored, pendiente', content: { 'application/json': { schema: UploadResultSchema } } },
    ...errorResponses([...COMMON_ERRORS, ...WRITE_ERRORS, 413, 415], {
      400: 'VALIDATION_ERROR (path archivoPDF): no file, two files, a body that stopped arriving, or a PDF the service refused',
      413: 'PAYLOAD_TOO_LARGE: the PDF is over UPLOAD_LIMIT_BYTES (chunked bodies too), or over what the service accepts',
      415: 'UNSUPPORTED_MEDIA_TYPE: not multipart/form-data, or the file is not a PDF (declared type or %PDF- magic)',
      503: 'UPSTREAM_UNAVAILABLE (recetas): the service is down, or its OCR could not read this PDF',
    }),
  },
});
