import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { GatewayError } from '../errors/gateway-error.js';
import type { AppEnv } from '../http/app-env.js';
import { errorResponse, notFoundHandler } from '../http/error-handlers.js';
import type { MetricsExposition } from '../observability/cluster-metrics.js';
import { listeningUrl } from './listening-url.js';

export interface RunningMetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The METRICS_PORT listener: plain HTTP on HOST (never TLS, never behind the public Service),
 * serving only `GET /metrics`; anything else is the uniform 404 NOT_FOUND body. Run by the single
 * process, or by the cluster's primary with the sum over its workers as `exposition`. Its own
 * requests are not counted in gateway_http_requests_total (scrapes are not traffic).
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  exposition: MetricsExposition;
  /** A scrape that failed (a worker that did not answer): logged by the caller, answered 500. */
  onError(error: unknown): void;
}): Promise<RunningMetricsServer> {
  const { exposition } = options;
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
  });
  app.get('/metrics', async (c) => c.body(await exposition.text(), 200, { 'Content-Type': exposition.contentType }));
  app.notFound(notFoundHandler);
  app.onError((error, c) => {
    options.onError(error);
    return errorResponse(c, new GatewayError('INTERNAL', { cause: error }));
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(started as Server));
    started.once('error', reject);
  });
  // A scraper needs no slow or idle sockets either.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return {
    url: listeningUrl(server, 'http'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
