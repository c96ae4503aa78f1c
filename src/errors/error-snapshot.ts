import type { ErrorCode } from './error-codes.js';
import { GatewayError } from './gateway-error.js';
import { UpstreamError, type UpstreamFailureKind } from './upstream-error.js';
import type { MessageKey, MessageParams } from '../messages/messages.js';

/** An error as plain data, so another process can answer a waiting duplicate with it. */
export type ErrorSnapshot =
  | {
      type: 'gateway';
      code: ErrorCode;
      status: number;
      text: { key: MessageKey; params?: MessageParams };
      details?: Record<string, unknown>;
      headers: Record<string, string>;
    }
  | { type: 'upstream'; service: UpstreamError['service']; kind: UpstreamFailureKind; status?: number; retryAfterSeconds?: number }
  | { type: 'internal' };

export function snapshotOf(error: unknown): ErrorSnapshot {
  if (error instanceof GatewayError) {
    return {
      type: 'gateway',
      code: error.code,
      status: error.status,
      text: error.text,
      ...(error.details ? { details: error.details } : {}),
      headers: error.headers,
    };
  }
  if (error instanceof UpstreamError) {
    return {
      type: 'upstream',
      service: error.service,
      kind: error.kind,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  return { type: 'internal' };
}

/** The error again, with `extraHeaders` (a replay says `Idempotent-Replayed: true`). */
export function errorFrom(snapshot: ErrorSnapshot, extraHeaders: Record<string, string> = {}): Error {
  switch (snapshot.type) {
    case 'gateway':
      return new GatewayError(snapshot.code, {
        status: snapshot.status,
        text: snapshot.text.key,
        ...(snapshot.text.params ? { params: snapshot.text.params } : {}),
        ...(snapshot.details ? { details: snapshot.details } : {}),
        headers: { ...snapshot.headers, ...extraHeaders },
      });
    case 'upstream':
      return new UpstreamError(snapshot.service, snapshot.kind, {
        ...(snapshot.status !== undefined ? { status: snapshot.status } : {}),
        ...(snapshot.retryAfterSeconds !== undefined ? { retryAfterSeconds: snapshot.retryAfterSeconds } : {}),
        ...(Object.keys(extraHeaders).length > 0 ? { headers: extraHeaders } : {}),
      });
    case 'internal':
      return new GatewayError('INTERNAL', { headers: extraHeaders });
  }
}
