import cluster from 'node:cluster';
import { loadProcessConfig } from './config/config.js';
import { createDeps } from './deps.js';
import { workerMetrics } from './observability/cluster-metrics.js';
import { GatewayMetrics } from './observability/metrics.js';
import { createTracing } from './observability/tracing.js';
import { runClusterPrimary } from './server/run-cluster.js';
import { listenFailureMessage } from './server/listen-failure.js';
import { startServer } from './server/start-server.js';

/** Process entry: config -> deps -> app -> listen; drain on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const loaded = loadProcessConfig();
  if (!loaded.ok) {
    for (const line of loaded.errors) console.error(`invalid configuration: ${line}`);
    process.exit(1);
  }
  if (loaded.config.workers > 1 && cluster.isPrimary) {
    await runClusterPrimary(loaded.config, (message) => console.error(message));
    return;
  }
  const tracing = await createTracing(loaded.config);
  // A cluster worker answers the primary's metrics collections from its registry, and its public
  // /metrics (without METRICS_PORT) is the sum over every worker, asked of the primary.
  const metrics = new GatewayMetrics();
  const workerSide = cluster.isWorker ? workerMetrics(process, metrics.registry) : undefined;
  const deps = createDeps(loaded.config, {
    metrics,
    ...(workerSide ? { metricsExposition: workerSide.exposition } : {}),
    ...(tracing.tracer ? { tracer: tracing.tracer } : {}),
  });
  // In a cluster the primary serves METRICS_PORT (with the sum); a worker serves only PORT.
  const gateway = await startServer(deps, {}, { serveMetricsPort: !cluster.isWorker }).catch((error: NodeJS.ErrnoException) => {
    console.error(listenFailureMessage(error, loaded.config.host, loaded.config.port, 'npm start'));
    process.exit(1);
  });
  deps.logger.info({ url: gateway.url, upstreams: loaded.config.upstreamUrls }, 'gateway listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'draining');
    void gateway.drain().then(async () => {
      await tracing.shutdown().catch(() => {});
      deps.logger.info('drained; exiting');
      deps.logger.flush();
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
