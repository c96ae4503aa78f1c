import type { Cluster, Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** What a /metrics answer is made from: one process's registry, or the sum over a cluster's workers. */
export interface MetricsExposition {
  readonly contentType: string;
  text(): Promise<string>;
}

/** One process: its own registry (WORKERS=1, or anything that is not a cluster). */
export function registryExposition(registry: Registry): MetricsExposition {
  return { contentType: registry.contentType, text: () => registry.metrics() };
}

/**
 * With WORKERS > 1 every worker counts only its own requests, so a scrape of one of them would see
 * a share that depends on where the connection landed. The primary therefore sums them:
 *
 *   primary --collect--> every listening worker --snapshot (registry.getMetricsAsJSON())--> primary
 *   primary: AggregatorRegistry.aggregate(snapshots).metrics()
 *
 * The primary serves that text on METRICS_PORT itself; without METRICS_PORT, the worker that
 * receives a GET /metrics on the public port asks the primary for it (`aggregate` / `aggregated`).
 *
 * Each metric is merged by its `aggregator` (prom-client's; sum by default): counters and
 * histograms add up, `gateway_http_requests_in_flight` is the pod's total in flight, and
 * `gateway_breaker_state` takes the worst worker ('max'; see metrics.ts). prom-client's default
 * process metrics bring their own (e.g. event-loop lag averaged, start time omitted).
 *
 * This is prom-client's `AggregatorRegistry.clusterMetrics()` protocol, written out because that
 * one answers, in each worker, from a module-wide list of registries (`setRegistries`, the global
 * registry by default) while each GatewayMetrics has a registry of its own, passed in here; and it
 * asks every connected worker, including one still starting that cannot answer yet, whereas this
 * asks only the workers that listen. A worker that does not answer within `timeoutMs` fails the
 * scrape (never a partial sum). A worker that restarts starts its counters again from zero, as any
 * restarted process does (Prometheus' rate() treats the drop as a counter reset).
 */
const COLLECT = 'botica:metrics:collect';
const SNAPSHOT = 'botica:metrics:snapshot';
const AGGREGATE = 'botica:metrics:aggregate';
const AGGREGATED = 'botica:metrics:aggregated';

/** One worker's registry as JSON (`registry.getMetricsAsJSON()`): what `aggregate` merges. */
type Snapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;
type Message =
  | { type: typeof COLLECT; id: number }
  | { type: typeof SNAPSHOT; id: number; metrics: Snapshot }
  | { type: typeof AGGREGATE; id: number }
  | { type: typeof AGGREGATED; id: number; text?: string; error?: string };

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' &&
  (value as { type: string }).type.startsWith('botica:metrics:');

/** The worker's end of the IPC channel (`process` in a cluster worker). */
export interface PrimaryChannel {
  send?: ((message: Message) => unknown) | undefined;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export const CLUSTER_METRICS_TIMEOUT_MS = 3000;

/**
 * A cluster worker's side: answers the primary's collections from `registry`, and gives the
 * exposition the public /metrics uses (the sum over every worker, asked of the primary).
 */
export function workerMetrics(
  channel: PrimaryChannel,
  registry: Registry,
  timeoutMs = CLUSTER_METRICS_TIMEOUT_MS,
): { exposition: MetricsExposition; stop(): void } {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error('workerMetrics needs an IPC channel to the cluster primary');
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  let nextId = 0;
  const onMessage = (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECT) {
      void registry.getMetricsAsJSON().then((metrics) => send({ type: SNAPSHOT, id: message.id, metrics }));
    } else if (message.type === AGGREGATED) {
      const request = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.text !== undefined) request?.resolve(message.text);
      else request?.reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
    }
  };
  channel.on('message', onMessage);
  const exposition: MetricsExposition = {
    // The aggregated registry renders in prom-client's default (Prometheus text) format.
    contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    text: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`cluster metrics: the primary did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        const settle = <T>(fn: (value: T) => void) => (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
        waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
        send({ type: AGGREGATE, id });
      }),
  };
  return { exposition, stop: () => channel.off('message', onMessage) };
}

/**
 * The primary's side: keeps track of the workers that listen, sums their registries on demand
 * (the METRICS_PORT server's exposition) and answers the workers' `aggregate` requests.
 */
export function primaryMetrics(cluster: Cluster, timeoutMs = CLUSTER_METRICS_TIMEOUT_MS): MetricsExposition {
  const listening = new Set<Worker>();
  const collections = new Map<number, { pending: Set<Worker>; snapshots: Snapshot[]; done(): void }>();
  let nextId = 0;

  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker) => listening.delete(worker));

  const collect = (): Promise<string> =>
    new Promise<Snapshot[]>((resolve, reject) => {
      const id = nextId++;
      const workers = [...listening].filter((worker) => worker.isConnected());
      const collection = { pending: new Set(workers), snapshots: [] as Snapshot[], done: () => {} };
      const timer = setTimeout(() => {
        collections.delete(id);
        const silent = [...collection.pending].map((worker) => worker.process.pid).join(', ');
        reject(new Error(`worker ${silent} did not send its metrics within ${timeoutMs} ms`));
      }, timeoutMs);
      collection.done = () => {
        clearTimeout(timer);
        collections.delete(id);
        resolve(collection.snapshots);
      };
      collections.set(id, collection);
      if (workers.length === 0) collection.done();
      for (const worker of workers) worker.send({ type: COLLECT, id } satisfies Message);
    }).then((snapshots) => AggregatorRegistry.aggregate(snapshots).metrics());

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SNAPSHOT) {
      const collection = collections.get(message.id);
      if (!collection?.pending.delete(worker)) return;
      collection.snapshots.push(message.metrics);
      if (collection.pending.size === 0) collection.done();
    } else if (message.type === AGGREGATE) {
      collect().then(
        (text) => worker.isConnected() && worker.send({ type: AGGREGATED, id: message.id, text } satisfies Message),
        (error: Error) => worker.isConnected() && worker.send({ type: AGGREGATED, id: message.id, error: error.message } satisfies Message),
      );
    }
  });

  return { contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE, text: collect };
}
