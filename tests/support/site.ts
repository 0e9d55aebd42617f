import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Site } from '../../utils/data/records';

export interface SiteConfig {
  history?: { type: 'user' | 'assistant'; content: string }[];
  /** ChatGPT's model slug, e.g. "gpt-5-4". */
  modelSlug?: string;
  /** The model as Claude's selector or Gemini's mode picker shows it. */
  modelName?: string;
  title?: string;
  hydrateDelayMs?: number;
  /** Gemini renders only the newest 10 exchanges at load; benchmarks ask for the whole history. */
  renderAll?: boolean;
  /** History replies carry an expanded thinking block (Claude) or model thoughts (Gemini). */
  thinking?: boolean;
  /** How long after a send the site mounts the reply's row. */
  replyDelayMs?: number;
  /** Gemini: a sources list under history replies, and how many exchanges render at load (10). */
  sources?: boolean;
  initialExchanges?: number;
  /** ChatGPT: the editor is renamed, as a redesign would. */
  redesigned?: boolean;
  /** Serve this page as it is instead of the stand-in (a capture of the real site's DOM). */
  rawPage?: string;
}

export const HOSTS: Record<Site, string> = {
  chatgpt: 'chatgpt.com',
  claude: 'claude.ai',
  gemini: 'gemini.google.com',
};

const fixtureDir = (site: Site) => fileURLToPath(new URL(`../fixtures/${site}/`, import.meta.url));
const commonScript = fileURLToPath(new URL('../fixtures/fake-common.js', import.meta.url));
const marked = readFileSync(fileURLToPath(new URL('../../node_modules/marked/lib/marked.umd.js', import.meta.url)), 'utf8');

export interface FixtureResponse {
  status: number;
  contentType: string;
  body: string;
}

const cache = new Map<string, string>();
const read = (path: string) => cache.get(path) ?? (cache.set(path, readFileSync(path, 'utf8')), cache.get(path)!);

/**
 * What the fake chat sites answer: the app shell for every page route, the fixture's scripts,
 * 404 for anything else. Nothing reaches the internet.
 */
export function respond(url: string, config: SiteConfig = {}): FixtureResponse {
  const { host, pathname } = new URL(url);
  const site = (Object.keys(HOSTS) as Site[]).find((s) => HOSTS[s] === host);
  if (!site) return { status: 404, contentType: 'text/plain', body: 'not found' };
  if (pathname === '/__fixture/marked.js') return { status: 200, contentType: 'text/javascript', body: marked };
  if (pathname === '/__fixture/fake-common.js') return { status: 200, contentType: 'text/javascript', body: read(commonScript) };
  if (pathname === `/__fixture/fake-${site}.js`) {
    return { status: 200, contentType: 'text/javascript', body: read(`${fixtureDir(site)}fake-${site}.js`) };
  }
  if (pathname.startsWith('/__fixture/') || /\.[a-z0-9]+$/i.test(pathname)) {
    return { status: 404, contentType: 'text/plain', body: 'not found' };
  }
  if (config.rawPage !== undefined) return { status: 200, contentType: 'text/html; charset=utf-8', body: config.rawPage };
  const body = read(`${fixtureDir(site)}page.html`).replace('__CONFIG__', JSON.stringify(config).replace(/</g, '\\u003c'));
  return { status: 200, contentType: 'text/html; charset=utf-8', body };
}
