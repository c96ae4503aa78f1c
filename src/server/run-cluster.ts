import cluster from 'node:cluster';

/**
 * The primary of a WORKERS > 1 deployment: forks the workers (they share the listening port),
 * replaces one that crashes, and on SIGTERM/SIGINT forwards the signal so each drains, exiting
 * 0 once all have. The gateway is stateless, except for what each process keeps to itself: the
 * stock serialisation and the purchase idempotency memory are per process.
 */
export function runClusterPrimary(workers: number, log: (message: string) => void): void {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
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
