import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { UpstreamError } from '../../src/errors/upstream-error.js';
import { toGatewayError } from '../../src/http/error-mapping.js';

const SECRET_BODY = 'java.lang.NullPointerException at com.botica.internal.Db(db-01.internal:5432)';

/** Everything a client could see of the mapped error. */
const visible = (error: GatewayError) => JSON.stringify({ message: error.message, details: error.details, headers: error.headers });

describe('toGatewayError', () => {
  it('passes a GatewayError through unchanged', () => {
    const original = new GatewayError('INSUFFICIENT_STOCK', { details: { producto_id: 1 } });
    expect(toGatewayError(original)).toBe(original);
  });

  it('maps an upstream timeout to 504 UPSTREAM_TIMEOUT naming the service', () => {
    const mapped = toGatewayError(new UpstreamError('recetas', 'timeout'));
    expect(mapped).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504, details: { service: 'recetas' } });
  });

  it('maps an open breaker to 503 with the breaker Retry-After', () => {
    const mapped = toGatewayError(new UpstreamError('productos', 'circuit-open', { retryAfterSeconds: 7 }));
    expect(mapped).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, details: { service: 'productos' } });
    expect(mapped.headers['Retry-After']).toBe('7');
  });

  it('still sends a Retry-After when an open breaker gives no delay', () => {
    const mapped = toGatewayError(new UpstreamError('productos', 'circuit-open'));
    expect(Number(mapped.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['an unreachable upstream', new UpstreamError('tareas', 'unavailable', { cause: new TypeError('fetch failed') })],
    ['an upstream 5xx (its body never shown)', new UpstreamError('usuarios', 'unavailable', { status: 500, body: SECRET_BODY })],
    ['a response that broke the contract', new UpstreamError('facturas', 'bad-response', { message: 'facturas: body is not JSON' })],
    ['a read abandoned because the client left, like any unfinished upstream call', new UpstreamError('productos', 'cancelled')],
    ['an unreachable JWKS (the key set named as the service)', new UpstreamError('jwks', 'unavailable')],
  ])('maps %s to 503 UPSTREAM_UNAVAILABLE naming the service, with Retry-After', (_name, error) => {
    const mapped = toGatewayError(error);
    expect(mapped).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, details: { service: error.service } });
    expect(mapped.headers['Retry-After']).toMatch(/^\d+$/);
    expect(visible(mapped)).not.toContain('NullPointerException');
  });

  it('maps an upstream 401 to 401 UNAUTHENTICATED with WWW-Authenticate', () => {
    const mapped = toGatewayError(new UpstreamError('tareas', 'rejected', { status: 401, body: { detail: 'x' } }));
    expect(mapped).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(mapped.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('maps an upstream 403 to 403 FORBIDDEN', () => {
    const mapped = toGatewayError(new UpstreamError('usuarios', 'rejected', { status: 403, body: { error: 'Acceso denegado' } }));
    expect(mapped).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it.each([
    [400, 400, 'VALIDATION_ERROR'],
    [422, 422, 'VALIDATION_ERROR'],
    [401, 401, 'UNAUTHENTICATED'],
    [403, 403, 'FORBIDDEN'],
    [404, 404, 'NOT_FOUND'],
    [409, 409, 'CONFLICT'],
  ])('maps an uninterpreted upstream %i to %i %s in its own words, never the upstream body', (upstream, status, code) => {
    const mapped = toGatewayError(new UpstreamError('productos', 'rejected', { status: upstream, body: { detail: SECRET_BODY } }));
    expect(mapped).toMatchObject({ code, status });
    expect(visible(mapped)).not.toContain('NullPointerException');
  });

  it('maps any other upstream 4xx to 503 with details.upstream_status', () => {
    const mapped = toGatewayError(new UpstreamError('tareas', 'rejected', { status: 418, body: { detail: SECRET_BODY } }));
    expect(mapped).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, details: { service: 'tareas', upstream_status: 418 } });
    expect(visible(mapped)).not.toContain('NullPointerException');
  });


  it.each([
    [400, 'VALIDATION_ERROR'],
    [401, 'UNAUTHENTICATED'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
  ] as const)('maps HTTPException %i to %s', (status, code) => {
    const mapped = toGatewayError(new HTTPException(status, { message: 'framework says no' }));
    expect(mapped.code).toBe(code);
    expect(mapped.status).toBe(status);
  });

  it('adds WWW-Authenticate to a framework 401', () => {
    expect(toGatewayError(new HTTPException(401)).headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('lists a malformed JSON body as a validation issue', () => {
    const mapped = toGatewayError(new HTTPException(400, { message: 'Malformed JSON in request body' }));
    expect(mapped.details).toMatchObject({ issues: [expect.objectContaining({ path: '' })] });
  });

  it('maps any other HTTPException to 500 INTERNAL', () => {
    const mapped = toGatewayError(new HTTPException(418, { message: 'teapot internals' }));
    expect(mapped).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(mapped.message).not.toContain('teapot');
  });

  it.each([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')],
    ['a thrown string', 'password=hunter2'],
    ['undefined', undefined],
  ])('maps %s to 500 INTERNAL without leaking its message', (_name, thrown) => {
    const mapped = toGatewayError(thrown);
    expect(mapped).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(visible(mapped)).not.toContain('hunter2');
    expect(visible(mapped)).not.toContain('10.0.0.7');
    expect(mapped.details).toBeUndefined();
  });
});
