import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createServer as createHttpServer } from 'node:http';
import { listeningUrl } from './listening-url.js';
import { withProbeFastPath } from './probe-fast-path.js';
import { createApp } from '../app.js';
import type { GatewayDeps } from '../deps.js';
import { MetricsPortListenFailure } from './listen-failure.js';
import { startMetricsServer, type RunningMetricsServer } from './metrics-server.js';

export interface RunningGateway {
  url: string;
  server: Server;
  /** The METRICS_PORT listener's root URL, when this process serves it. */
  metricsUrl?: string;
  /** Readiness 503 at once, stop accepting, let in-flight requests finish, then close. */
  drain(): Promise<void>;
}

/** Socket timeouts against slow or stalled clients; tests shorten them, production keeps the defaults. */
export interface ServerTimeouts {
  /** Time to receive the complete request headers (slow-loris); default 15 000 ms. */
  headersTimeoutMs?: number;
  /** Time to receive the complete request; default REQUEST_TIMEOUT_MS + 5 000 ms. */
  requestTimeoutMs?: number;
  /** Idle time of a keep-alive socket between requests; default 5 000 ms. */
  keepAliveTimeoutMs?: number;
  /**
   * How often Node checks incomplete requests against the two timeouts above; a stalled client
   * is cut off at most this long after its timeout. Node's own default is 30 000 ms, which
   * would let a slow-loris socket live up to 45 s; default 1 000 ms.
   */
  connectionsCheckingIntervalMs?: number;
}

/**
 * Serves the app (HTTPS when TLS files are configured) and, with METRICS_PORT, the metrics
 * listener (unless `serveMetricsPort` is false: a cluster worker, whose primary serves it);
 * resolves once both listen. A METRICS_PORT that cannot listen rejects with MetricsPortListenFailure.
 */
export async function startServer(
  deps: GatewayDeps,
  timeouts: ServerTimeouts = {},
  options: { serveMetricsPort?: boolean } = {},
): Promise<RunningGateway> {
  const { config } = deps;
  const app = createApp(deps);
  const tls = config.tls;
  const headersTimeout = timeouts.headersTimeoutMs ?? 15_000;
  const requestTimeout = timeouts.requestTimeoutMs ?? config.requestTimeoutMs + 5_000;
  const keepAliveTimeout = timeouts.keepAliveTimeoutMs ?? 5_000;
  // Node's checker reads the timeouts set below at every tick, but its interval is fixed when the
  // server is created. (The timeouts themselves are set afterwards, as before: Node refuses, at
  // creation only, a headers timeout above the request timeout, which a short REQUEST_TIMEOUT_MS gives.)
  const serverTimeouts = { connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs ?? 1_000 };
  const server = await new Promise<Server>((resolve, reject) => {
    // Probes are answered before the framework (probe-fast-path.ts); everything else by the app.
    const listener = withProbeFastPath(getRequestListener(app.fetch, { hostname: config.host }), {
      health: deps.health,
      hsts: tls !== undefined,
      logger: deps.logger,
      metrics: deps.metrics,
      trustedProxyHops: config.trustedProxyHops,
    });
    const started = tls
      ? createHttpsServer({ ...serverTimeouts, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, listener)
      : createHttpServer(serverTimeouts, listener);
    started.listen(config.port, config.host, () => resolve(started as Server));
    // EADDRINUSE and friends: a clear start-up failure instead of an unhandled 'error' event.
    started.once('error', reject);
  });
  // Slow or stalled clients must not hold sockets forever (slow-loris).
  server.headersTimeout = headersTimeout;
  server.requestTimeout = requestTimeout;
  server.keepAliveTimeout = keepAliveTimeout;

  let metricsServer: RunningMetricsServer | undefined;
  if (config.metricsPort !== undefined && options.serveMetricsPort !== false) {
    const metricsPort = config.metricsPort;
    metricsServer = await startMetricsServer({
      host: config.host,
      port: metricsPort,
      exposition: deps.metricsExposition,
      onError: (error) => deps.logger.error({ err: error }, 'metrics scrape failed'),
    }).catch((error: NodeJS.ErrnoException) => {
      server.close();
      throw new MetricsPortListenFailure(metricsPort, error);
    });
  }

  const url = listeningUrl(server, tls ? 'https' : 'http');
  return {
    url,
    server,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    drain: () => drain(server, deps, metricsServer),
  };
}

/** The metrics listener keeps answering scrapes while requests drain, and closes last. */
async function drain(server: Server, deps: GatewayDeps, metricsServer: RunningMetricsServer | undefined): Promise<void> {
  deps.health.startDraining();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets are closed now and whenever a busy one finishes its response.
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 100);
  const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, deps.config.shutdownGraceMs, 'timeout').unref());
  const outcome = await Promise.race([closed, grace]);
  clearInterval(sweeper);
  if (outcome === 'timeout') {
    deps.logger.warn({ graceMs: deps.config.shutdownGraceMs }, 'drain grace period over; closing remaining connections');
    server.closeAllConnections();
  }
  await metricsServer?.close();
  deps.close();
}
