import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env.js';
import { toGatewayError } from './error-mapping.js';
import { GatewayError } from '../errors/gateway-error.js';
import { UpstreamError } from '../errors/upstream-error.js';

/** Renders any error in the uniform body; `requestId` always equals the X-Request-Id header. */
export function errorResponse(c: Context<AppEnv>, error: GatewayError): Response {
  const requestId = c.get('requestId');
  const body = {
    error: error.message,
    code: error.code,
    ...(error.details ? { details: error.details } : {}),
    requestId,
  };
  return c.json(body, error.status as 400, error.headers);
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
  errorResponse(c, new GatewayError('NOT_FOUND', { message: `No route for ${c.req.method} ${c.req.path}` }));
