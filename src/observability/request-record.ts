import type { Logger } from 'pino';
import { maskDni } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

export interface AnsweredRequest {
  requestId: string;
  method: string;
  path: string;
  /** The route template (never the raw path), or `unmatched`. */
  route: string;
  status: number;
  seconds: number;
  /** The verified caller's DNI, when the request was authenticated (logged masked). */
  callerDni?: string;
  clientAddress: string | undefined;
}

/**
 * What every answered request leaves behind: one metric sample and one `request` log line. Shared
 * by the edge middleware and the server's probe fast path, so both write the same line.
 */
export function recordRequest(logger: Logger, metrics: GatewayMetrics, answered: AnsweredRequest): void {
  const { requestId, method, path, route, status, seconds, callerDni, clientAddress } = answered;
  metrics.observeRequest(method, route, status, seconds);
  logger.info(
    {
      requestId,
      method,
      path,
      route,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      ...(callerDni ? { caller: maskDni(callerDni) } : {}),
      clientAddress,
    },
    'request',
  );
}
