import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { Site } from '../../../utils/data/records';
import type { SiteConfig } from '../site';

const fixture = (site: Site, name: string) => readFileSync(resolve(import.meta.dirname, '../../fixtures', site, name), 'utf8');

/** The test API every fake site installs as window.__chat (see tests/fixtures/<site>/fake-<site>.js). */
export interface FakeChat {
  /** Streams the pending reply token by token, then finishes it with the site's final signals. */
  /** `actionBar: false` (ChatGPT): the finished reply shows no action row. */
  stream(markdown: string, options?: { actionBar?: boolean }): Promise<void>;
  /** Streams the first `count` tokens and leaves the reply generating. */
  streamTokens(markdown: string, count: number): Promise<void>;
  finish(markdown: string): Promise<void>;
  /** The site's own "edit" flow on the user turn at `userTurnIndex` (0-based among user turns): opens the inline editor with `text`. */
  openEdit(userTurnIndex: number, text: string): void;
  /** The site's own "regenerate/retry" on the newest reply: a new version starts generating. */
  regenerate(): void;
  readonly generating: boolean;
}

/** A reply with a heading, nested list, table and code block: what the Markdown conversion must keep. */
export const RICH_REPLY = [
  '## Plan',
  '',
  '1. Soak the beans',
  '   - overnight',
  '   - in cold water',
  '2. Blend',
  '',
  '| Step | Minutes |',
  '| --- | --- |',
  '| Soak | 480 |',
  '| Boil | 20 |',
  '',
  '```python',
  'def strain(batch):',
  '',
  '    return batch * 0.8',
  '```',
].join('\n');

/** The composer a participant types into, per site. */
export const COMPOSER: Record<Site, string> = {
  chatgpt: '#prompt-textarea',
  claude: '[data-testid="chat-input"]',
  gemini: 'rich-textarea .ql-editor',
};

/**
 * Loads a fake chat site (tests/fixtures/<site>) into happy-dom at `url` and runs its script, so
 * unit tests see the same DOM, in the same states, as the browser tests.
 */
export async function loadFakeSite(site: Site, url: string, config: SiteConfig = {}): Promise<FakeChat> {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const doc = new DOMParser().parseFromString(fixture(site, 'page.html').replace('__CONFIG__', 'null'), 'text/html');
  doc.querySelectorAll('script').forEach((script) => script.remove());
  document.head.innerHTML = doc.head.innerHTML;
  document.body.innerHTML = doc.body.innerHTML;
  document.title = doc.title;
  const globals = window as unknown as Record<string, unknown>;
  globals.marked = marked;
  globals.__chatConfig = { hydrateDelayMs: 0, ...config };
  new Function(readFileSync(resolve(import.meta.dirname, '../../fixtures/fake-common.js'), 'utf8'))();
  new Function(fixture(site, `fake-${site}.js`))();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return globals.__chat as FakeChat;
}

export const loadFakeChatGPT = (url: string, config: SiteConfig = {}) => loadFakeSite('chatgpt', url, config);

/**
 * An event as the browser delivers the participant's own input: capture ignores events a page
 * script dispatched (`isTrusted` false), and happy-dom marks none trusted.
 */
export function trusted<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

/** Types into the site's composer and presses Enter, as a participant would. */
export function typeAndSend(text: string, site: Site = 'chatgpt'): void {
  const composer = document.querySelector<HTMLElement>(COMPOSER[site])!;
  composer.textContent = text;
  composer.dispatchEvent(new Event('input', { bubbles: true }));
  composer.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
}

/** Types into an open inline editor (after openEdit) and presses Enter in it. */
export function submitEdit(): void {
  const editor = document.querySelector<HTMLElement>('[data-fake-edit-input]')!;
  editor.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
}
