import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../../errors/gateway-error.js';
import type { LoadMonitor } from '../../observability/load-monitor.js';
import type { AppEnv } from '../app-env.js';

const RETRY_AFTER_SECONDS = '2';

/**
 * Refuses new API work with 503 OVERLOADED while the process is overloaded, and counts the
 * requests in progress. Health and readiness are not behind it: they must keep answering.
 */
export function shedLoad(monitor: LoadMonitor) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const load = monitor.snapshot();
    if (load.overloaded) {
      throw new GatewayError('OVERLOADED', {
        details: { eventLoopDelayMs: load.eventLoopDelayMs, inFlight: load.inFlight },
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
      });
    }
    monitor.enter();
    try {
      await next();
    } finally {
      monitor.leave();
    }
  });
}
