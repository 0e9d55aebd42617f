import { createI18n } from '@wxt-dev/i18n';
import { siteInfo, type Site } from './sites/registry';
// Type only: '#i18n' is the alias @wxt-dev/i18n generates in .wxt/ from this same catalogue.
import type { GeneratedI18nStructure } from '#i18n';
// The one catalogue of user-facing text. @wxt-dev/i18n turns it into _locales/en/messages.json at build
// time (see `i18n.localesDir` in wxt.config.ts); it is imported here only as the fallback below.
import en from './locales/en.json';

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** Every message in the catalogue (the generated structure also lists the browser's predefined @@ messages). */
export type MessageKey = keyof typeof en & keyof GeneratedI18nStructure;

/** The messages that take no substitutions, for tables of keys such as option lists. */
export type StaticMessageKey = {
  [K in MessageKey]: GeneratedI18nStructure[K]['substitutions'] extends 0 ? K : never;
}[MessageKey];

type Substitution = string | number;
type Tuple<N extends number, T extends Substitution[] = []> = T['length'] extends N ? T : Tuple<N, [...T, Substitution]>;
type SubstitutionArgs<K extends MessageKey> = GeneratedI18nStructure[K]['substitutions'] extends 0
  ? []
  : [substitutions: Tuple<GeneratedI18nStructure[K]['substitutions']>];

const i18n = createI18n();

/**
 * The catalogue's message resolved as browser.i18n.getMessage would: named placeholders ($NAME$)
 * become their content, then $1…$9 the substitutions, and $$ a dollar sign.
 */
export function fromCatalogue(key: string, substitutions: string[] = []): string {
  const entry = (en as Catalogue)[key];
  if (!entry) return key;
  const placeholders = Object.fromEntries(
    Object.entries(entry.placeholders ?? {}).map(([name, value]) => [name.toLowerCase(), value.content]),
  );
  return entry.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (match, name: string) => placeholders[name.toLowerCase()] ?? match)
    .replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
}

/**
 * A user-facing string from the catalogue, through the browser's i18n API (`browser.i18n.getMessage`).
 * Placeholders are positional substitutions: `t('reviewImported', [3])`. Where the API is missing or
 * answers nothing (unit tests with WXT's fakeBrowser, plain Node) it falls back to the English catalogue,
 * never to an empty string.
 */
export function t<K extends MessageKey>(key: K, ...args: SubstitutionArgs<K>): string {
  const substitutions = ((args[0] ?? []) as Substitution[]).map(String);
  let message = '';
  try {
    message = substitutions.length ? i18n.t(key, substitutions) : i18n.t(key);
  } catch {
    // No extension API here (fakeBrowser throws "not mocked"; Node has no browser global).
  }
  return message || fromCatalogue(key, substitutions);
}

/** A conversation's site as the participant knows it ("ChatGPT", or "Imported" for a file's). */
export const siteName = (site: Site | 'import'): string => (site === 'import' ? t('siteImport') : siteInfo(site).name);
