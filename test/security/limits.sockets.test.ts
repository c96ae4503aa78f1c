// Hostile clients over real sockets: oversized chunked bodies, deep nesting, huge arrays, huge
// headers, slow-loris headers and bodies, idle keep-alive sockets. Each gets a bounded answer (or
// a closed socket) and the process keeps serving. The gateway runs in-process with short socket
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

  it('answers 413 PAYLOAD_TOO_LARGE in JSON to a chunked body over BODY_LIMIT_BYTES, writing nothing', async () => {
    const body = JSON.stringify({ productos: [{ producto_id: 1, cantidad: 1 }], nota: 'x'.repeat(BODY_LIMIT + 10_000) });
    const answer = await rawRequest('POST', `${API}/compras`, jsonHeaders(), chunked(body));
    expect(answer.status).toBe(413);
    expect(errorCode(answer)).toBe('PAYLOAD_TOO_LARGE');
    expect(registrations()).toEqual([]);
    expect(stockWrites()).toEqual([]);
    await expectHealthy();
  });

  it('answers 413 on PUT routes too', async () => {
    const body = JSON.stringify({ estadovalidacion: 'VALIDADA', nota: 'x'.repeat(BODY_LIMIT) });
    const answer = await rawRequest('PUT', `${API}/recetas/estado/6717a1b2c3d4e5f60123456a`, jsonHeaders(), chunked(body));
    expect(answer.status).toBe(413);
    expect(errorCode(answer)).toBe('PAYLOAD_TOO_LARGE');
    expect(sut.mocks.calls('recetas').filter((call) => call.method !== 'GET')).toEqual([]);
  });

  it('answers 413 to a chunked invoice batch over INVOICE_BODY_LIMIT_BYTES, forwarding nothing', async () => {
    const invoice = { numero_factura: 'F-1', rut_cliente: '11111111-1', monto: 1, fecha_emision: '2025-01-01', nota: 'x'.repeat(1000) };
    const body = JSON.stringify(Array.from({ length: Math.ceil(INVOICE_LIMIT / 1000) + 50 }, () => invoice));
    expect(body.length).toBeGreaterThan(INVOICE_LIMIT);
    const answer = await rawRequest('POST', `${API}/facturas`, jsonHeaders({ 'idempotency-key': 'lote-big-1' }), chunked(body));
    expect(answer.status).toBe(413);
    expect(errorCode(answer)).toBe('PAYLOAD_TOO_LARGE');
    expect(sut.mocks.calls('facturas')).toEqual([]);
  });
});

describe('hostile JSON shapes', () => {
  it.each([
    ['200 KB of [ on POST /facturas (under its 1 MiB limit)', `${API}/facturas`, '['.repeat(200_000)],
    ['200 KB of closed nested arrays on POST /facturas', `${API}/facturas`, `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['90 KB of {"a": on POST /compras (under its limit)', `${API}/compras`, '{"a":'.repeat(18_000)],
  ])('answers 400 VALIDATION_ERROR to %s and keeps serving', async (_name, path, body) => {
    const answer = await rawRequest('POST', path, jsonHeaders({ 'idempotency-key': 'lote-deep-1' }), chunked(body));
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('VALIDATION_ERROR');
    expect(sut.mocks.calls()).toEqual([]);
    await expectHealthy();
  });

  it('answers 200 KB of nesting on POST /compras (over its limit) with 400 or 413', async () => {
    const answer = await rawRequest('POST', `${API}/compras`, jsonHeaders(), chunked('['.repeat(200_000)));
    expect([400, 413]).toContain(answer.status);
    expect(['VALIDATION_ERROR', 'PAYLOAD_TOO_LARGE']).toContain(errorCode(answer));
    await expectHealthy();
  });

  it('answers a JSON array of 100k numbers on POST /compras with 400 or 413, writing nothing', async () => {
    const numbers = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i % 10));
    for (const body of [numbers, `{"productos":${numbers},"cantidades":${numbers}}`]) {
      const answer = await rawRequest('POST', `${API}/compras`, jsonHeaders(), chunked(body));
      expect([400, 413]).toContain(answer.status);
      expect(['VALIDATION_ERROR', 'PAYLOAD_TOO_LARGE']).toContain(errorCode(answer));
    }
    expect(sut.mocks.calls()).toEqual([]);
    await expectHealthy();
  });

  it('answers 100k numbers as an invoice batch with a short 422 (no issue per item)', async () => {
    const body = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i));
    const answer = await rawRequest('POST', `${API}/facturas`, jsonHeaders({ 'idempotency-key': 'lote-nums-1' }), chunked(body));
    expect(answer.status).toBe(422);
    expect(errorCode(answer)).toBe('VALIDATION_ERROR');
    expect(answer.body.length).toBeLessThan(4096);
    expect(sut.mocks.calls('facturas')).toEqual([]);
  });

  it('does not amplify a long array of bad quantities into a huge error body', async () => {
    // ~90 KB of request, one line: an issue per item would be a ~2 MB answer built in the event loop.
    const body = JSON.stringify({ productos: [1], cantidades: Array.from({ length: 22_000 }, () => 'x') });
    expect(body.length).toBeLessThan(BODY_LIMIT);
    const answer = await rawRequest('POST', `${API}/compras`, jsonHeaders(), chunked(body));
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('VALIDATION_ERROR');
    expect(answer.body.length).toBeLessThan(16 * 1024);
    expect(sut.mocks.calls()).toEqual([]);
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
