import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoadLimits {
  /** Mean event-loop delay (ms) over the last sample above which new work is refused; 0 disables. */
  maxEventLoopDelayMs: number;
  /** Requests in progress above which new work is refused; 0 disables. */
  maxInFlight: number;
  sampleIntervalMs?: number;
}

export interface LoadSnapshot {
  overloaded: boolean;
  eventLoopDelayMs: number;
  inFlight: number;
}

const HISTOGRAM_RESOLUTION_MS = 10;

/**
 * Knows whether the process is overloaded, the way @fastify/under-pressure does: the event
 * loop's mean delay over the last sampling interval, and the number of requests in progress.
 * Answering 503 fast beats queueing requests that will time out anyway.
 */
export class LoadMonitor {
  private inFlightCount = 0;
  private delayMs = 0;
  private readonly histogram: IntervalHistogram | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: LoadLimits) {
    if (limits.maxEventLoopDelayMs > 0) {
      this.histogram = monitorEventLoopDelay({ resolution: HISTOGRAM_RESOLUTION_MS });
      this.histogram.enable();
      this.timer = setInterval(() => this.sample(), limits.sampleIntervalMs ?? 500);
      this.timer.unref();
    }
  }

  enter(): void {
    this.inFlightCount++;
  }

  leave(): void {
    this.inFlightCount--;
  }

  snapshot(): LoadSnapshot {
    const { maxEventLoopDelayMs, maxInFlight } = this.limits;
    const overloaded =
      (maxEventLoopDelayMs > 0 && this.delayMs > maxEventLoopDelayMs) ||
      (maxInFlight > 0 && this.inFlightCount > maxInFlight);
    return { overloaded, eventLoopDelayMs: Math.round(this.delayMs), inFlight: this.inFlightCount };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.histogram?.disable();
  }

  private sample(): void {
    const histogram = this.histogram as IntervalHistogram;
    // The histogram's own resolution shows up as delay; subtract it as under-pressure does.
    const mean = histogram.count > 0 ? histogram.mean / 1e6 - HISTOGRAM_RESOLUTION_MS : 0;
    this.delayMs = Math.max(0, mean);
    histogram.reset();
  }
}
