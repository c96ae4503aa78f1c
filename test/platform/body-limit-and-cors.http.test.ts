// BODY_LIMIT_BYTES (413 before any upstream call, with or without Content-Length) and the CORS
// answers for configured origins. Without CORS_ORIGINS: platform.http.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_RECETA_IDS } from '../../mocks/index.js';
import { API, createHarness, errorBody, tokens } from '../helpers/harness.js';

const limited = createHarness({ BODY_LIMIT_BYTES: '1000', CORS_ORIGINS: 'https://app.example, https://admin.example' });
beforeAll(limited.listen);
beforeEach(limited.reset);
afterAll(limited.close);

describe('BODY_LIMIT_BYTES=1000', () => {
  const setState = async (body: RequestInit['body'], init: RequestInit = {}) =>
    limited.request(`${API}/recetas/estado/${SEED_RECETA_IDS.anaPendingValid}`, {
      ...init,
      method: 'PUT',
      token: await tokens.ana(),
      headers: { 'content-type': 'application/json' },
      body,
    });

  /** 2 KB of JSON sent as a stream, so without Content-Length. */
  const streamed = () => {
    const chunk = new TextEncoder().encode(`{"estadovalidacion":"VALIDADA","nota":"${'x'.repeat(500)}`);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
  };

  it('accepts a body under the limit', async () => {
    const body = JSON.stringify({ estadovalidacion: 'VALIDADA', nota: 'x'.repeat(800) });
    expect((await setState(body)).status).toBe(200);
  });

  it.each([
    ['a larger body', () => setState(JSON.stringify({ estadovalidacion: 'VALIDADA', nota: 'x'.repeat(2000) }))],
    ['a larger streamed body without Content-Length', () => setState(streamed(), { duplex: 'half' } as RequestInit)],
  ])('answers 413 PAYLOAD_TOO_LARGE to %s, without upstream calls', async (_name, send) => {
    const response = await send();
    expect(response.status).toBe(413);
    expect((await errorBody(response)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(limited.calls()).toEqual([]);
  });
});

describe('CORS_ORIGINS=https://app.example, https://admin.example', () => {
  const list = (name: string, response: Response) => (response.headers.get(name) ?? '').split(',').map((item) => item.trim().toLowerCase());

  it('allows a preflight from a configured origin with the contract methods and request headers, and exposes the gateway headers', async () => {
    const preflight = await limited.request(`${API}/compras`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(list('access-control-allow-methods', preflight)).toEqual(expect.arrayContaining(['get', 'post', 'put', 'delete']));
    expect(list('access-control-allow-headers', preflight)).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'traceparent', 'accept-language']),
    );
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const simple = await limited.request(`${API}/health`, { headers: { origin: 'https://app.example' } });
    expect(list('access-control-expose-headers', simple)).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after', 'idempotent-replayed', 'x-gateway-completed', 'server-timing']),
    );
  });

  it.each([
    ['allows every configured origin (the list is trimmed)', 'https://admin.example', 'https://admin.example'],
    ['gives no Access-Control-Allow-Origin to another origin', 'https://evil.example', null],
  ])('%s', async (_name, origin, allowed) => {
    for (const method of ['OPTIONS', 'GET']) {
      const response = await limited.request(`${API}/health`, { method, headers: { origin, 'access-control-request-method': 'GET' } });
      expect(response.headers.get('access-control-allow-origin'), method).toBe(allowed);
    }
  });
});

