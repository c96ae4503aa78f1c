import type { ZodError } from 'zod';
import { validationError, type ValidationIssue } from '../errors/gateway-error.js';

export function issuesOf(error: ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * zod-openapi's hook for every route: invalid input becomes a VALIDATION_ERROR listing each
 * failing field path, in the same body as every other error.
 */
export function validationHook(result: { success: boolean; error?: unknown }): void {
  if (!result.success) throw validationError(issuesOf(result.error as ZodError));
}
