import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import { expect } from 'vitest';
import type { Site } from '../../utils/data/records';

// What the real-DOM tests share in both browsers: the captures, a reading of each page with rules
// of its own (not the adapter's), and the comparison of what was stored with what a person sees.

export const shared = (file: string) => readFileSync(new URL(`../../../shared/real-dom/${file}`, import.meta.url), 'utf8');
export const ours = (file: string) => readFileSync(new URL(`../fixtures/real-dom/${file}`, import.meta.url), 'utf8');

export interface Capture {
  name: string;
  site: Site;
  html: () => string;
}

export const CAPTURES: Capture[] = [
  { name: 'ChatGPT, live capture 2026-01', site: 'chatgpt', html: () => shared('chatgpt-real-capture.html') },
  { name: 'Claude, 2026-07 markup', site: 'claude', html: () => shared('claude-real-capture.html') },
  { name: 'Gemini, body 2026-01, composer 2026-07', site: 'gemini', html: () => shared('gemini-real-capture.html') },
  { name: 'ChatGPT, 2026-07 rich reply, Deep Research, no action bar', site: 'chatgpt', html: () => ours('chatgpt-2026-07.html') },
];

/** Wrappers renamed as a redesign would, and the name the health report must give. */
export const RENAMED: { capture: Capture; from: RegExp; to: string; reported: string }[] = [
  { capture: CAPTURES[0]!, from: /id="thread"/g, to: 'id="thread-2027"', reported: 'thread' },
  { capture: CAPTURES[1]!, from: /data-test-render-count=/g, to: 'data-render-pass=', reported: 'message rows' },
  { capture: CAPTURES[2]!, from: /id="chat-history"/g, to: 'id="history-2027"', reported: 'transcript scroller' },
];

/** What a person sees of each turn, read from the page with rules of its own (not the adapter's). */
export interface PageTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** Runs in the page (Playwright's and Puppeteer's `page.evaluate` both take it). */
export function readPageTurns(site: Site): PageTurn[] {
  {
    const CHROME =
      '.sr-only, .cdk-visually-hidden, button, [role="button"], svg, mat-icon, .katex-mathml, style, script, model-thoughts, sources-list';
    const seen = (elements: Element[]) =>
      elements
        .map((element) => {
          const copy = element.cloneNode(true) as Element;
          // A formula reads as its TeX: the source the site keeps beside the rendering.
          for (const math of copy.querySelectorAll('[data-math], .katex')) {
            if (!copy.contains(math) || math.parentElement?.closest('[data-math], .katex')) continue;
            const tex = math.getAttribute('data-math') ?? math.querySelector('annotation')?.textContent ?? '';
            math.replaceWith(` ${tex} `);
          }
          copy.querySelectorAll(CHROME).forEach((el) => el.remove());
          // Table cells, list items and blocks are apart on the screen.
          copy.querySelectorAll('*').forEach((el) => el.append(' '));
          return copy.textContent ?? '';
        })
        .join('\n')
        .replace(/\s+/g, ' ')
        .trim();
    const lines = (elements: Element[]) => elements.map((el) => (el.textContent ?? '').trim()).join('\n').trim();
    if (site === 'chatgpt') {
      return [...document.querySelectorAll('[data-turn]')].map((turn) =>
        turn.getAttribute('data-turn') === 'user'
          ? { role: 'user' as const, text: (turn.querySelector('.whitespace-pre-wrap')?.textContent ?? '').trim() }
          : { role: 'assistant' as const, text: seen([...turn.querySelectorAll('.markdown')]) },
      );
    }
    if (site === 'claude') {
      const markers = [...document.querySelectorAll('[data-testid="user-message"], .font-claude-response')].filter(
        (el) => !el.closest('#wiggle-file-content') && !el.parentElement?.closest('.font-claude-response'),
      );
      return markers.map((el) =>
        el.matches('[data-testid="user-message"]')
          ? { role: 'user' as const, text: lines([...el.querySelectorAll('p')]) }
          : { role: 'assistant' as const, text: seen([...el.querySelectorAll('.standard-markdown')]) },
      );
    }
    return [...document.querySelectorAll('user-query, model-response')].map((el) =>
      el.matches('user-query')
        ? { role: 'user' as const, text: lines([...el.querySelectorAll('p.query-text-line, user-query-content p')]) }
        : { role: 'assistant' as const, text: seen([...el.querySelectorAll('message-content .markdown')]) },
    );
  }
}

export const MARKER = /\[Not captured: [^\]]*\]/g;

/**
 * The words a reader sees in stored Markdown: a code block's language counts as the label the page
 * shows above it; markers for what could not be captured are left out.
 */
export function markdownWords(markdown: string): string[] {
  const labelled = markdown.replace(MARKER, '').replace(/^(`{3,})([\w+#.-]+)$/gm, '$2\n\n$1');
  const html = marked.parse(labelled, { async: false, gfm: true }) as string;
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return words(text);
}

export const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** 2·LCS / (|a| + |b|) over words: 1 when the same words come in the same order. */
export function similarity(a: string[], b: string[]): number {
  if (!a.length && !b.length) return 1;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(word === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!));
    previous = row;
  }
  return (2 * previous[b.length]!) / (a.length + b.length);
}

/** Page chrome and screen-reader labels that must never be part of a stored message. */
export const CHROME_TEXT = /You said|ChatGPT said|Tú dijiste|ChatGPT dijo|Claude responded|Copiar código|Copy code|Show thinking|Show more|Copy table/;

export function expectSameTurns(name: string, turns: PageTurn[], messages: { type: string; content: string }[]): number {
  expect(messages.map((m) => m.type), name).toEqual(turns.map((t) => t.role));
  let lowest = 1;
  turns.forEach((turn, i) => {
    const content = messages[i]!.content;
    expect(content, `${name}, turn ${i + 1}`).not.toMatch(CHROME_TEXT);
    if (turn.role === 'user') {
      expect(content, `${name}, turn ${i + 1}`).toBe(turn.text);
      return;
    }
    // A reply the page cannot show (a frame, a side panel) is kept with a marker.
    if (!turn.text) {
      expect(content, `${name}, turn ${i + 1}`).toMatch(MARKER);
      return;
    }
    const score = similarity(markdownWords(content), words(turn.text));
    expect(score, `${name}, turn ${i + 1}: ${content.slice(0, 200)}`).toBeGreaterThanOrEqual(0.9);
    lowest = Math.min(lowest, score);
  });
  return lowest;
}

