import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface GatewayErrorOptions {
  message?: string;
  details?: Record<string, unknown>;
  /** Overrides the code's default status (e.g. 422 VALIDATION_ERROR for invoice batches). */
  status?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error the gateway answers on purpose, in the uniform body. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export function validationError(issues: ValidationIssue[], status = 400, message?: string): GatewayError {
  return new GatewayError('VALIDATION_ERROR', { status, details: { issues }, ...(message ? { message } : {}) });
}
