import { createCoordination, type Coordination } from '../src/coordination/create-coordination.js';
import type { Config } from '../src/config/config.js';
import type { PurchaseRecord } from '../src/domain/ports/idempotency-store.js';
import { GatewayMetrics } from '../src/observability/metrics.js';

export interface StoreOverhead {
  store: 'memory' | 'redis';
  keyed: boolean;
  iterations: number;
  p50Ms: number;
  p99Ms: number;
}

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

/**
 * What the shared store adds to one purchase, measured directly with a high-resolution clock
 * (autocannon's latencies have 1 ms steps, too coarse for this): the store operations of one
 * purchase - the write count, the in-flight slot, the stock lock taken and released and, for a
 * keyed purchase, the record claimed and updated twice - one purchase after another.
 */
export async function measureStoreOverhead(config: Config, iterations: number): Promise<StoreOverhead[]> {
  const results: StoreOverhead[] = [];
  for (const store of ['memory', 'redis'] as const) {
    const coordination = createCoordination(
      store === 'redis' ? config : { ...config, redis: undefined } as Config,
      quiet,
      new GatewayMetrics({ processMetrics: false }),
    );
    await untilUp(coordination);
    for (const keyed of [false, true]) {
      await run(coordination, keyed, 200);
      const samples = await run(coordination, keyed, iterations);
      samples.sort((a, b) => a - b);
      results.push({
        store,
        keyed,
        iterations,
        p50Ms: samples[Math.floor(samples.length / 2)] ?? NaN,
        p99Ms: samples[Math.floor(samples.length * 0.99)] ?? NaN,
      });
    }
    await coordination.close();
  }
  return results;
}

async function untilUp(coordination: Coordination) {
  const deadline = Date.now() + 5000;
  while (coordination.state().status !== 'up' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

async function run(coordination: Coordination, keyed: boolean, iterations: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const caller = `7${String(i % 50).padStart(7, '0')}`;
    const started = performance.now();
    await coordination.limits.countWrite(caller);
    const leave = await coordination.limits.enterPurchase(caller);
    const record: PurchaseRecord = {
      state: 'in_flight',
      owner: `o${i}`,
      fingerprint: '1x1',
      lines: [{ producto_id: 1, cantidad: 1 }],
      leaseUntil: Date.now() + 10_000,
    };
    if (keyed) await coordination.idempotency.claim(`bench:${i}:${started}`, record, 10_000);
    await coordination.stockLocks.withLocks([String(i % 20)], Date.now() + 5000, async () => {
      if (keyed) await coordination.idempotency.replace(`bench:${i}:${started}`, record.owner, { ...record, state: 'stock_taken' }, 10_000);
    });
    if (keyed) await coordination.idempotency.replace(`bench:${i}:${started}`, record.owner, { ...record, state: 'succeeded' }, 10_000);
    await leave();
    samples.push(performance.now() - started);
  }
  return samples;
}
