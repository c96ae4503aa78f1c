export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
  method: HttpMethod;
  /** Relative to the service's base URL, without a leading slash. */
  path: string;
  searchParams?: Record<string, string | number | boolean>;
  headers: Record<string, string>;
  json?: unknown;
  /** A body sent as it arrives (chunked), instead of `json`: the prescription upload. */
  stream?: StreamedBody;
  signal: AbortSignal;
}

export interface StreamedBody {
  contentType: string;
  body: AsyncIterable<Uint8Array>;
}

export interface TransportResponse {
  status: number;
  text: string;
}

/**
 * Sends one HTTP request to one upstream and reads the whole body. Status handling, timeouts,
 * retries and the breaker live in `createUpstream(...).call` (call-upstream.ts), so a transport
 * only moves bytes. The one implementation is undici-transport.ts.
 */
export interface HttpTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export function queryString(searchParams: TransportRequest['searchParams']): string {
  if (!searchParams) return '';
  const query = new URLSearchParams(
    Object.entries(searchParams).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  return query ? `?${query}` : '';
}
