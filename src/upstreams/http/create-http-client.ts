import ky, { type KyInstance } from 'ky';

/**
 * A ky instance for one upstream. Retries, timeouts and status handling are done by
 * `callUpstream` (budget-aware, per-call signals), so ky is told to do none of them.
 */
export function createHttpClient(baseUrl: string, fetchImpl?: typeof fetch): KyInstance {
  return ky.create({
    prefixUrl: baseUrl,
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
