import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The root URL a listening server answers on; a wildcard address is reached on 127.0.0.1. */
export function listeningUrl(server: Server, scheme: 'http' | 'https'): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}
