import { z } from '@hono/zod-openapi';

export const ErrorBodySchema = z
  .object({
    error: z.string().openapi({
      example: 'Stock insuficiente de Loratadina 10mg',
      description: 'In Spanish by default; English for `Accept-Language: en`. `code` never changes with the language.',
    }),
    code: z.string().openapi({ example: 'INSUFFICIENT_STOCK' }),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string().openapi({ example: '5b0b2f3e-3c6a-4d1e-9a57-0f8f6f1f9a10' }),
  })
  .openapi('Error');

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR: the body, query, path or a header is invalid (details.issues lists each field path)',
  401: 'UNAUTHENTICATED: missing, malformed, expired or badly signed bearer token (WWW-Authenticate: Bearer)',
  403: 'FORBIDDEN: the token is valid but its role or owner may not do this (or an upstream refused the caller)',
  404: 'Not found',
  409: 'Conflict',
  413: 'PAYLOAD_TOO_LARGE: body over the configured limit',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body must be application/json',
  422: 'Unprocessable',
  429: 'RATE_LIMITED: over a per-caller limit (details.limit: in_flight or per_minute); Retry-After says when a slot frees',
  500: 'INTERNAL: unexpected error',
  501: 'NOT_SUPPORTED: the configured upstream cannot do this',
  503: 'UPSTREAM_UNAVAILABLE: an upstream is unreachable, failing, answered nonsense or its breaker is open (details.service; Retry-After)',
  504: 'UPSTREAM_TIMEOUT: an upstream or the request budget timed out (details.service)',
};

const header = (description: string) => ({ description, schema: { type: 'string' as const } });
const REQUEST_ID = { 'X-Request-Id': header('Equals `requestId` in the body') };
const HEADERS: Record<number, Record<string, ReturnType<typeof header>>> = {
  401: { ...REQUEST_ID, 'WWW-Authenticate': header('`Bearer`') },
  429: { ...REQUEST_ID, 'Retry-After': header('Whole seconds until a slot frees (at least 1)') },
  503: { ...REQUEST_ID, 'Retry-After': header('Seconds to wait; for an open breaker, until its half-open trial') },
};

const json = (status: number, description: string) => ({
  description,
  headers: HEADERS[status] ?? REQUEST_ID,
  content: { 'application/json': { schema: ErrorBodySchema } },
});

/** The error responses of a route, each in the uniform body; `overrides` refines a description. */
export function errorResponses<S extends number>(statuses: readonly S[], overrides: Partial<Record<S, string>> = {}) {
  return Object.fromEntries(
    statuses.map((status) => [status, json(status, overrides[status] ?? DESCRIPTIONS[status] ?? 'Error')]),
  ) as Record<S, ReturnType<typeof json>>;
}

/** Responses of every write (they pass the per-caller write limit). */
export const WRITE_ERRORS = [429] as const;

/** Responses every authenticated upstream-backed route can give (403: an upstream refusing the caller). */
export const COMMON_ERRORS = [400, 401, 403, 500, 503, 504] as const;

export const bearerSecurity = [{ bearerAuth: [] }];
