// Pydantic v2 style validation errors for the two FastAPI services: FastAPI collects every
// failing path/header/body field into one 422 `{"detail":[{"type","loc","msg","input"}]}`.
import type { Context } from 'hono';
import type { ParsedBody } from './request-body.js';

export interface PydanticError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  /** The constraint of a refused bound (`{"ge": 1}`, `{"gt": 0}`). */
  ctx?: Record<string, unknown>;
}

export type FieldKind = 'str' | 'int' | 'float' | 'bool' | 'date';

export function validationErrorResponse(c: Context, errors: PydanticError[]): Response {
  return c.json({ detail: errors }, 422);
}

/** A path/query integer as FastAPI parses it from a string. */
export function parseIntParam(raw: string, loc: Array<string | number>): { value: number } | { error: PydanticError } {
  if (/^\s*[+-]?\d+\s*$/.test(raw)) return { value: Number(raw) };
  return {
    error: { type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw },
  };
}

/** An `int` query parameter with FastAPI's `ge`/`gt` bound (`Query(1, ge=1)`). */
export function parseBoundedIntParam(
  raw: string,
  loc: Array<string | number>,
  bound: { ge: number } | { gt: number },
): { value: number } | { error: PydanticError } {
  const parsed = parseIntParam(raw, loc);
  if ('error' in parsed) return parsed;
  if ('ge' in bound && parsed.value < bound.ge) {
    return { error: { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${bound.ge}`, input: raw, ctx: { ge: bound.ge } } };
  }
  if ('gt' in bound && parsed.value <= bound.gt) {
    return { error: { type: 'greater_than', loc, msg: `Input should be greater than ${bound.gt}`, input: raw, ctx: { gt: bound.gt } } };
  }
  return parsed;
}

const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** A `bool` query parameter as pydantic parses a string (case-insensitive). */
export function parseBoolParam(raw: string, loc: Array<string | number>): { value: boolean } | { error: PydanticError } {
  const lower = raw.toLowerCase();
  if (TRUE_STRINGS.has(lower)) return { value: true };
  if (FALSE_STRINGS.has(lower)) return { value: false };
  return { error: { type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input: raw } };
}

/** A required query parameter that is absent. */
export function missingParam(loc: Array<string | number>): PydanticError {
  return { type: 'missing', loc, msg: 'Field required', input: null };
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Basic type check of one JSON field (no coercion beyond what pydantic does for these). */
export function checkField(kind: FieldKind, value: unknown, loc: Array<string | number>): PydanticError | null {
  const error = (type: string, msg: string): PydanticError => ({ type, loc, msg, input: value });
  if (value === undefined) return error('missing', 'Field required');
  switch (kind) {
    case 'str':
      return typeof value === 'string' ? null : error('string_type', 'Input should be a valid string');
    case 'float':
      return typeof value === 'number' ? null : error('float_type', 'Input should be a valid number');
    case 'bool':
      return typeof value === 'boolean' ? null : error('bool_type', 'Input should be a valid boolean');
    case 'int':
      if (typeof value !== 'number') return error('int_type', 'Input should be a valid integer');
      return Number.isInteger(value)
        ? null
        : error('int_from_float', 'Input should be a valid integer, got a number with a fractional part');
    case 'date':
      if (typeof value !== 'string') return error('date_type', 'Input should be a valid date');
      return isIsoDate(value) ? null : error('date_from_datetime_parsing', 'Input should be a valid date or datetime');
  }
}

/** Errors FastAPI reports for an unusable JSON body before looking at its fields. */
export function bodyParseErrors(body: ParsedBody): PydanticError[] {
  if (body.kind === 'empty') return [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }];
  if (body.kind === 'invalid') return [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }];
  return [];
}
