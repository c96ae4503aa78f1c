import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config/config.js';

export interface Tracing {
  /** Absent when tracing is off: callers then do no tracing work at all. */
  tracer: Tracer | undefined;
  /** Exports what is buffered; call on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing over OTLP/HTTP when the standard OTEL_* variables ask for it. The SDK and
 * exporter are imported only then, so a gateway without tracing loads none of their code.
 */
export async function createTracing(config: Pick<Config, 'tracing'>): Promise<Tracing> {
  if (!config.tracing) return { tracer: undefined, shutdown: async () => {} };
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.tracing.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracing.tracesUrl }))],
  });
  return { tracer: provider.getTracer('botica-gateway'), shutdown: () => provider.shutdown() };
}
