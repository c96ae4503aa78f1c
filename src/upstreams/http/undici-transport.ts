import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { queryString, type HttpTransport } from './transport.js';

export interface UndiciTransportOptions {
  /** Sockets kept per upstream; requests beyond them queue inside the pool. */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

/**
 * undici's Pool.request over keep-alive sockets to one upstream: the fastest client Node has
 * (no WHATWG Request/Response objects per call). Not visible to msw, so tests of the HTTP
 * semantics run on `kyTransport`, and end-to-end tests over sockets run on this one.
 */
export function undiciTransport(baseUrl: string, options: UndiciTransportOptions = {}): HttpTransport {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
  });
  return {
    async send({ method, path, searchParams, headers, json, stream, signal }) {
      const body = stream ? Readable.from(stream.body) : json === undefined ? undefined : JSON.stringify(json);
      const contentType = stream ? stream.contentType : 'application/json';
      const response = await pool.request({
        method,
        path: `${prefix}/${path}${queryString(searchParams)}`,
        headers: body === undefined ? headers : { ...headers, 'content-type': contentType },
        ...(body === undefined ? {} : { body }),
        signal,
      });
      return { status: response.statusCode, text: await response.body.text() };
    },
    close: () => pool.close(),
  };
}
