import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import { answerCard, exportJsonl, findCard, launchChromium, openChat as openChatIn, openCards, sendPrompt, stream, type ChromiumSession } from '../support/chromium';
import { thoughtsOf, parseExport } from '../support/data';
import { SITE_PAGES } from '../support/sites';

// Annotating any captured message from the chat page, and where the prompt goes: beside its
// message, never over the composer.

const LABEL = 'Add a thought about this message';
/** A user message's turn (the element the prompt is anchored to) on each fake site. */
const USER_TURN: Partial<Record<Site, string>> = {
  chatgpt: 'section[data-turn="user"]',
  claude: '#rows > div:has([data-testid="user-message"])',
};

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
});
afterAll(async () => {
  await session?.close();
});

const exported = async (): Promise<ThoughtTraceConversation[]> =>
  parseExport(await exportJsonl(session));


const openChat = (site: Site, viewport?: { width: number; height: number }) => openChatIn(session, site, undefined, viewport);

/** One exchange, answering the reason prompt (or skipping it) and skipping the reaction prompt. */
async function exchange(page: Page, site: Site, prompt: string, reason: string | null, reply: string) {
  await sendPrompt(page, prompt, site);
  await answerCard(page, 'reason', reason);
  await stream(page, reply);
  await answerCard(page, 'reaction', null);
}

const listed = (frame: Frame, kind: 'reason' | 'reaction') =>
  frame.getByRole('list', { name: kind === 'reason' ? 'Reasons you wrote' : 'Reactions you wrote' }).getByRole('listitem').allInnerTexts();

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
const intersects = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The prompt's frame and the composer's area (form, fieldset or input container), at one instant. */
function boxes(page: Page, site: Site) {
  return page.evaluate((composerSelector) => {
    const box = (el: Element | null | undefined) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const composer = document.querySelector(composerSelector);
    return {
      frame: box(document.querySelector('iframe[src*="card.html"]')),
      composer: box(composer?.closest('form, fieldset, input-container') ?? composer),
    };
  }, SITE_PAGES[site].composer);
}

/** Watches the open prompt for `ms`: its frame never overlaps the composer. */
async function expectClearOfComposer(page: Page, site: Site, ms = 1500) {
  const deadline = Date.now() + ms;
  let samples = 0;
  let last: Rect | null = null;
  while (Date.now() < deadline) {
    const { frame, composer } = await boxes(page, site);
    if (frame && frame.height > 0 && composer) {
      expect(intersects(frame, composer), `prompt ${JSON.stringify(frame)} over composer ${JSON.stringify(composer)}`).toBe(false);
      samples++;
      last = frame;
    }
    await page.waitForTimeout(40);
  }
  expect(samples).toBeGreaterThan(5);
  return last!;
}

describe('annotating a message', () => {
  it('adds reasons to an older prompt with the mouse and with the keyboard; the export holds them all', async () => {
    const page = await openChat('chatgpt');
    await exchange(page, 'chatgpt', 'Annotate: the older prompt', 'First reason.', 'One.');
    await exchange(page, 'chatgpt', 'Annotate: the newest prompt', null, 'Two.');
    const older = page.locator(USER_TURN.chatgpt!).first();
    const button = page.getByRole('button', { name: LABEL });

    // The mouse: hover the older prompt, click its button.
    await older.hover();
    await button.click();
    let frame = await findCard(page, 'reason');
    await expect.poll(() => listed(frame, 'reason')).toEqual(['First reason.']);
    // Asked for, so it takes focus: typing goes straight in.
    await expect.poll(() => frame.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await answerCard(page, 'reason', 'Second reason.');

    // The keyboard: from the message's own control, Tab reaches the button; Enter opens the prompt.
    await page.mouse.move(5, 5);
    const copy = older.getByRole('button', { name: 'Copy' });
    await copy.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(LABEL);
    await page.keyboard.press('Enter');
    frame = await findCard(page, 'reason');
    await expect.poll(() => listed(frame, 'reason')).toEqual(['First reason.', 'Second reason.']);
    await expect.poll(() => frame.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Third reason.');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => openCards(page)).toBe(0);
    // Focus is back where the participant was, in the message.
    expect(await copy.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.close();

    const chat = (await exported()).find((c) => c.messages[0]?.content === 'Annotate: the older prompt')!;
    expect(chat.messages.map((m) => thoughtsOf(m).map((t) => t.content))).toEqual([
      ['First reason.', 'Second reason.', 'Third reason.'],
      [],
      [],
      [],
    ]);
  });

  it.each(['chatgpt', 'claude'] as const)('never puts the prompt over the composer on %s', async (site) => {
    for (const viewport of [undefined, { width: 900, height: 460 }]) {
      const page = await openChat(site, viewport);
      // The automatic reason prompt, while the reply streams in.
      await sendPrompt(page, `Placement: first (${viewport ? 'small' : 'default'})`, site);
      await findCard(page, 'reason');
      const streaming = stream(page, 'A reply long enough to move things around. '.repeat(20));
      await expectClearOfComposer(page, site);
      await streaming;
      // The untouched reason prompt gave way to the reaction prompt.
      await answerCard(page, 'reaction', null);
      await exchange(page, site, 'Placement: second', null, 'Two.');

      // An annotation prompt for the older message, beside it while it is in view.
      const older = page.locator(USER_TURN[site]!).first();
      await older.scrollIntoViewIfNeeded();
      await older.hover();
      await page.getByRole('button', { name: LABEL }).click();
      await findCard(page, 'reason');
      const frame = await expectClearOfComposer(page, site);
      const turn = (await older.boundingBox())!;
      if (!viewport) {
        // Anchored to its message: touching it (beside, below or above, a gap apart), not pinned.
        const near = { x: turn.x - 16, y: turn.y - 16, width: turn.width + 32, height: turn.height + 32 };
        expect(intersects(frame, near), `prompt ${JSON.stringify(frame)} away from its message ${JSON.stringify(turn)}`).toBe(true);
      }
      await answerCard(page, 'reason', null);
      await page.close();
    }
  });
});
