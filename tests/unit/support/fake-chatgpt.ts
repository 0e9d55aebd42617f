import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { SiteConfig } from '../../e2e/support/site';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../../fixtures/chatgpt', name), 'utf8');
const pageHtml = fixture('page.html');
const siteScript = fixture('fake-chatgpt.js');

export interface FakeChat {
  stream(markdown: string): Promise<void>;
  streamTokens(markdown: string, count: number): Promise<void>;
  finish(markdown: string): Promise<void>;
}

/**
 * Loads the fake chatgpt.com (tests/fixtures/chatgpt) into happy-dom at `url` and runs its
 * script, so unit tests see the same DOM, in the same states, as the browser tests.
 */
export async function loadFakeChatGPT(url: string, config: SiteConfig = {}): Promise<FakeChat> {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const doc = new DOMParser().parseFromString(pageHtml.replace('__CONFIG__', 'null'), 'text/html');
  doc.querySelectorAll('script').forEach((script) => script.remove());
  document.head.innerHTML = doc.head.innerHTML;
  document.body.innerHTML = doc.body.innerHTML;
  const globals = window as unknown as Record<string, unknown>;
  globals.marked = marked;
  globals.__chatConfig = { hydrateDelayMs: 0, ...config };
  new Function(siteScript)();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return globals.__chat as FakeChat;
}

/** Types into the fake composer and presses Enter, as a participant would. */
export function typeAndSend(text: string): void {
  const composer = document.getElementById('prompt-textarea')!;
  composer.textContent = text;
  composer.dispatchEvent(new Event('input', { bubbles: true }));
  composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}
