import { GatewayError } from '../../errors/gateway-error.js';
import type { MessageKey } from '../../messages/messages.js';

/**
 * No write starts unless the request's remaining budget covers it: a write cut off by the
 * deadline has an unknown outcome, which is far costlier than a clean 504 before it starts.
 * A purchase needs 2 x UPSTREAM_TIMEOUT_MS (a stock write and the registration); every other
 * write needs one upstream timeout (the OCR cap for the upload and `validar`).
 */
export function assertWriteBudget(
  ctx: { deadline: number },
  neededMs: number,
  text: MessageKey = 'write.budget',
  now: number = Date.now(),
): void {
  const remaining = ctx.deadline - now;
  if (remaining >= neededMs) return;
  throw writeBudgetTooShort(neededMs - remaining, text);
}

/** No write may start without the budget to finish it: the answer says so and nothing was written. */
export const writeBudgetTooShort = (retryAfterMs: number, text: MessageKey = 'write.budget'): GatewayError =>
  new GatewayError('UPSTREAM_TIMEOUT', {
    text,
    details: { stage: 'write_budget' },
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  });
