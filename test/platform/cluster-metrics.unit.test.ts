// The cluster metrics protocol (observability/cluster-metrics.ts) over in-memory channels: the
// primary sums what every listening worker sends, fails the scrape rather than report a partial
// sum, and a worker's /metrics is the primary's sum. The real processes: test/platform/metrics-port.sockets.test.ts.
import { EventEmitter } from 'node:events';
import type { Cluster, Worker } from 'node:cluster';
import { describe, expect, it } from 'vitest';
import { primaryMetrics, workerMetrics, type PrimaryChannel } from '../../src/observability/cluster-metrics.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';

/** A worker process: its IPC end (`process` in the worker) wired to a fake cluster in the primary. */
function fakeWorker(cluster: EventEmitter, pid: number, registry: GatewayMetrics | undefined) {
  const channel = new EventEmitter() as EventEmitter & PrimaryChannel;
  const worker = {
    process: { pid },
    isConnected: () => true,
    // primary -> worker
    send: (message: unknown) => void setImmediate(() => channel.emit('message', message)),
  } as unknown as Worker;
  // worker -> primary
  channel.send = (message: unknown) => void setImmediate(() => cluster.emit('message', worker, message));
  const side = registry ? workerMetrics(channel, registry.registry, 200) : undefined;
  return { worker, side };
}

function counted(text: string, route: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('gateway_http_requests_total{') && l.includes(`route="${route}"`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('cluster metrics', () => {
  it('sums the workers that listen, on the primary and for a worker that asks', async () => {
    const cluster = new EventEmitter();
    const exposition = primaryMetrics(cluster as unknown as Cluster, 200);
    const registries = [new GatewayMetrics({ processMetrics: false }), new GatewayMetrics({ processMetrics: false })];
    const workers = registries.map((registry, i) => fakeWorker(cluster, 100 + i, registry));
    registries[0]?.observeRequest('GET', '/a', 200, 0.01);
    registries[0]?.observeRequest('GET', '/a', 200, 0.01);
    registries[1]?.observeRequest('GET', '/a', 200, 0.01);
    registries[1]?.breakerChanged('productos', 'open');
    registries[0]?.breakerChanged('productos', 'closed');

    // Not listening yet: not asked (it could not answer), nothing to sum.
    expect((await exposition.text()).trim()).toBe('');
    for (const { worker } of workers) cluster.emit('listening', worker, {});

    const text = await exposition.text();
    expect(counted(text, '/a')).toBe(3);
    // The breaker gauge is the worst worker's state, not a sum.
    expect(text).toMatch(/^gateway_breaker_state\{service="productos"\} 2$/m);
    expect(counted(await (workers[1]?.side?.exposition.text() ?? Promise.reject(new Error('no worker'))), '/a')).toBe(3);

    // A worker that exited is no longer asked.
    cluster.emit('exit', workers[1]?.worker, 0, null);
    expect(counted(await exposition.text(), '/a')).toBe(2);
  });

  it('fails the scrape when a listening worker does not answer, instead of reporting a partial sum', async () => {
    const cluster = new EventEmitter();
    const exposition = primaryMetrics(cluster as unknown as Cluster, 100);
    const answering = fakeWorker(cluster, 201, new GatewayMetrics({ processMetrics: false }));
    const silent = fakeWorker(cluster, 202, undefined);
    cluster.emit('listening', answering.worker, {});
    cluster.emit('listening', silent.worker, {});
    await expect(exposition.text()).rejects.toThrow(/worker 202 did not send its metrics/);
    // The worker that asked gets the failure too (its /metrics answers 500).
    await expect(answering.side?.exposition.text()).rejects.toThrow(/worker 202/);
  });
});
