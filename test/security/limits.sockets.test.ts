// Hostile clients over real sockets: oversized chunked bodies, huge headers, slow-loris headers
// and bodies, idle keep-alive sockets. Each gets a bounded answer (or a closed socket) and the
// process keeps serving. (Hostile JSON within the limits is the app's business: hostile-json.http.) The gateway runs in-process with short socket
// timeouts (startServer's options) in front of the real mock servers; every wait is bounded by the
// test's own timeout, never asserted as a duration.
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const API = '/api/orchestrator';
const BODY_LIMIT = 102_400;
const INVOICE_LIMIT = 1_048_576;
const TIMEOUTS = { headersTimeoutMs: 500, requestTimeoutMs: 1_500, keepAliveTimeoutMs: 500, connectionsCheckingIntervalMs: 100 };

let sut: GatewayUnderTest;
let port: number;
let token: string;

beforeAll(async () => {
  sut = await startGatewayUnderTest({}, {}, { timeouts: TIMEOUTS });
  port = Number(new URL(sut.url).port);
  token = sut.clienteToken;
});

afterAll(async () => {
  sut?.gateway.server.closeAllConnections();
  await sut?.close();
});

beforeEach(() => sut.mocks.reset());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request through node:http on a fresh connection. Without `contentLength` the body goes out
 * with Transfer-Encoding: chunked, one chunk per buffer. The server may answer (413) before it has
 * read everything and then drop the connection: write errors after the answer are ignored.
 */
function rawRequest(method: string, path: string, headers: Record<string, string>, chunks: Buffer[] = []): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const jsonHeaders = (extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  'transfer-encoding': 'chunked',
  ...extra,
});

/** Splits `text` into chunks of `size` bytes. */
function chunked(text: string, size = 16 * 1024): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}

function errorCode(answer: RawAnswer): string {
  expect(String(answer.headers['content-type'])).toContain('application/json');
  return (JSON.parse(answer.body) as { code: string }).code;
}

async function expectHealthy() {
  const response = await fetch(`${sut.api}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'healthy' });
}

/** Everything a raw socket receives until the server closes it (the test's timeout bounds the wait). */
function receiveUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
  });
}

function openSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

const registrations = () => sut.mocks.calls('usuarios').filter((call) => call.method === 'POST');
const stockWrites = () => sut.mocks.calls('productos').filter((call) => call.method !== 'GET');

describe('body limits with chunked transfer and no Content-Length', () => {
  it('registers a small chunked purchase (the control: chunked bodies are read)', async () => {
    const body = JSON.stringify({ productos: [{ producto_id: 1, cantidad: 1 }] });
    const answer = await rawRequest('POST', `${API}/compras`, jsonHeaders(), chunked(body, 8));
    expect(answer.status, answer.body).toBe(201);
  });

  const invoice = { numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 1, fecha_emision: '2025-01-01', nota: 'x'.repeat(1000) };
  it.each([
    {
      name: 'a purchase over BODY_LIMIT_BYTES',
      method: 'POST', path: `${API}/compras`,
      body: JSON.stringify({ productos: [{ producto_id: 1, cantidad: 1 }], nota: 'x'.repeat(BODY_LIMIT + 10_000) }),
      limit: BODY_LIMIT, headers: {} as Record<string, string>,
      writes: () => [...registrations(), ...stockWrites()],
    },
    {
      name: 'a PUT over BODY_LIMIT_BYTES',
      method: 'PUT', path: `${API}/recetas/estado/6717a1b2c3d4e5f60123456a`,
      body: JSON.stringify({ estadovalidacion: 'VALIDADA', nota: 'x'.repeat(BODY_LIMIT) }),
      limit: BODY_LIMIT, headers: {} as Record<string, string>,
      writes: () => sut.mocks.calls('recetas').filter((call) => call.method !== 'GET'),
    },
    {
      name: 'an invoice batch over INVOICE_BODY_LIMIT_BYTES',
      method: 'POST', path: `${API}/facturas`,
      body: JSON.stringify(Array.from({ length: Math.ceil(INVOICE_LIMIT / 1000) + 50 }, () => invoice)),
      limit: INVOICE_LIMIT, headers: { 'idempotency-key': 'lote-big-1' },
      writes: () => sut.mocks.calls('facturas'),
    },
  ])('answers 413 PAYLOAD_TOO_LARGE in JSON to $name, writing nothing, and keeps serving', async ({ method, path, body, limit, headers, writes }) => {
    expect(body.length).toBeGreaterThan(limit);
    const answer = await rawRequest(method, path, jsonHeaders(headers), chunked(body));
    expect(answer.status).toBe(413);
    expect(errorCode(answer)).toBe('PAYLOAD_TOO_LARGE');
    expect(writes()).toEqual([]);
    await expectHealthy();
  });
});

describe('huge headers', () => {
  it.each([
    ['one 20 KB header', `X-Padding: ${'a'.repeat(20 * 1024)}\r\n`],
    ['1000 headers totalling more than 16 KB', Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${'b'.repeat(20)}\r\n`).join('')],
    ['a 20 KB Authorization header', `Authorization: Bearer ${'c'.repeat(20 * 1024)}\r\n`],
  ])("gets Node's 431 (or a closed connection) for %s, and the server keeps serving", async (_name, headers) => {
    const socket = await openSocket();
    const received = receiveUntilClosed(socket);
    socket.write(`GET ${API}/health HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    const text = await received;
    if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 431 /);
    await expectHealthy();
  });
});

describe('slow and idle clients', () => {
  it('closes a slow-loris connection whose headers trickle in byte by byte', async () => {
    const socket = await openSocket();
    const received = receiveUntilClosed(socket);
    socket.write(`GET ${API}/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
    // One byte every 200 ms (faster than the 500 ms headers timeout: an idle timer would never fire).
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('a');
    }, 200);
    try {
      const text = await received;
      if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(socket.destroyed).toBe(true);
    } finally {
      clearInterval(trickle);
    }
    await expectHealthy();
  });

  it('closes a connection that never finishes its request line', async () => {
    const socket = await openSocket();
    const received = receiveUntilClosed(socket);
    socket.write('POS');
    const text = await received;
    if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 408 /);
    await expectHealthy();
  });

  it('closes a connection whose body trickles in after complete headers (request timeout), writing nothing', async () => {
    const socket = await openSocket();
    const received = receiveUntilClosed(socket);
    const body = JSON.stringify({ productos: [{ producto_id: 1, cantidad: 1 }] });
    socket.write(
      `POST ${API}/compras HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const trickle = setInterval(() => {
      // Never the last byte: the request can only end by the server's timeout.
      if (!socket.destroyed && sent < body.length - 1) socket.write(body[sent++] as string);
    }, 100);
    try {
      const text = await received;
      if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 (408|400|413) /);
    } finally {
      clearInterval(trickle);
    }
    expect(registrations()).toEqual([]);
    expect(stockWrites()).toEqual([]);
    await expectHealthy();
  });

  it('closes an idle keep-alive connection after its response', async () => {
    const socket = await openSocket();
    const received = receiveUntilClosed(socket);
    socket.write(`GET ${API}/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    const text = await received;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toContain('"status":"healthy"');
  });
});

describe('startServer timeouts', () => {
  it('keeps the production defaults when no options are given', async () => {
    const running = await startGatewayUnderTest({ REQUEST_TIMEOUT_MS: '7000' }, {}, { upstreams: sut.upstreams });
    try {
      expect(running.gateway.server.headersTimeout).toBe(15_000);
      expect(running.gateway.server.requestTimeout).toBe(12_000);
      expect(running.gateway.server.keepAliveTimeout).toBe(5_000);
    } finally {
      await running.close();
    }
  });

  it('applies the given options', () => {
    expect(sut.gateway.server.headersTimeout).toBe(TIMEOUTS.headersTimeoutMs);
    expect(sut.gateway.server.requestTimeout).toBe(TIMEOUTS.requestTimeoutMs);
    expect(sut.gateway.server.keepAliveTimeout).toBe(TIMEOUTS.keepAliveTimeoutMs);
  });
});
