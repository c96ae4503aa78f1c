// Error bodies in the shape each real framework produces, so the gateway's upstream-error
// mapping is exercised against realistic answers, not a mock-specific format.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { javaLocalDateTime } from '../data/time.js';
import type { MockState } from '../state.js';
import type { FrameworkErrors } from './mock-app.js';

/**
 * The service's `GlobalExceptionHandler` bodies: `{"error","message","timestamp","status"}` with a
 * zone-less `LocalDateTime`, except access denied, whose timestamp is an `Instant` (with `Z`).
 */
export function springError(c: Context, state: MockState, status: ContentfulStatusCode, error: string, message: string): Response {
  // Instant.now() on Java 17/Linux prints nanoseconds.
  const timestamp = status === 403 ? `${javaLocalDateTime(state.now())}000Z` : javaLocalDateTime(state.now());
  return c.json({ error, message, timestamp, status }, status);
}

/**
 * The handler of `@Valid` failures (MethodArgumentNotValidException): no `message`, one entry per
 * refused field in `validationErrors` (the last failed constraint of a field wins).
 */
export function springValidationError(c: Context, state: MockState, validationErrors: Record<string, string>): Response {
  return c.json(
    { timestamp: javaLocalDateTime(state.now()), status: 400, error: 'Errores de validación', validationErrors },
    400,
  );
}

/** The catch-all `@ExceptionHandler(Exception.class)`: unreadable bodies, unsupported media types, unexpected exceptions. */
export function springInternalError(c: Context, state: MockState): Response {
  return springError(c, state, 500, 'Error interno del servidor', 'Ha ocurrido un error inesperado');
}

export function springErrors(state: MockState): FrameworkErrors {
  return {
    notFound: (c) => springError(c, state, 404, 'Not Found', `No static resource ${c.req.path.replace(/^\//, '')}.`),
    internalError: (c) => springInternalError(c, state),
  };
}

/** FastAPI / Starlette: `{"detail": ...}`; unhandled exceptions are a plain-text 500. */
export const fastApiErrors: FrameworkErrors = {
  notFound: (c) => c.json({ detail: 'Not Found' }, 404),
  internalError: (c) => c.text('Internal Server Error', 500),
};

/**
 * The Express service answers its own errors as `{"error": ...}`; a route it does not have gets
 * Express's default HTML page (finalhandler), not JSON.
 */
export const expressErrors: FrameworkErrors = {
  notFound: (c) =>
    c.html(
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${c.req.method} ${c.req.path}</pre>\n</body>\n</html>\n`,
      404,
    ),
  internalError: (c) => c.json({ error: 'Error interno del servidor' }, 500),
};

/** Django REST framework: `{"detail": ...}`. Django resolves URLs before DRF authenticates. */
export const djangoErrors: FrameworkErrors = {
  notFound: (c) => c.json({ detail: 'Not found.' }, 404),
  internalError: (c) => c.json({ detail: 'A server error occurred.' }, 500),
};
