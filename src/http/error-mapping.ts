import { HTTPException } from 'hono/http-exception';
import { GatewayError, validationError } from '../errors/gateway-error.js';
import { UpstreamError } from '../errors/upstream-error.js';

/** Seconds a client should wait before retrying a 503 that is not a breaker's. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * The one place where anything thrown becomes the gateway's answer. Upstream 4xx that a use-case
 * did not interpret, 5xx, contract violations and open breakers never show the upstream's body.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamError) {
    // A fresh error each time: the upstream error's own headers (a replay's) join the mapped ones.
    const mapped = fromUpstream(error);
    Object.assign(mapped.headers, error.headers);
    return mapped;
  }
  if (error instanceof HTTPException) return fromHttpException(error);
  return new GatewayError('INTERNAL', { cause: error });
}

function fromUpstream(error: UpstreamError): GatewayError {
  const service = error.service;
  switch (error.kind) {
    case 'timeout':
      return new GatewayError('UPSTREAM_TIMEOUT', {
        text: 'upstream.timeout',
        params: { service },
        details: { service },
        cause: error,
      });
    case 'circuit-open':
      return new GatewayError('UPSTREAM_UNAVAILABLE', {
        text: 'upstream.circuit_open',
        params: { service },
        details: { service, reason: 'circuit_open' },
        headers: { 'Retry-After': String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) },
        cause: error,
      });
    case 'rejected':
      return fromUpstreamRejection(error);
    case 'bad-response':
      return unavailable(service, error, { reason: 'invalid_response' });
    case 'cancelled':
      // Only reached when the client is already gone; nobody reads this answer.
      return unavailable(service, error, { reason: 'client_closed_request' });
    case 'unavailable':
      return unavailable(service, error, error.status ? { reason: 'upstream_error', status: error.status } : {});
  }
}

/**
 * An upstream 4xx that no use-case interpreted, mapped by status alone. The upstream's text
 * never reaches the caller: it may hold internals (hosts, queries, credentials).
 */
function fromUpstreamRejection(error: UpstreamError): GatewayError {
  switch (error.status) {
    case 400:
    case 422:
      return validationError([{ path: '', message: { key: 'issue.rejected_by_service' } }], error.status);
    case 401:
      return new GatewayError('UNAUTHENTICATED', { headers: { 'WWW-Authenticate': 'Bearer' }, cause: error });
    case 403:
      return new GatewayError('FORBIDDEN', { cause: error });
    case 404:
      return new GatewayError('NOT_FOUND', { cause: error });
    case 409:
      return new GatewayError('CONFLICT', { details: { service: error.service }, cause: error });
    default:
      return unavailable(error.service, error, { upstream_status: error.status });
  }
}

function unavailable(service: string, cause: UpstreamError, extra: Record<string, unknown>) {
  return new GatewayError('UPSTREAM_UNAVAILABLE', {
    text: 'upstream.unavailable',
    params: { service },
    details: { service, ...extra },
    headers: { 'Retry-After': String(DEFAULT_RETRY_AFTER_SECONDS) },
    cause,
  });
}

function fromHttpException(error: HTTPException): GatewayError {
  switch (error.status) {
    case 400:
      return new GatewayError('VALIDATION_ERROR', {
        text: 'body.malformed_json',
        details: { issues: [{ path: '', message: { key: 'body.malformed_json' } }] },
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
