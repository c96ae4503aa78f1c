// Shedding on event-loop delay (LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS): a blocked loop makes the
// monitor report overload at its next sample, and a free loop clears it. Shedding on requests
// in flight, and what the app answers while overloaded: load-shedding.http.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadMonitor } from '../../src/observability/load-monitor.js';

const blockLoop = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // the event loop cannot run timers meanwhile: that is the delay being measured
  }
};

let monitor: LoadMonitor | undefined;
afterEach(() => monitor?.close());

describe('LoadMonitor on event-loop delay', () => {
  it('reports overload after the loop was held past the limit, and clears once it runs freely', async () => {
    monitor = new LoadMonitor({ maxEventLoopDelayMs: 100, maxInFlight: 0, sampleIntervalMs: 150 });
    await sleep(160);
    expect(monitor.snapshot().overloaded).toBe(false);
    // Held across a sampling instant: the overdue sample runs first thing after, and sees it.
    blockLoop(400);
    await sleep(5);
    const busy = monitor.snapshot();
    expect(busy.overloaded).toBe(true);
    expect(busy.eventLoopDelayMs).toBeGreaterThan(100);

    await sleep(400);
    expect(monitor.snapshot()).toMatchObject({ overloaded: false, inFlight: 0 });
  });

  it('reads a sample without any measurement as no delay (sampling faster than the histogram ticks)', async () => {
    monitor = new LoadMonitor({ maxEventLoopDelayMs: 100, maxInFlight: 0, sampleIntervalMs: 1 });
    await sleep(30);
    expect(monitor.snapshot()).toEqual({ overloaded: false, eventLoopDelayMs: 0, inFlight: 0 });
  });

  it('never reports overload on delay with the limit at 0', async () => {
    monitor = new LoadMonitor({ maxEventLoopDelayMs: 0, maxInFlight: 0, sampleIntervalMs: 50 });
    blockLoop(300);
    await sleep(120);
    expect(monitor.snapshot()).toEqual({ overloaded: false, eventLoopDelayMs: 0, inFlight: 0 });
  });
});
