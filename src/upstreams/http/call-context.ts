import type { PublicContext } from '../../context/request-context.js';
import type { UpstreamFailureKind } from '../../errors/upstream-error.js';

/**
 * What an upstream call reads of the request context (src/context): identity headers and the
 * budget. The same type, with the caller's `Authorization` optional (routes open to anyone send none).
 */
export type CallContext = PublicContext & { authorization?: string };

export interface UpstreamSpan {
  traceparent: string;
  end(outcome: CallOutcome): void;
}

export interface UpstreamCallEvent {
  service: string;
  operation: string;
  outcome: CallOutcome;
  durationMs: number;
}

export type CallOutcome = 'success' | UpstreamFailureKind;

/** Told about every upstream call, for metrics and Server-Timing. */
export interface UpstreamObserver {
  onCall(event: UpstreamCallEvent): void;
}
