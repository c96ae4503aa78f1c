// Runs each mock service as a real HTTP server (demo, e2e tests, benchmarks). Same apps and
// same state as the msw handlers, so both ways of mocking behave identically.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { MockUpstreams, ServiceName } from '../index.js';
import { SERVICE_NAMES } from '../state.js';

export interface StartMockServersOptions {
  host?: string;
  /** Fixed ports per service; missing ones get a random free port (0). */
  ports?: Partial<Record<ServiceName, number>>;
}

export interface RunningMockServers {
  urls: Record<ServiceName, string>;
  close(): Promise<void>;
}

function listen(mocks: Pick<MockUpstreams, 'apps'>, service: ServiceName, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // overrideGlobalObjects: false keeps the global Request/Response untouched (no globals).
    const server = serve(
      { fetch: mocks.apps[service].fetch, hostname: host, port, overrideGlobalObjects: false },
      () => resolve(server as Server),
    ) as Server;
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would otherwise keep close() waiting for their timeout.
    server.closeAllConnections();
  });
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${port}`;
}

export async function startMockServers(
  mocks: Pick<MockUpstreams, 'apps'>,
  options: StartMockServersOptions = {},
): Promise<RunningMockServers> {
  const host = options.host ?? '127.0.0.1';
  const started = await Promise.allSettled(
    SERVICE_NAMES.map((service) => listen(mocks, service, host, options.ports?.[service] ?? 0)),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async () => {
    await Promise.all(servers.map(closeServer));
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    // Do not leak the servers that did start when one port is taken.
    await close();
    throw failure.reason;
  }

  const urls = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, urlOf(servers[i] as Server, host)]));
  return { urls: urls as Record<ServiceName, string>, close };
}
