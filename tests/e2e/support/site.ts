import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtureDir = fileURLToPath(new URL('../../fixtures/chatgpt/', import.meta.url));

export interface SiteConfig {
  history?: { type: 'user' | 'assistant'; content: string }[];
  modelSlug?: string;
  title?: string;
  hydrateDelayMs?: number;
}

const pageTemplate = readFileSync(`${fixtureDir}page.html`, 'utf8');
const assets: Record<string, string> = {
  '/__fixture/marked.js': readFileSync(fileURLToPath(new URL('../../../node_modules/marked/lib/marked.umd.js', import.meta.url)), 'utf8'),
  '/__fixture/fake-chatgpt.js': readFileSync(`${fixtureDir}fake-chatgpt.js`, 'utf8'),
};

export interface FixtureResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * What the fake chatgpt.com answers for a URL: the app shell for every page route, the
 * fixture's scripts, 404 for anything else. Nothing reaches the internet.
 */
export function respond(url: string, config: SiteConfig = {}): FixtureResponse {
  const { pathname } = new URL(url);
  const asset = assets[pathname];
  if (asset) return { status: 200, contentType: 'text/javascript', body: asset };
  if (pathname === '/' || pathname.startsWith('/c/')) {
    const body = pageTemplate.replace('__CONFIG__', JSON.stringify(config).replace(/</g, '\\u003c'));
    return { status: 200, contentType: 'text/html; charset=utf-8', body };
  }
  return { status: 404, contentType: 'text/plain', body: 'not found' };
}
