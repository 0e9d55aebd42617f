import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import { answerCard, exportJsonl, findDialog, launchChromium, openChat as openChatIn, sendPrompt, stream, type ChromiumSession } from '../support/chromium';
import { parseExport } from '../support/data';
import { SITE_PAGES } from '../support/sites';

// The two optional task questions ("What were you trying to do?", "What did you expect from the
// AI?") asked when the participant leaves a conversation they chatted in: within the page, or by
// closing its tab. The tests run in order on one browser, with the task questions on.

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium({ taskQuestions: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await session?.close();
});

const byFirstPrompt = async (text: string): Promise<ThoughtTraceConversation> =>
  parseExport(await exportJsonl(session)).find((c) => c.messages[0]?.content === text)!;

const openChat = (site: Site = 'chatgpt', url?: string) => openChatIn(session, site, url);
const LEFT = /about the conversation you left/i;

describe('task questions', () => {
  it('asks the two task questions on leaving a conversation, once; the answers are exported', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { title: 'Picnic chat' });
    const page = await openChat('chatgpt', url);
    await page.waitForFunction(() => document.title === 'Picnic chat');
    await sendPrompt(page, 'Leaving: plan a picnic');
    await answerCard(page, 'reason', 'Weekend plans.');
    await stream(page, 'Bring a blanket.');
    await answerCard(page, 'reaction', null);

    // The sidebar's "New chat": the conversation is left.
    await page.evaluate(() => (window as any).__chat.navigate('/'));
    const frame = await findDialog(page, LEFT);
    const dialog = frame.getByRole('dialog');
    await dialog.getByText(/“Picnic chat” on ChatGPT/).waitFor();
    // It never takes focus by itself.
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
    await dialog.getByLabel('What were you trying to do?').fill('Plan a picnic.');
    await page.screenshot({ path: `${SCREENSHOTS}chatgpt-task.png` });
    await dialog.getByLabel('What did you expect from the AI?').fill('A packing list.');
    await dialog.getByLabel('What did you expect from the AI?').press('Control+Enter');
    await expect.poll(() => page.locator('iframe').count()).toBe(0);

    // Asked once: coming back and leaving again asks nothing.
    await page.evaluate((path) => (window as any).__chat.navigate(path), new URL(url).pathname);
    await page.waitForTimeout(800);
    await page.evaluate(() => (window as any).__chat.navigate('/'));
    await expect(findDialog(page, LEFT, 1500)).rejects.toThrow(/no dialog/);
    await page.close();

    const chat = await byFirstPrompt('Leaving: plan a picnic');
    expect([chat.task_summary, chat.task_expectation]).toEqual(['Plan a picnic.', 'A packing list.']);
  });

  it('keeps what was typed when the task questions are skipped, and never asks about a conversation only looked at', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { title: 'Tide chat' });
    const page = await openChat('chatgpt', url);
    await page.waitForFunction(() => document.title === 'Tide chat');
    await sendPrompt(page, 'Skipped task: what is a tide?');
    await answerCard(page, 'reason', null);
    await stream(page, 'The sea rising and falling.');
    await answerCard(page, 'reaction', null);

    // Another conversation, only read: leaving it asks nothing.
    const viewed = SITE_PAGES.chatgpt.conversationUrl();
    await page.evaluate((path) => (window as any).__chat.navigate(path), new URL(viewed).pathname);
    const frame = await findDialog(page, LEFT);
    const dialog = frame.getByRole('dialog');
    await dialog.getByText(/“Tide chat” on ChatGPT/).waitFor();
    await dialog.getByLabel('What were you trying to do?').fill('Understand tides.');
    await dialog.getByLabel('What were you trying to do?').press('Escape');
    await expect.poll(() => page.locator('iframe').count()).toBe(0);
    await page.evaluate(() => (window as any).__chat.navigate('/'));
    await expect(findDialog(page, LEFT, 1500)).rejects.toThrow(/no dialog/);
    await page.close();

    const chat = await byFirstPrompt('Skipped task: what is a tide?');
    expect([chat.task_summary, chat.task_expectation]).toEqual(['Understand tides.', '']);
  });

  it('asks on the next chat page about a conversation whose tab was closed, once, and not when it is reopened', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { title: 'Kite chat' });
    const page = await openChat('chatgpt', url);
    await page.waitForFunction(() => document.title === 'Kite chat');
    await sendPrompt(page, 'Closed tab: how do I fly a kite?');
    await answerCard(page, 'reason', null);
    await stream(page, 'Run into the wind.');
    await answerCard(page, 'reaction', null);
    await page.close();

    // Opening the same conversation again is not leaving it.
    const again = await openChat('chatgpt', url);
    await expect(findDialog(again, LEFT, 1500)).rejects.toThrow(/no dialog/);
    await again.close();

    // Any other chat page of the site asks, without taking focus.
    const next = await openChat('chatgpt', SITE_PAGES.chatgpt.newChatUrl);
    const frame = await findDialog(next, LEFT);
    const dialog = frame.getByRole('dialog');
    await dialog.getByText(/“Kite chat” on ChatGPT/).waitFor();
    expect(await next.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
    await dialog.getByLabel('What were you trying to do?').fill('Learn to fly a kite.');
    await dialog.getByLabel('What were you trying to do?').press('Control+Enter');
    await expect.poll(() => next.locator('iframe').count()).toBe(0);
    await next.close();

    // Once.
    const later = await openChat('chatgpt');
    await expect(findDialog(later, LEFT, 1500)).rejects.toThrow(/no dialog/);
    await later.close();
    const chat = await byFirstPrompt('Closed tab: how do I fly a kite?');
    expect([chat.task_summary, chat.task_expectation]).toEqual(['Learn to fly a kite.', '']);
  });
});
