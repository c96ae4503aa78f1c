import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env.js';
import { toGatewayError } from './error-mapping.js';
import { languageOf } from './language.js';
import { GatewayError, type ValidationIssue } from '../errors/gateway-error.js';
import { UpstreamError } from '../errors/upstream-error.js';
import { translate, type Language } from '../messages/messages.js';

/**
 * Renders any error in the uniform body, worded in the caller's language; `requestId` always
 * equals the X-Request-Id header.
 */
export function errorResponse(c: Context<AppEnv>, error: GatewayError): Response {
  const language = languageOf(c);
  const body = {
    error: translate(language, error.text.key, error.text.params),
    code: error.code,
    ...(error.details ? { details: localizedDetails(error.details, language) } : {}),
    requestId: c.get('requestId'),
  };
  return c.json(body, error.status as 400, error.headers);
}

/** `details.issues[].message` follows the language; every other detail is machine data. */
function localizedDetails(details: Record<string, unknown>, language: Language): Record<string, unknown> {
  if (!Array.isArray(details.issues)) return details;
  const issues = (details.issues as ValidationIssue[]).map(({ path, message }) => ({
    path,
    message: typeof message === 'string' ? message : translate(language, message.key, message.params),
  }));
  return { ...details, issues };
}

export function createErrorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    const mapped = toGatewayError(error);
    const fields = { requestId: c.get('requestId'), code: mapped.code, status: mapped.status };
    if (error instanceof UpstreamError && error.kind === 'circuit-open') {
      // The breaker's transitions are logged once each; a line per refused request would only
      // cost time while the service is down.
      logger.debug(fields, mapped.message);
    } else if (mapped.status >= 500) {
      const cause = mapped.code === 'INTERNAL' ? error : mapped.cause;
      logger.error({ ...fields, err: cause }, mapped.message);
    } else {
      logger.debug(fields, mapped.message);
    }
    return errorResponse(c, mapped);
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    new GatewayError('NOT_FOUND', { text: 'route.not_found', params: { method: c.req.method, path: c.req.path } }),
  );
