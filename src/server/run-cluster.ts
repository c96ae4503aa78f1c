import cluster from 'node:cluster';
import type { Config } from '../config/config.js';
import { primaryMetrics } from '../observability/cluster-metrics.js';
import { listenFailureMessage } from './listen-failure.js';
import { startMetricsServer } from './metrics-server.js';

/**
 * The primary of a WORKERS > 1 deployment: forks the workers (they share the listening port),
 * replaces one that crashes, and on SIGTERM/SIGINT forwards the signal so each drains, exiting
 * 0 once all have. The gateway is stateless, except for what each process keeps to itself: the
 * stock serialisation and the purchase idempotency memory are per process.
 *
 * It also sums the workers' metrics (observability/cluster-metrics.ts): it serves METRICS_PORT
 * itself when that is set, and answers the workers that serve /metrics on the public port
 * otherwise. A METRICS_PORT that cannot listen stops it before any worker starts (exit 1).
 */
export async function runClusterPrimary(
  config: Pick<Config, 'workers' | 'host' | 'metricsPort'>,
  log: (message: string) => void,
): Promise<void> {
  const metrics = primaryMetrics(cluster);
  if (config.metricsPort !== undefined) {
    await startMetricsServer({
      host: config.host,
      port: config.metricsPort,
      exposition: metrics,
      onError: (error) => log(`metrics scrape failed: ${error instanceof Error ? error.message : String(error)}`),
    }).catch((error: NodeJS.ErrnoException) => {
      log(listenFailureMessage(error, config.host, config.metricsPort ?? 0, 'npm start', 'METRICS_PORT'));
      process.exit(1);
    });
  }

  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
