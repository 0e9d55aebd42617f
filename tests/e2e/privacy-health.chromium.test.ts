import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answerCard, exportJsonl, launchChromium, openCards, popupText, sendPrompt, type ChromiumSession } from '../support/chromium';
import { parseExport } from '../support/data';
import { SITE_PAGES } from '../support/sites';

// What is never captured (temporary and incognito chats) and what happens when a site changed.

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
});
afterAll(async () => {
  await session?.close();
});


const exportedLines = async () => (await exportJsonl(session)).split('\n').filter(Boolean).length;

describe('chats the participant asked the site not to keep', () => {
  it.each([
    ['ChatGPT temporary chat', 'chatgpt', 'https://chatgpt.com/?temporary-chat=true'],
    ['Claude incognito chat', 'claude', 'https://claude.ai/new?incognito'],
    ['Gemini temporary chat', 'gemini', 'https://gemini.google.com/app'],
  ] as const)('%s: nothing is captured and the popup says so', async (_name, site, url) => {
    const before = await exportedLines();
    const page = await session.context.newPage();
    await page.goto(url);
    await page.locator(SITE_PAGES[site].composer).waitFor();
    // Gemini's temporary chat is a toggle on the same page, not an address.
    if (site === 'gemini') await page.getByRole('button', { name: 'Temporary chat' }).click();
    await sendPrompt(page, 'Something private', site);
    await page.evaluate(() => (window as any).__chat.stream('A private answer.'));
    await page.waitForTimeout(1500);
    expect(await openCards(page)).toBe(0);
    expect(await popupText(session, page)).toContain('nothing here is captured');
    await page.close();
    expect(await exportedLines()).toBe(before);
  });
});

describe('a site that changed', () => {
  it('without a composer it recognises, asks nothing, still records what the page shows, and says what changed', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { redesigned: true });
    const before = await exportedLines();
    const page = await session.context.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(url);
    await expect.poll(() => warnings.join('\n'), { timeout: 15_000 }).toContain('capture goes on without the composer');
    const popup = await popupText(session, page);
    expect(popup).toContain('new prompts are not asked about here');
    expect(popup).toContain('composer');

    const composer = page.locator('#composer-2027');
    await composer.fill('Hello after the redesign');
    await composer.press('Enter');
    await page.evaluate(() => (window as any).__chat.stream('Hi.'));
    await page.waitForTimeout(1500);
    expect(await openCards(page)).toBe(0);
    await page.close();
    const conversations = parseExport(await exportJsonl(session));
    expect(conversations).toHaveLength(before + 1);
    expect(conversations.at(-1)!.messages.map((m) => m.content)).toEqual(['Hello after the redesign', 'Hi.']);
  });

  it('does not call a normal page changed, even with an empty composer and no send button', async () => {
    const page = await session.context.newPage();
    await page.goto(SITE_PAGES.chatgpt.conversationUrl());
    await page.locator('#prompt-textarea').waitFor();
    await page.waitForTimeout(9000);
    expect(await page.locator('[data-testid="send-button"]').count()).toBe(0);
    expect(await popupText(session, page)).toContain('Capture is on');
    await sendPrompt(page, 'Still there?');
    await answerCard(page, 'reason', 'Checking.');
    await page.close();
  });
});
