import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import { example, renderedMarkdown, thoughtsOf, parseExport } from '../support/data';
import { answerCard, exportJsonl, findCard, launchFirefox, cardClosed, sendPrompt, type FirefoxSession } from '../support/firefox';
import { SITE_PAGES } from '../support/sites';

// The same flow as in Chromium, in Firefox ESR with the Firefox build, on two of the three sites,
// plus what only Firefox can show headless: a tab in the background.

let session: FirefoxSession;
beforeAll(async () => {
  session = await launchFirefox();
});
afterAll(async () => {
  await session?.close();
});

const readExport = async (): Promise<ThoughtTraceConversation[]> => parseExport(await exportJsonl(session));

const stream = (page: Page, markdown: string) => page.evaluate((md) => (window as any).__chat.stream(md), markdown);

async function openChat(site: Site, url = SITE_PAGES[site].conversationUrl()) {
  const page = await session.newChatPage();
  await page.goto(url);
  await page.waitForSelector(SITE_PAGES[site].composer);
  return page;
}

describe.each([
  { site: 'chatgpt' as const, replay: 'user897_task2_conversation1' },
  { site: 'claude' as const, replay: 'user897_task1_conversation1' },
])('$site in Firefox', ({ site, replay }) => {
  it('replays a real conversation and exports exactly its messages and thoughts', async () => {
    const recorded = example(replay);
    const page = await openChat(site);
    for (let i = 0; i < recorded.messages.length; i += 2) {
      const [prompt, reply] = [recorded.messages[i]!, recorded.messages[i + 1]!];
      await sendPrompt(page, prompt.content, site);
      await answerCard(page, 'reason', thoughtsOf(prompt)[0]?.content ?? null);
      await stream(page, reply.content);
      await answerCard(page, 'reaction', thoughtsOf(reply)[0]?.content ?? null);
    }
    await page.close();

    const exported = (await readExport()).find((c) => c.messages[0]?.content === recorded.messages[0]!.content)!;
    expect(exported.model_provider).toBe(SITE_PAGES[site].provider);
    expect(exported.messages.map((m) => m.type)).toEqual(recorded.messages.map((m) => m.type));
    exported.messages.forEach((message, i) => {
      const original = recorded.messages[i]!;
      if (message.type === 'user') expect(message.content).toBe(original.content);
      else expect(renderedMarkdown(message.content)).toBe(renderedMarkdown(original.content));
      expect(thoughtsOf(message).map((t) => t.content)).toEqual(thoughtsOf(original).map((t) => t.content));
    });
  });
});

describe('a reply that finishes in a background tab', () => {
  it('is captured while hidden, and its reaction is asked when the participant comes back', async () => {
    const page = await openChat('claude');
    await sendPrompt(page, 'Write me a long essay, I will be back.', 'claude');
    await answerCard(page, 'reason', 'Testing patience.');
    const other = await session.browser.newPage();
    await other.bringToFront();
    expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');

    await stream(page, 'Here is the **essay**.');
    // Captured while hidden (the export lists it), but nobody was asked yet.
    const deadline = Date.now() + 15_000;
    let captured: ThoughtTraceConversation | undefined;
    while (!captured && Date.now() < deadline) {
      captured = (await readExport()).find((c) => c.messages[0]?.content === 'Write me a long essay, I will be back.' && c.messages.length === 2);
      if (!captured) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(captured!.messages[1]!.content).toBe('Here is the **essay**.');
    await expect(findCard(page, 'reaction', 500)).rejects.toThrow(/no reaction prompt/);

    await page.bringToFront();
    await findCard(page, 'reaction');
    await answerCard(page, 'reaction', 'Worth the wait.');
    await other.close();
    await page.close();
    const done = (await readExport()).find((c) => c.messages[0]?.content === 'Write me a long essay, I will be back.')!;
    expect(thoughtsOf(done.messages[1]!).map((t) => t.content)).toEqual(['Worth the wait.']);
  });
});

describe('keyboard only, in Firefox', () => {
  it('never takes focus by itself; the shortcut focuses the prompt, Ctrl+Enter saves, focus comes back', async () => {
    const page = await openChat('chatgpt');
    await page.focus('#prompt-textarea');
    await page.keyboard.type('Firefox keyboard: hello');
    await page.keyboard.press('Enter');
    const frame = await findCard(page, 'reason');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-textarea');

    await page.keyboard.down('Alt');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyT');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Alt');
    // As a person would, type once the cursor is in the card's text box.
    const deadline = Date.now() + 5000;
    const focused = () => frame.evaluate(() => document.hasFocus() && document.activeElement?.tagName === 'TEXTAREA').catch(() => false);
    while (!(await focused()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    await page.keyboard.type('Typed in Firefox without a mouse.');
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    await cardClosed(page, frame, 'reason');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-textarea');
    await page.close();

    const chat = (await readExport()).find((c) => c.messages[0]?.content === 'Firefox keyboard: hello')!;
    expect(thoughtsOf(chat.messages[0]!).map((t) => t.content)).toEqual(['Typed in Firefox without a mouse.']);
  });
});
