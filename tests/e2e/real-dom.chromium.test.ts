import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../utils/data/records';
import { exportJsonl, launchChromium, popupText, type ChromiumSession } from '../support/chromium';
import { parseExport } from '../support/data';
import { CAPTURES, expectSameTurns, ours, readPageTurns, RENAMED, shared } from '../support/real-dom';
import { SITE_PAGES } from '../support/sites';

// The built extension on captures of the real sites' DOM (../shared/real-dom, sanitized live
// pages) and on our own stand-in for ChatGPT's 2026-07 markup, each served at its site's real
// URL: opening the conversation records every turn, with the text a person sees. Then copies in
// which one wrapper is renamed, as a redesign would: capture goes on, and the popup names it.

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
  const turns = await page.evaluate(readPageTurns, site);
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
    await expect.poll(() => popupText(session, page), { timeout: 20_000 }).toContain(edit.reported);
    await page.close();
  });
});
