import { createHttpClient } from './create-http-client.js';
import type { HttpTransport } from './transport.js';

/** ky over the global fetch: what tests use (msw intercepts fetch), and a portable fallback. */
export function kyTransport(baseUrl: string, fetchImpl?: typeof fetch): HttpTransport {
  const http = createHttpClient(baseUrl, fetchImpl);
  return {
    async send({ method, path, searchParams, headers, json, stream, signal }) {
      const response = await http(path, {
        method,
        headers: stream ? { ...headers, 'content-type': stream.contentType } : headers,
        ...(searchParams ? { searchParams } : {}),
        ...(json !== undefined ? { json } : {}),
        // A streamed request body needs `duplex: 'half'` in fetch.
        ...(stream ? { body: ReadableStream.from(stream.body), duplex: 'half' } : {}),
        signal,
      });
      return { status: response.status, text: await response.text() };
    },
    close: async () => {},
  };
}
