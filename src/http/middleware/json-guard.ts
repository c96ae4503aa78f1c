import { createMiddleware } from 'hono/factory';
import { GatewayError, validationError } from '../../errors/gateway-error.js';
import type { AppEnv } from '../app-env.js';

export const MAX_JSON_DEPTH = 64;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Runs before the body validator: a body must be JSON (415 otherwise) and nest at most
 * MAX_JSON_DEPTH levels, checked on the text before parsing so a hostile body cannot
 * exhaust the parser's stack. The validator then parses the cached text once.
 */
export const jsonGuard = createMiddleware<AppEnv>(async (c, next) => {
  const contentType = c.req.header('content-type');
  if (!contentType || !JSON_TYPE.test(contentType)) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', { text: 'body.not_json' });
  }
  const text = await c.req.text();
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw validationError([{ path: '', message: { key: 'issue.json_too_deep', params: { depth: MAX_JSON_DEPTH } } }]);
  }
  if (text.trim() === '') throw validationError([{ path: '', message: { key: 'issue.body_empty' } }]);
  await next();
});

/** Bracket depth outside strings; a linear scan that never recurses. */
export function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}
