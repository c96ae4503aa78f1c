// OpenTelemetry tracing, switched on by the standard OTEL_* variables: a server span per API
// request joined to the caller's trace, a client span per upstream call whose id the upstream
// receives, exported over OTLP/HTTP. Off by default.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { TEST_SECRET } from '../helpers/harness.js';
import { startGatewayUnderTest, type GatewayUnderTest } from '../helpers/socket-gateway.js';

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
let endpoint: string;

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
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
  const loaded = loadConfig({ JWT_SECRET: TEST_SECRET, ...otel });
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
    // Every configuration must load: a rejected one would make "tracing is off" true for nothing.
    const configWith = (env: Record<string, string>) => {
      const loaded = loadConfig({ JWT_SECRET: TEST_SECRET, ...env });
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      return loaded.config;
    };
    // Asked for: on, and a span it ends reaches the collector (so "off" below is not "broken").
    const on = configWith({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(on.tracing).toEqual({ tracesUrl: `${endpoint}/v1/traces`, serviceName: 'botica-gateway' });
    const probe = await createTracing(on);
    expect(probe.tracer).toBeDefined();
    probe.tracer?.startSpan('tracing-on-probe').end();
    await probe.shutdown();
    expect(exported.map((span) => span.name)).toContain('tracing-on-probe');

    const offs: Array<Record<string, string>> = [
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' },
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    ];
    for (const env of offs) {
      const off = configWith(env);
      expect(off.tracing, JSON.stringify(env)).toBeUndefined();
      expect((await createTracing(off)).tracer, JSON.stringify(env)).toBeUndefined();
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
