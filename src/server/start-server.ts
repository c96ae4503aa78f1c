import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import type { GatewayDeps } from '../deps.js';

export interface RunningGateway {
  url: string;
  server: Server;
  /** Readiness 503 at once, stop accepting, let in-flight requests finish, then close. */
  drain(): Promise<void>;
}

/** Serves the app (HTTPS when TLS files are configured) and resolves once it listens. */
export async function startServer(deps: GatewayDeps): Promise<RunningGateway> {
  const { config } = deps;
  const app = createApp(deps);
  const tls = config.tls;
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        ...(tls
          ? {
              createServer: createHttpsServer,
              serverOptions: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
            }
          : {}),
      },
      () => resolve(started as Server),
    );
    // EADDRINUSE and friends: a clear start-up failure instead of an unhandled 'error' event.
    started.once('error', reject);
  });
  // Slow or stalled clients must not hold sockets forever (slow-loris).
  server.headersTimeout = 15_000;
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  server.keepAliveTimeout = 5_000;

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  return { url, server, drain: () => drain(server, deps) };
}

async function drain(server: Server, deps: GatewayDeps): Promise<void> {
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
  deps.close();
}
