// The chat sites ThoughtTrace records on: one row each. Everything that needs to know which sites
// exist reads this table, and nothing else: the manifest (wxt.config.ts, the content-script
// entries), the records' site field (utils/data/records.ts), the names shown to participants
// (utils/i18n.ts) and the sender policy (which origin may speak for which site). Pure data, so
// the build, the background and the pages can all import it. Adding a site: a row here, an
// adapter in utils/sites/, an entry in entrypoints/, a fixture folder in tests/fixtures/.

export const SITE_REGISTRY = [
  { id: 'chatgpt', name: 'ChatGPT', provider: 'OpenAI', origin: 'https://chatgpt.com' },
  { id: 'claude', name: 'Claude', provider: 'Anthropic', origin: 'https://claude.ai' },
  { id: 'gemini', name: 'Gemini', provider: 'Google', origin: 'https://gemini.google.com' },
] as const;

export type SiteInfo = (typeof SITE_REGISTRY)[number];
export type Site = SiteInfo['id'];

export const SITES = /* @__PURE__ */ SITE_REGISTRY.map((row) => row.id) as [Site, ...Site[]];

/** One site's row. */
export const siteInfo = (site: Site): SiteInfo => SITE_REGISTRY.find((row) => row.id === site)!;

/** The match patterns of one site's pages, for its content script and the card's web-accessible resource. */
export const siteMatches = (site: Site): string[] => [`${siteInfo(site).origin}/*`];

/** Every site's pages. */
export const ALL_SITE_MATCHES: string[] = /* @__PURE__ */ SITES.flatMap(siteMatches);

/** The site an origin belongs to, if any (exact origin: no subdomains, no other scheme). */
export const siteOfOrigin = (origin: string): Site | null => SITE_REGISTRY.find((row) => row.origin === origin)?.id ?? null;
