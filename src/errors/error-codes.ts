/** The gateway's error vocabulary: one code, one HTTP status, one default message. */
export const ERROR_CODES = {
  VALIDATION_ERROR: { status: 400, message: 'Request validation failed' },
  UNAUTHENTICATED: { status: 401, message: 'Missing or invalid bearer token' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  NOT_FOUND: { status: 404, message: 'Route not found' },
  PRODUCT_NOT_FOUND: { status: 404, message: 'Product not found' },
  PRESCRIPTION_NOT_FOUND: { status: 404, message: 'Prescription not found' },
  TASK_NOT_FOUND: { status: 404, message: 'Task not found' },
  INSUFFICIENT_STOCK: { status: 409, message: 'Insufficient stock' },
  DUPLICATE_REQUEST: { status: 409, message: 'Duplicate request' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Request body must be application/json' },
  PRESCRIPTION_REQUIRED: { status: 422, message: 'A valid prescription is required' },
  PRESCRIPTION_INVALID: { status: 422, message: 'Prescription failed validation' },
  UPSTREAM_UNAVAILABLE: { status: 503, message: 'Upstream service unavailable' },
  UPSTREAM_TIMEOUT: { status: 504, message: 'Upstream service timed out' },
  OVERLOADED: { status: 503, message: 'The gateway is overloaded; retry shortly' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
