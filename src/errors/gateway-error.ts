import { translate, type MessageKey, type MessageParams, type Text } from '../messages/messages.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface GatewayErrorOptions {
  /** Catalogue key of the message; the code's default message when absent. */
  text?: MessageKey;
  params?: MessageParams;
  details?: Record<string, unknown>;
  /** Overrides the code's default status (e.g. 422 VALIDATION_ERROR for invoice batches). */
  status?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error the gateway answers on purpose, in the uniform body. Its message is data (a catalogue
 * key and params), worded in the caller's language when the answer is written; `message` is the
 * English wording, for logs.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly text: Text;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const text: Text = { key: options.text ?? code, ...(options.params ? { params: options.params } : {}) };
    const message = translate('en', text.key, text.params);
    // An answer given on purpose, not a fault: its stack is never logged (its cause's is), so it
    // is not captured, which is most of what constructing an Error costs on a refusal's path.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.text = text;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** One failing field; `message` is already worded (zod issues) or a catalogue text. */
export interface ValidationIssue {
  path: string;
  message: string | Text;
}

export function validationError(issues: ValidationIssue[], status = 400, text?: MessageKey): GatewayError {
  return new GatewayError('VALIDATION_ERROR', { status, details: { issues }, ...(text ? { text } : {}) });
}
