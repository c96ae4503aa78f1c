import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceName } from '../config/config.js';
import type { LockWaitObserver, StoreObserver } from '../coordination/lock-wait-observer.js';
import type { UpstreamObserver } from '../upstreams/http/call-context.js';
import type { BreakerState } from '../upstreams/http/create-breaker.js';

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The gateway's Prometheus metrics, on a registry of its own (no global state). With WORKERS > 1,
 * /metrics merges every worker's registry by each metric's `aggregator` (cluster-metrics.ts).
 */
export class GatewayMetrics implements UpstreamObserver, StoreObserver, LockWaitObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Upstream calls, by service, operation and outcome',
    labelNames: ['service', 'operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_call_duration_seconds',
    help: 'Upstream call latency, by service and operation',
    labelNames: ['service', 'operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 10],
    registers: [this.registry],
  });
  private readonly breakerState = new Gauge({
    name: 'gateway_breaker_state',
    help: 'Circuit breaker state by service: 0 closed, 1 half-open, 2 open',
    labelNames: ['service'],
    // Summed over WORKERS > 1 (cluster-metrics.ts) a state would mean nothing: the worst worker's.
    aggregator: 'max',
    registers: [this.registry],
  });
  private readonly breakerTransitions = new Counter({
    name: 'gateway_breaker_transitions_total',
    help: 'Circuit breaker state changes, by service and new state',
    labelNames: ['service', 'state'],
    registers: [this.registry],
  });
  private readonly storeOperations = new Counter({
    name: 'gateway_coordination_store_operations_total',
    help: 'Commands sent to the coordination store (Redis), by operation and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly lockWait = new Histogram({
    name: 'gateway_stock_lock_wait_seconds',
    help: 'Time purchases spent waiting for their stock locks, by outcome',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  // Summed over WORKERS > 1 (prom-client's default aggregator): the total in flight over the workers.
  readonly inFlight = new Gauge({
    name: 'gateway_http_requests_in_flight',
    help: 'Requests being handled now',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
  }

  onCall({ service, operation, outcome, durationMs }: Parameters<UpstreamObserver['onCall']>[0]): void {
    this.upstreamCalls.inc({ service, operation, outcome });
    this.upstreamDuration.observe({ service, operation }, durationMs / 1000);
  }

  breakerChanged(service: ServiceName, state: BreakerState): void {
    this.breakerState.set({ service }, BREAKER_STATE_VALUE[state]);
    this.breakerTransitions.inc({ service, state });
  }

  onStoreOperation(operation: string, outcome: 'ok' | 'error'): void {
    this.storeOperations.inc({ operation, outcome });
  }

  onLockWait(seconds: number, outcome: 'acquired' | 'timeout' | 'store_unavailable'): void {
    this.lockWait.observe({ outcome }, seconds);
  }

  initBreaker(service: ServiceName): void {
    this.breakerState.set({ service }, 0);
  }
}
