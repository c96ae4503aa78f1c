/** The gateway's error vocabulary: one code, one HTTP status (messages: src/messages/). */
export const ERROR_CODES = {
  VALIDATION_ERROR: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  PRODUCT_NOT_FOUND: { status: 404 },
  PRESCRIPTION_NOT_FOUND: { status: 404 },
  TASK_NOT_FOUND: { status: 404 },
  INSUFFICIENT_STOCK: { status: 409 },
  DUPLICATE_REQUEST: { status: 409 },
  CONFLICT: { status: 409 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  PRESCRIPTION_REQUIRED: { status: 422 },
  PRESCRIPTION_INVALID: { status: 422 },
  IDEMPOTENCY_KEY_REUSED: { status: 422 },
  RATE_LIMITED: { status: 429 },
  INTERNAL: { status: 500 },
  NOT_SUPPORTED: { status: 501 },
  UPSTREAM_UNAVAILABLE: { status: 503 },
  OVERLOADED: { status: 503 },
  UPSTREAM_TIMEOUT: { status: 504 },
} as const satisfies Record<string, { status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;
