import type { UpstreamFailureKind } from '../../errors/upstream-error.js';

/** The part of a request's context an upstream call needs: identity headers and the budget. */
export interface CallContext {
  requestId: string;
  authorization?: string;
  traceparent?: string;
  deadline: number;
  signal?: AbortSignal;
}

export type CallOutcome = 'success' | UpstreamFailureKind;

/** Told about every upstream call, for metrics and Server-Timing. */
export interface UpstreamObserver {
  onCall(event: { service: string; operation: string; outcome: CallOutcome; durationMs: number }): void;
}
