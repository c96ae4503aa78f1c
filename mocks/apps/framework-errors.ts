// Error bodies in the shape each real framework produces, so the gateway's upstream-error
// mapping is exercised against realistic answers, not a mock-specific format.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { MockState } from '../state.js';
import type { FrameworkErrors } from './mock-app.js';

/** Spring Boot's `{"timestamp","status","error","message"}` (Jackson prints the offset). */
export function springError(c: Context, state: MockState, status: ContentfulStatusCode, error: string, message: string): Response {
  const timestamp = state.now().toISOString().replace('Z', '+00:00');
  return c.json({ timestamp, status, error, message }, status);
}

export function springErrors(state: MockState): FrameworkErrors {
  return {
    notFound: (c) => springError(c, state, 404, 'Not Found', `No static resource ${c.req.path.replace(/^\//, '')}.`),
    internalError: (c, err) => springError(c, state, 500, 'Internal Server Error', err.message),
  };
}

/** FastAPI / Starlette: `{"detail": ...}`; unhandled exceptions are a plain-text 500. */
export const fastApiErrors: FrameworkErrors = {
  notFound: (c) => c.json({ detail: 'Not Found' }, 404),
  internalError: (c) => c.text('Internal Server Error', 500),
};

/** The Express service answers its own errors as `{"error": ...}`. */
export const expressErrors: FrameworkErrors = {
  notFound: (c) => c.json({ error: `Cannot ${c.req.method} ${c.req.path}` }, 404),
  internalError: (c) => c.json({ error: 'Error interno del servidor' }, 500),
};

/** Django REST framework: `{"detail": ...}`. Django resolves URLs before DRF authenticates. */
export const djangoErrors: FrameworkErrors = {
  notFound: (c) => c.json({ detail: 'Not found.' }, 404),
  internalError: (c) => c.json({ detail: 'A server error occurred.' }, 500),
};
