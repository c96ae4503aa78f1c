import { HTTPException } from 'hono/http-exception';
import { GatewayError } from '../errors/gateway-error.js';
import { UpstreamError } from '../errors/upstream-error.js';

/** Seconds a client should wait before retrying a 503 that is not a breaker's. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * The one place where anything thrown becomes the gateway's answer. Upstream 4xx that a use-case
 * did not interpret, 5xx, contract violations and open breakers never show the upstream's body.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamError) return fromUpstream(error);
  if (error instanceof HTTPException) return fromHttpException(error);
  return new GatewayError('INTERNAL', { cause: error });
}

function fromUpstream(error: UpstreamError): GatewayError {
  const service = error.service;
  switch (error.kind) {
    case 'timeout':
      return new GatewayError('UPSTREAM_TIMEOUT', {
        message: `The ${service} service did not answer in time`,
        details: { service },
        cause: error,
      });
    case 'circuit-open':
      return new GatewayError('UPSTREAM_UNAVAILABLE', {
        message: `The ${service} service is unavailable (circuit open)`,
        details: { service, reason: 'circuit_open' },
        headers: { 'Retry-After': String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) },
        cause: error,
      });
    case 'rejected':
      if (error.status === 401) {
        return new GatewayError('UNAUTHENTICATED', { headers: { 'WWW-Authenticate': 'Bearer' }, cause: error });
      }
      if (error.status === 403) return new GatewayError('FORBIDDEN', { cause: error });
      return unavailable(service, error, { reason: 'unexpected_status', status: error.status });
    case 'bad-response':
      return unavailable(service, error, { reason: 'invalid_response' });
    case 'cancelled':
      // Only reached when the client is already gone; nobody reads this answer.
      return unavailable(service, error, { reason: 'client_closed_request' });
    case 'unavailable':
      return unavailable(service, error, error.status ? { reason: 'upstream_error', status: error.status } : {});
  }
}

function unavailable(service: string, cause: UpstreamError, extra: Record<string, unknown>) {
  return new GatewayError('UPSTREAM_UNAVAILABLE', {
    message: `The ${service} service is unavailable`,
    details: { service, ...extra },
    headers: { 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) },
    cause,
  });
}

function fromHttpException(error: HTTPException): GatewayError {
  switch (error.status) {
    case 400:
      return new GatewayError('VALIDATION_ERROR', {
        message: 'Malformed JSON in request body',
        details: { issues: [{ path: '', message: error.message }] },
      });
    case 401:
      return new GatewayError('UNAUTHENTICATED', { headers: { 'WWW-Authenticate': 'Bearer' } });
    case 413:
      return new GatewayError('PAYLOAD_TOO_LARGE');
    case 415:
      return new GatewayError('UNSUPPORTED_MEDIA_TYPE');
    default:
      return new GatewayError('INTERNAL', { cause: error });
  }
}
