import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answerPrompt, findPrompt, launchChromium, openChat, openPrompts, sendPrompt, stream, type ChromiumSession } from './support/chromium';

// A chat page that attacks the card (issue 8): the card's identity must come from the extension,
// never from its address, and nothing the page's own scripts do may open a card or move focus
// into it. And nothing typed into a card is lost when its tab closes right after typing.

const ANNOTATE = 'Add a thought about this message';

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
});
afterAll(async () => {
  await session?.close();
});

/**
 * Runs in the chat page's main world, as the site's own scripts could. It frames the card page
 * itself with the open card's address and with every message id and kind (some have thoughts),
 * measuring the real card's frame after each; posts focus messages to every card frame; and
 * fakes the focus shortcut, focus events and clicks on the annotate button. Self-contained: it
 * is serialized into the page.
 */
async function attack(ids: number[]) {
  const real = [...document.querySelectorAll('iframe')].find((f) => f.src.includes('/thought-prompt.html'))!;
  const heights = [real.getBoundingClientRect().height];
  const address = new URL(real.src);
  const made: HTMLIFrameElement[] = [];
  const frame = (href: string) =>
    new Promise<void>((resolve) => {
      const own = document.createElement('iframe');
      own.dataset.attacker = 'yes';
      own.onload = () => resolve();
      own.src = href;
      document.body.append(own);
      made.push(own);
    });
  await frame(real.src);
  for (const id of ids) {
    for (const kind of ['reason', 'reaction']) {
      const forged = new URL(address);
      forged.searchParams.set('kind', kind);
      forged.searchParams.set('messageId', String(id));
      await frame(forged.href);
      await new Promise((resolve) => setTimeout(resolve, 200));
      heights.push(real.getBoundingClientRect().height);
    }
  }
  // The focus message the host used to post, with the card's id from its address if any.
  for (const target of [real, ...made]) {
    for (const card of [address.searchParams.get('card'), '']) {
      target.contentWindow!.postMessage({ source: 'thoughttrace-host', type: 'focus', card }, '*');
    }
  }
  // The focus shortcut and focus events, faked.
  const shortcut = { key: 'T', code: 'KeyT', altKey: true, shiftKey: true, bubbles: true, cancelable: true, composed: true };
  for (const target of [window, document, document.body, document.querySelector('#prompt-textarea')!]) {
    target.dispatchEvent(new KeyboardEvent('keydown', shortcut));
  }
  real.dispatchEvent(new FocusEvent('focus'));
  window.dispatchEvent(new FocusEvent('focus'));
  // The annotate button of the first prompt, brought up by a faked hover, then clicked by script.
  const turn = document.querySelector('section[data-turn="user"]')!;
  turn.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100)));
  const button = document.querySelector<HTMLElement>('[aria-label="Add a thought about this message"]');
  button?.click();
  button?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  button?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  // Time for anything the page set off to land.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  heights.push(real.getBoundingClientRect().height);
  return { heights, annotateButton: button !== null, active: document.activeElement?.tagName };
}

/** What the frames the page made itself show. */
async function ownFrames(page: Page): Promise<string[]> {
  const shown: string[] = [];
  for (const frame of page.frames()) {
    const element = await frame.frameElement().catch(() => null);
    if (!element || (await element.getAttribute('data-attacker')) !== 'yes') continue;
    shown.push(await frame.evaluate(() => document.getElementById('root')?.innerHTML ?? '').catch(() => ''));
  }
  return shown;
}

const cardHeight = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('iframe')].find((f) => !f.dataset.attacker && f.src.includes('/thought-prompt.html'))!.getBoundingClientRect().height);

describe('a hostile chat page', () => {
  it('learns nothing from the card and opens nothing, whatever it frames, posts or fakes', async () => {
    const page = await openChat(session);
    // A turn whose prompt and reply both have thoughts…
    await sendPrompt(page, 'Hostile: the first prompt');
    await answerPrompt(page, 'reason', 'A reason the page must not learn of.');
    await stream(page, 'One.');
    await answerPrompt(page, 'reaction', 'A reaction the page must not learn of.');
    // …and a prompt with none, whose card is open.
    await sendPrompt(page, 'Hostile: the second prompt');
    const card = await findPrompt(page, 'reason');
    const address = await page.evaluate(() => document.querySelector<HTMLIFrameElement>('iframe')!.src);
    // The address names no card, no message, no kind: only a theme hint.
    expect([...new URL(address).searchParams.keys()]).toEqual(['theme']);

    const { heights, annotateButton, active } = await page.evaluate(attack, [1, 2, 3, 4, 5, 6]);
    // The page's own frames show nothing, the real card's frame never changed size, no card
    // opened and focus stayed out of it.
    expect(await ownFrames(page)).toEqual(Array(13).fill(''));
    expect(new Set(heights).size, `heights ${heights}`).toBe(1);
    expect(annotateButton).toBe(true);
    expect(await openPrompts(page)).toBe(1);
    expect(await card.getByRole('dialog', { name: /reason/i }).isVisible()).toBe(true);
    expect(await card.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    expect(active).not.toBe('IFRAME');

    // A card about a message that has thoughts is exactly as tall as one about a message with none.
    const without = await cardHeight(page);
    await page.evaluate(() => document.querySelectorAll('[data-attacker]').forEach((frame) => frame.remove()));
    await answerPrompt(page, 'reason', null);
    await stream(page, 'Two.');
    await answerPrompt(page, 'reaction', null);
    const first = page.locator('section[data-turn="user"]').first();
    await first.scrollIntoViewIfNeeded();
    await first.hover();
    await page.getByRole('button', { name: ANNOTATE }).click();
    const annotated = await findPrompt(page, 'reason');
    await expect.poll(() => annotated.getByRole('listitem').allInnerTexts()).toEqual(['A reason the page must not learn of.']);
    expect(await cardHeight(page)).toBe(without);
    await page.close();
  });
});

describe('a card closed right after typing', () => {
  it('keeps every character: the tab closes 50 ms after the last keystroke, the review page has the whole draft', async () => {
    const page = await openChat(session);
    await sendPrompt(page, 'Drafts: a tab closed right after typing');
    const card = await findPrompt(page, 'reason');
    const box = card.getByRole('dialog').getByRole('textbox');
    await box.click();
    const words = `Every last character of this reason survives the closed tab ${Date.now()}.`;
    await box.pressSequentially(words);
    await page.waitForTimeout(50);
    await page.close();

    const review = await session.context.newPage();
    await review.goto(`chrome-extension://${session.extensionId}/review.html`);
    await expect.poll(() => review.getByText(words, { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    await review.close();
  });
});
