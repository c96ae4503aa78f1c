import { GatewayError } from '../../errors/gateway-error.js';
import type { UpstreamError } from '../../errors/upstream-error.js';

/**
 * The users service did not answer the registration in time: it may or may not have registered
 * the purchase. The stock stays taken; the answer is 504 and tells the customer to check their
 * purchases before buying again.
 */
export class RegistrationOutcomeUnknown extends GatewayError {
  /** Epoch ms when the registration call was given up. */
  readonly abortedAt: number;

  /** `unreadable`: the service answered 2xx with a body that broke the contract (503, not 504). */
  constructor(abortedAt: number, cause: unknown, how: 'timeout' | 'unreadable' = 'timeout') {
    const unreadable = how === 'unreadable';
    super(unreadable ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_TIMEOUT', {
      text: 'purchase.outcome_unknown',
      details: { service: 'usuarios', ...(unreadable ? { reason: 'invalid_response' } : {}) },
      ...(unreadable ? { headers: { 'Retry-After': '1' } } : {}),
      cause,
    });
    this.abortedAt = abortedAt;
  }

  /** For a registration that failed in a way that may have applied it (timeout or unreadable 2xx). */
  static of(error: UpstreamError): RegistrationOutcomeUnknown {
    return new RegistrationOutcomeUnknown(Date.now(), error, error.kind === 'timeout' ? 'timeout' : 'unreadable');
  }
}
