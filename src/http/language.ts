import type { Context } from 'hono';
import { detectFromHeader } from 'hono/language';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../messages/messages.js';

// Hono's Accept-Language detection (q-values, `en-US` -> `en` lookup), header only: no cookie or
// query, so a language never sticks to a client and nothing is set on the answer.
const DETECTOR_OPTIONS = {
  order: ['header' as const],
  lookupQueryString: 'lang',
  lookupCookie: 'language',
  lookupFromHeaderKey: 'accept-language',
  lookupFromPathIndex: 0,
  caches: false as const,
  ignoreCase: true,
  fallbackLanguage: DEFAULT_LANGUAGE,
  supportedLanguages: [...LANGUAGES],
  cookieOptions: {},
  debug: false,
};

/** The language of this request's texts: the best of `es`/`en` for Accept-Language, else Spanish. */
export function languageOf(c: Context): Language {
  const detected = detectFromHeader(c, DETECTOR_OPTIONS);
  return (detected as Language | undefined) ?? DEFAULT_LANGUAGE;
}
