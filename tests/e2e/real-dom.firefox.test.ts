import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJsonl, launchFirefox, type FirefoxSession } from '../support/firefox';
import { parseExport } from '../support/data';
import { CAPTURES, expectSameTurns, readPageTurns } from '../support/real-dom';
import { SITE_PAGES } from '../support/sites';

// The real-DOM captures in Firefox ESR with the Firefox build: the same turns, the same text.

let session: FirefoxSession;
beforeAll(async () => {
  session = await launchFirefox();
});
afterAll(async () => {
  await session?.close();
});

describe('capture on the real sites’ DOM in Firefox', () => {
  it.each(CAPTURES.map((capture) => [capture.name, capture] as const))('%s: every turn, with the text a person sees', async (name, capture) => {
    const before = new Set(parseExport(await exportJsonl(session)).map((c) => c.id));
    const url = SITE_PAGES[capture.site].conversationUrl();
    session.sites.set(new URL(url).pathname, { rawPage: capture.html() });
    const page = await session.newChatPage();
    await page.goto(url);
    const turns = await page.evaluate(readPageTurns, capture.site);
    expect(turns.length).toBeGreaterThan(1);
    let messages: { type: string; content: string }[] = [];
    const deadline = Date.now() + 60_000;
    while (messages.length < turns.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      messages = parseExport(await exportJsonl(session)).find((c) => !before.has(c.id))?.messages ?? [];
    }
    const lowest = expectSameTurns(`${name} (Firefox)`, turns, messages);
    console.log(`${name}, Firefox: ${messages.length} / ${turns.length} turns recorded, lowest reply similarity ${lowest.toFixed(3)}`);
    await page.close();
  });
});
