import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../utils/schema';
import { exportJsonl, launchChromium, type ChromiumSession } from './support/chromium';
import { parseExport } from './support/data';
import { SITE_PAGES } from './support/sites';

// The built extension on captures of the real sites' DOM (../shared/real-dom, sanitized live
// pages) and on our own stand-in for ChatGPT's 2026-07 markup, each served at its site's real
// URL: opening the conversation records every turn, with the text a person sees. Then copies in
// which one wrapper is renamed, as a redesign would: capture goes on, and the popup names it.

const shared = (file: string) => readFileSync(new URL(`../../../shared/real-dom/${file}`, import.meta.url), 'utf8');
const ours = (file: string) => readFileSync(new URL(`../fixtures/real-dom/${file}`, import.meta.url), 'utf8');

interface Capture {
  name: string;
  site: Site;
  html: () => string;
}

const CAPTURES: Capture[] = [
  { name: 'ChatGPT, live capture 2026-01', site: 'chatgpt', html: () => shared('chatgpt-real-capture.html') },
  { name: 'Claude, 2026-07 markup', site: 'claude', html: () => shared('claude-real-capture.html') },
  { name: 'Gemini, body 2026-01, composer 2026-07', site: 'gemini', html: () => shared('gemini-real-capture.html') },
  { name: 'ChatGPT, 2026-07 rich reply, Deep Research, no action bar', site: 'chatgpt', html: () => ours('chatgpt-2026-07.html') },
];

/** Wrappers renamed as a redesign would, and the name the health report must give. */
const RENAMED: { capture: Capture; from: RegExp; to: string; reported: string }[] = [
  { capture: CAPTURES[0]!, from: /id="thread"/g, to: 'id="thread-2027"', reported: 'thread' },
  { capture: CAPTURES[1]!, from: /data-test-render-count=/g, to: 'data-render-pass=', reported: 'message rows' },
  { capture: CAPTURES[2]!, from: /id="chat-history"/g, to: 'id="history-2027"', reported: 'transcript scroller' },
];

/** What a person sees of each turn, read from the page with rules of its own (not the adapter's). */
interface PageTurn {
  role: 'user' | 'assistant';
  text: string;
}

function readPage(page: Page, site: Site): Promise<PageTurn[]> {
  return page.evaluate((site) => {
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
  }, site);
}

const MARKER = /\[Not captured: [^\]]*\]/g;

/**
 * The words a reader sees in stored Markdown: a code block's language counts as the label the page
 * shows above it; markers for what could not be captured are left out.
 */
function markdownWords(markdown: string): string[] {
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

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** 2·LCS / (|a| + |b|) over words: 1 when the same words come in the same order. */
function similarity(a: string[], b: string[]): number {
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
const CHROME_TEXT = /You said|ChatGPT said|Tú dijiste|ChatGPT dijo|Claude responded|Copiar código|Copy code|Show thinking|Show more|Copy table/;

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
});
afterAll(async () => {
  await session?.close();
});

/**
 * Opens `html` at a new conversation URL of `site` and waits until the conversation it starts is
 * stored with as many messages as the page shows turns (the same capture may have been opened
 * before, as another conversation).
 */
async function openAndRecord(site: Site, html: string) {
  const before = new Set(parseExport(await exportJsonl(session)).map((c) => c.id));
  const url = SITE_PAGES[site].conversationUrl();
  session.sites.set(new URL(url).pathname, { rawPage: html });
  const page = await session.context.newPage();
  await page.goto(url);
  const turns = await readPage(page, site);
  expect(turns.length).toBeGreaterThan(1);
  let messages: { type: string; content: string }[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    messages = parseExport(await exportJsonl(session)).find((c) => !before.has(c.id))?.messages ?? [];
    if (messages.length >= turns.length) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { page, turns, messages };
}

/** The popup's "This tab" text with `chat` in front. */
async function popupText(chat: Page): Promise<string> {
  const popup = await session.context.newPage();
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
  await chat.bringToFront();
  await popup.reload();
  const section = popup.getByRole('region', { name: 'This tab' });
  await expect.poll(() => section.innerText()).not.toContain('Checking');
  const text = await section.innerText();
  await popup.close();
  return text;
}

function expectSameTurns(name: string, turns: PageTurn[], messages: { type: string; content: string }[]): number {
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

describe('capture on the real sites’ DOM', () => {
  it.each(CAPTURES.map((capture) => [capture.name, capture] as const))('%s: every turn, with the text a person sees', async (name, capture) => {
    const { page, turns, messages } = await openAndRecord(capture.site, capture.html());
    const lowest = expectSameTurns(name, turns, messages);
    console.log(`${name}: ${messages.length} / ${turns.length} turns recorded, lowest reply similarity ${lowest.toFixed(3)}`);
    await page.close();
  });

  it('keeps code fences with their language, math as TeX once and tight lists tight (ChatGPT 2026-07)', async () => {
    const { page, messages } = await openAndRecord('chatgpt', ours('chatgpt-2026-07.html'));
    const [, showcase, , deepResearch, , last] = messages;
    expect(showcase!.content).toContain('```python\nworks = "Imaginary"');
    expect(showcase!.content).toContain('```json\n{');
    expect(showcase!.content).toContain('Inline: $E = mc^2$');
    expect(showcase!.content).toContain('$$\\sum_{i=1}^{3} i = 6$$');
    expect(showcase!.content.match(/mc\^2|mc2/g)).toHaveLength(1);
    expect(showcase!.content).toContain('- Teal widgets\n- Plum widgets\n  - Polished hourly\n- Amber widgets');
    expect(showcase!.content).toContain('1. Mould the shell.\n2. Crate the widgets.');
    expect(deepResearch!.content).toBe('[Not captured: the Deep Research report, which ChatGPT shows in a frame extensions cannot read]');
    // The last reply has no action bar on the page: it is recorded all the same.
    expect(last!.content).toContain('landmarks instead of machines');
    await page.close();
  });

  it('keeps a Claude reply’s artifacts, which open in a side panel, as markers in their places', async () => {
    const { page, messages } = await openAndRecord('claude', shared('claude-real-capture.html'));
    const reply = messages[1]!.content.split('\n\n');
    expect(reply.at(-3)).toBe('[Not captured: the artifact “Placeholder SVG Artifact”, which Claude shows in a side panel]');
    expect(reply.at(-1)).toBe('[Not captured: the artifact “Placeholder Interactive Artifact”, which Claude shows in a side panel]');
    // The web search widget between the paragraphs is a tool's chrome, not the reply.
    expect(messages[1]!.content).not.toContain('placeholder fixture search query');
    await page.close();
  });
});

describe('a wrapper renamed, as a redesign would', () => {
  it.each(RENAMED.map((edit) => [edit.capture.name, edit] as const))('%s: capture goes on and the report names it', async (name, edit) => {
    const html = edit.capture.html().replace(edit.from, edit.to);
    const { page, turns, messages } = await openAndRecord(edit.capture.site, html);
    const lowest = expectSameTurns(`${name} (renamed)`, turns, messages);
    console.log(`${name}, ${edit.reported} renamed: ${messages.length} / ${turns.length} turns recorded, lowest reply similarity ${lowest.toFixed(3)}`);
    await expect.poll(() => popupText(page), { timeout: 20_000 }).toContain(edit.reported);
    await page.close();
  });
});
