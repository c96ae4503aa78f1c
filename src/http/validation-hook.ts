import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { validationError, type ValidationIssue } from '../errors/gateway-error.js';
import { describeZodIssue, type Language } from '../messages/messages.js';
import { languageOf } from './language.js';

type Issue = ZodError['issues'][number];

/** Each failing field of a zod error, worded in `language`; `input` is the value that was parsed. */
export function issuesOf(error: ZodError, input: unknown, language: Language): ValidationIssue[] {
  return error.issues.flatMap((issue) => flatten(issue, [], input, language));
}

/**
 * A union that fails as a whole only says "Invalid input" at the union's own path. When exactly
 * one alternative accepted the value's type (all its issues are on inner fields), its issues
 * name the real fields: `productos.0.cantidad` rather than `productos.0`.
 */
function flatten(issue: Issue, prefix: PropertyKey[], input: unknown, language: Language): ValidationIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const typeMatches = issue.errors.filter(
      (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
    );
    const [only] = typeMatches;
    if (typeMatches.length === 1 && only) return only.flatMap((inner) => flatten(inner, path, input, language));
  }
  return [{ path: path.map(String).join('.'), message: describeZodIssue(language, issue, valueAt(input, path)) }];
}

/** The value found at `path` inside `input` (zod names the type it received from it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export interface ValidationResult {
  success: boolean;
  error?: unknown;
  data?: unknown;
  target?: string;
}

/**
 * zod-openapi's hook for every route: invalid input becomes a VALIDATION_ERROR listing each
 * failing field path, in the same body as every other error.
 */
export function validationHook(result: ValidationResult, c: Context): void {
  if (!result.success) throw validationError(issuesOf(result.error as ZodError, result.data, languageOf(c)));
}
