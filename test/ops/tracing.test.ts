// OpenTelemetry tracing, switched on by the standard OTEL_* variables: a server span per API
// request joined to the caller's trace, a client span per upstream call whose id the upstream
// receives, exported over OTLP/HTTP. Off by default.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

const SECRET = 'tracing-test-secret-of-at-least-32-bytes';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

const exported: ExportedSpan[] = [];
let collector: Server;
let sut: GatewayUnderTest;
let tracing: Tracing;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: ExportedSpan[] }> }> };
      for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) exported.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` };
  const loaded = loadConfig({ JWT_SECRET: SECRET, ...otel });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  tracing = await createTracing(loaded.config);
  sut = await startGatewayUnderTest(otel, tracing.tracer ? { tracer: tracing.tracer } : {});
});

afterAll(async () => {
  await sut?.close();
  await tracing?.shutdown();
  await new Promise((resolve) => collector?.close(resolve));
});

describe('OpenTelemetry tracing', () => {
  it('is off unless an OTEL_* variable asks for OTLP', async () => {
    const off = loadConfig({ JWT_SECRET: SECRET });
    const disabled = loadConfig({ JWT_SECRET: SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_SDK_DISABLED: 'true' });
    const none = loadConfig({ JWT_SECRET: SECRET, OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' });
    for (const loaded of [off, disabled, none]) {
      expect(loaded.ok && loaded.config.tracing).toBeFalsy();
      if (loaded.ok) expect((await createTracing(loaded.config)).tracer).toBeUndefined();
    }
  });

  it('exports a server span in the caller trace and one client span per upstream call, whose ids the upstreams receive', async () => {
    const response = await fetch(`${sut.url}/api/orchestrator/compras/me`, {
      headers: { authorization: `Bearer ${sut.clienteToken}`, traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    });
    expect(response.status).toBe(200);
    await tracing.shutdown();

    const server = exported.find((span) => span.kind === 2);
    expect(server).toMatchObject({ traceId: TRACE_ID, parentSpanId: CALLER_SPAN, name: 'GET /api/orchestrator/compras/me' });
    const clients = exported.filter((span) => span.kind === 3);
    const upstreamCalls = sut.mocks.calls();
    expect(clients).toHaveLength(upstreamCalls.length);
    for (const client of clients) expect(client).toMatchObject({ traceId: TRACE_ID, parentSpanId: server?.spanId });
    expect(clients.map((span) => span.name)).toContain('usuarios listMyPurchases');
    const sentSpanIds = upstreamCalls.map((call) => call.headers.traceparent?.split('-')[2]).sort();
    expect(sentSpanIds).toEqual(clients.map((span) => span.spanId).sort());
  });
});
