import type { UpstreamFailureKind } from '../../errors/upstream-error.js';

/** The part of a request's context an upstream call needs: identity headers and the budget. */
export interface CallContext {
  requestId: string;
  authorization?: string;
  traceparent?: string;
  deadline: number;
  signal?: AbortSignal;
  /** Told about each upstream call of this request (for the Server-Timing header). */
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** With tracing on: opens a client span for one upstream call; its traceparent is sent. */
  startUpstreamSpan?: (call: { service: string; operation: string; method: string }) => UpstreamSpan;
}

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
