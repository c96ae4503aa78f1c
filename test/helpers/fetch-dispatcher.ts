import { Readable } from 'node:stream';
import { Dispatcher } from 'undici';

/**
 * The seam undici's own MockAgent uses, pointed at msw: a Dispatcher that stands in for the
 * connection pool of one upstream and hands each request to `globalThis.fetch`, which msw
 * intercepts. Everything above the pool - the gateway's undici transport, its request building,
 * body reading, timeouts and aborts - is the production code; only the socket is replaced.
 */
export class FetchDispatcher extends Dispatcher {
  constructor(private readonly origin: string) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    // undici's request API hands over its legacy handler (onConnect/onHeaders/onData/onComplete/onError).
    const legacy = handler as unknown as LegacyHandler;
    const controller = new AbortController();
    legacy.onConnect?.((reason?: unknown) => controller.abort(reason));
    void this.send(options, legacy, controller.signal).catch((error: unknown) => legacy.onError?.(error as Error));
    return true;
  }

  private async send(options: Dispatcher.DispatchOptions, handler: LegacyHandler, signal: AbortSignal): Promise<void> {
    const body = options.body;
    const streamed = body instanceof Readable || (body !== null && typeof body === 'object' && Symbol.asyncIterator in body && !(body instanceof Uint8Array));
    const response = await fetch(new URL(options.path, this.origin), {
      method: options.method,
      headers: options.headers as Record<string, string>,
      ...(body === undefined || body === null
        ? {}
        : streamed
          ? { body: Readable.toWeb(Readable.from(body as AsyncIterable<Uint8Array>)) as ReadableStream, duplex: 'half' }
          : { body: body as string | Uint8Array }),
      signal,
    } as RequestInit);
    const rawHeaders: Buffer[] = [];
    response.headers.forEach((value, name) => rawHeaders.push(Buffer.from(name), Buffer.from(value)));
    handler.onHeaders?.(response.status, rawHeaders, () => undefined, response.statusText);
    if (response.body) for await (const chunk of response.body) handler.onData?.(Buffer.from(chunk));
    handler.onComplete?.([]);
  }

  override async close(): Promise<void> {}

  override async destroy(): Promise<void> {}
}

interface LegacyHandler {
  onConnect?(abort: (reason?: unknown) => void): void;
  onHeaders?(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean | void;
  onData?(chunk: Buffer): boolean | void;
  onComplete?(trailers: Buffer[]): void;
  onError?(error: Error): void;
}
