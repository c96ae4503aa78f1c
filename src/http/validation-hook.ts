import type { ZodError } from 'zod';
import { validationError, type ValidationIssue } from '../errors/gateway-error.js';

type Issue = ZodError['issues'][number];

export function issuesOf(error: ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue) => flatten(issue, []));
}

/**
 * A union that fails as a whole only says "Invalid input" at the union's own path. When exactly
 * one alternative accepted the value's type (all its issues are on inner fields), its issues
 * name the real fields: `productos.0.cantidad` rather than `productos.0`.
 */
function flatten(issue: Issue, prefix: PropertyKey[]): ValidationIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const typeMatches = issue.errors.filter(
      (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
    );
    const [only] = typeMatches;
    if (typeMatches.length === 1 && only) return only.flatMap((inner) => flatten(inner, path));
  }
  return [{ path: path.map(String).join('.'), message: issue.message }];
}

/**
 * zod-openapi's hook for every route: invalid input becomes a VALIDATION_ERROR listing each
 * failing field path, in the same body as every other error.
 */
export function validationHook(result: { success: boolean; error?: unknown }): void {
  if (!result.success) throw validationError(issuesOf(result.error as ZodError));
}
