// Pydantic v2 style validation errors for the two FastAPI services: FastAPI collects every
// failing path/header/body field into one 422 `{"detail":[{"type","loc","msg","input"}]}`.
import type { Context } from 'hono';
import type { ParsedBody } from './request-body.js';

export interface PydanticError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
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
