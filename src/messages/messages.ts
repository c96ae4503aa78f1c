import { locales, type core } from 'zod';
import { CATALOG_EN } from './catalog-en.js';
import { CATALOG_ES, type MessageKey } from './catalog-es.js';

export type { MessageKey } from './catalog-es.js';

/** The languages the gateway writes; Spanish is the default. */
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

export type MessageParams = Record<string, string | number>;

/** A text not yet rendered: data until the answer's language is known. */
export interface Text {
  key: MessageKey;
  params?: MessageParams;
}

const CATALOGS: Record<Language, Record<MessageKey, string>> = { es: CATALOG_ES, en: CATALOG_EN };

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(CATALOG_ES, value);
}

export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  return CATALOGS[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** What a catalogue text may name: a size issue's bounds, a custom issue's params. */
function boundsOf(issue: core.$ZodIssue): MessageParams {
  const params: MessageParams = {};
  if (issue.code === 'custom' && issue.params) {
    for (const [name, value] of Object.entries(issue.params)) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
  }
  if ('maximum' in issue) params.maximum = Number(issue.maximum);
  if ('minimum' in issue) params.minimum = Number(issue.minimum);
  return params;
}

/** zod's own message catalogues, for issues our schemas do not word themselves. */
const ZOD_LOCALES: Record<Language, (issue: core.$ZodRawIssue) => string | undefined> = {
  es: locales.es().localeError as (issue: core.$ZodRawIssue) => string | undefined,
  en: locales.en().localeError as (issue: core.$ZodRawIssue) => string | undefined,
};

/**
 * Words one zod issue in a language. Our schemas' own messages are catalogue keys; anything else
 * is worded by zod's catalogue from the issue's data (`input` names the type received).
 */
export function describeZodIssue(language: Language, issue: core.$ZodIssue, input: unknown): string {
  if (isMessageKey(issue.message)) return translate(language, issue.message, boundsOf(issue));
  const raw = { ...issue, input } as unknown as core.$ZodRawIssue;
  return ZOD_LOCALES[language](raw) ?? issue.message;
}
