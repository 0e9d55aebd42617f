import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as ChromiumPage } from 'playwright-core';
import type { Frame as FirefoxFrame, Page as FirefoxPage } from 'puppeteer-core';
import * as chromium from '../support/chromium';
import * as firefox from '../support/firefox';
import { SITE_PAGES } from '../support/sites';

// A chat page that attacks the card (issue 8): the card's identity must come from the extension,
// never from its address, and nothing the page's own scripts do may open a card or move focus
// into it. And nothing typed into a card is lost when its tab closes right after typing.

const ANNOTATE = 'Add a thought about this message';
const FIRST_PROMPT = 'section[data-turn="user"]';
const REASON = 'A reason the page must not learn of.';
/** The page's own frames: 1 with the card's address, 2 kinds × 6 message ids. */
const MESSAGE_IDS = [1, 2, 3, 4, 5, 6];
const OWN_FRAMES = 1 + 2 * MESSAGE_IDS.length;

/**
 * Runs in the chat page's main world, as the site's own scripts could. It frames the card page
 * itself with the open card's address and with every message id and kind (some have thoughts),
 * measuring the real card's frame after each; posts focus messages to every card frame; and
 * fakes the focus shortcut, focus events and clicks on the annotate button. Self-contained: it
 * is serialized into the page.
 */
async function attack(ids: number[]) {
  const real = [...document.querySelectorAll('iframe')].find((f) => f.src.includes('/card.html'))!;
  const composer = document.querySelector('#prompt-textarea')!;
  const heights = [real.getBoundingClientRect().height];
  const address = new URL(real.src);
  const made: HTMLIFrameElement[] = [];
  // Marked in its address too, so the test can tell the page's frames from the card's from within.
  const frame = (href: string) =>
    new Promise<void>((resolve) => {
      const own = document.createElement('iframe');
      own.dataset.attacker = 'yes';
      own.onload = () => resolve();
      const marked = new URL(href);
      marked.searchParams.set('attacker', 'yes');
      own.src = marked.href;
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
  for (const target of [window, document, document.body, composer]) {
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

/** What the frames the page made itself show, read from within each: in any driver's frames. */
async function ownFrames(frames: { evaluate<T>(fn: () => T): Promise<T> }[]): Promise<string[]> {
  const shown: string[] = [];
  for (const frame of frames) {
    const content = await frame
      .evaluate(() => (new URLSearchParams(location.search).get('attacker') === 'yes' ? (document.getElementById('root')?.innerHTML ?? '') : null))
      .catch(() => null);
    if (content !== null) shown.push(content);
  }
  return shown;
}

/** The height of the card's own frame, as the page measures it. */
function cardHeight(): number {
  return [...document.querySelectorAll('iframe')].find((f) => !f.dataset.attacker && f.src.includes('/card.html'))!.getBoundingClientRect().height;
}
const removeOwnFrames = () => document.querySelectorAll('[data-attacker]').forEach((frame) => frame.remove());
const cardAddress = () => [...document.querySelectorAll('iframe')].find((f) => !f.dataset.attacker && f.src.includes('/card.html'))!.src;

/** What the attack left: the page learnt one height, its frames show nothing, and the card did not take the keyboard. */
function expectNothingLearnt(result: Awaited<ReturnType<typeof attack>>, own: string[], address: string) {
  // The address names no card, no message, no kind: only a theme hint.
  expect([...new URL(address).searchParams.keys()]).toEqual(['theme']);
  expect(own).toEqual(Array(OWN_FRAMES).fill(''));
  expect(new Set(result.heights).size, `heights ${result.heights}`).toBe(1);
  expect(result.annotateButton).toBe(true);
  expect(result.active).not.toBe('IFRAME');
}

describe('Chromium', () => {
  let session: chromium.ChromiumSession;
  beforeAll(async () => {
    session = await chromium.launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('a hostile page learns nothing from the card and opens nothing, whatever it frames, posts or fakes', async () => {
    const page = await chromium.openChat(session);
    // A turn whose prompt and reply both have thoughts…
    await chromium.sendPrompt(page, 'Hostile: the first prompt');
    await chromium.answerCard(page, 'reason', REASON);
    await chromium.stream(page, 'One.');
    await chromium.answerCard(page, 'reaction', 'A reaction the page must not learn of.');
    // …and a prompt with none, whose card is open.
    await chromium.sendPrompt(page, 'Hostile: the second prompt');
    const card = await chromium.findCard(page, 'reason');

    const result = await page.evaluate(attack, MESSAGE_IDS);
    expectNothingLearnt(result, await ownFrames(page.frames()), await page.evaluate(cardAddress));
    // No other card opened, and the open one did not take the keyboard.
    expect(await chromium.openCards(page)).toBe(1);
    expect(await card.getByRole('dialog', { name: /reason/i }).isVisible()).toBe(true);
    expect(await card.evaluate(() => document.activeElement?.tagName)).toBe('BODY');

    // A card about a message that has thoughts is exactly as tall as one about a message with none.
    const without = await page.evaluate(cardHeight);
    await page.evaluate(removeOwnFrames);
    await chromium.answerCard(page, 'reason', null);
    await chromium.stream(page, 'Two.');
    await chromium.answerCard(page, 'reaction', null);
    const first = page.locator(FIRST_PROMPT).first();
    await first.scrollIntoViewIfNeeded();
    await first.hover();
    await page.getByRole('button', { name: ANNOTATE }).click();
    const annotated = await chromium.findCard(page, 'reason');
    await expect.poll(() => annotated.getByRole('listitem').allInnerTexts()).toEqual([REASON]);
    expect(await page.evaluate(cardHeight)).toBe(without);
    await page.close();
  });

  it('keeps every character typed into a card whose tab closes 50 ms after the last keystroke', async () => {
    const page = await chromium.openChat(session);
    await chromium.sendPrompt(page, 'Drafts: a tab closed right after typing');
    const card = await chromium.findCard(page, 'reason');
    const box = card.getByRole('dialog').getByRole('textbox');
    await box.click();
    const words = `Every last character of this reason survives the closed tab ${Date.now()}.`;
    await box.pressSequentially(words);
    await page.waitForTimeout(50);
    await page.close();

    // The review page offers the unsaved draft, whole.
    const review = await session.context.newPage();
    await review.goto(`chrome-extension://${session.extensionId}/review.html`);
    await expect.poll(() => review.getByText(words, { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    await review.close();
  });
});

describe('Firefox', () => {
  let session: firefox.FirefoxSession;
  beforeAll(async () => {
    session = await firefox.launchFirefox();
  });
  afterAll(async () => {
    await session?.close();
  });

  const openChat = async () => {
    const page = await session.newChatPage();
    await page.goto(SITE_PAGES.chatgpt.conversationUrl());
    await page.waitForSelector(SITE_PAGES.chatgpt.composer);
    return page;
  };
  const stream = (page: FirefoxPage, markdown: string) => page.evaluate((md) => (window as any).__chat.stream(md), markdown);
  const listed = (frame: FirefoxFrame) => frame.evaluate(() => [...document.querySelectorAll('li')].map((li) => li.textContent));
  /** Frames showing a reason or reaction question. */
  const openCards = async (page: FirefoxPage) =>
    (await Promise.all(page.frames().map((f) => f.evaluate(() => document.querySelector('[role="dialog"]') !== null).catch(() => false)))).filter(Boolean).length;

  it('a hostile page learns nothing from the card and opens nothing, whatever it frames, posts or fakes', async () => {
    const page = await openChat();
    await firefox.sendPrompt(page, 'Hostile: the first prompt');
    await firefox.answerCard(page, 'reason', REASON);
    await stream(page, 'One.');
    await firefox.answerCard(page, 'reaction', 'A reaction the page must not learn of.');
    await firefox.sendPrompt(page, 'Hostile: the second prompt');
    const card = await firefox.findCard(page, 'reason');

    const result = await page.evaluate(attack, MESSAGE_IDS);
    expectNothingLearnt(result, await ownFrames(page.frames()), await page.evaluate(cardAddress));
    expect(await openCards(page)).toBe(1);
    expect(await card.evaluate(() => document.activeElement?.tagName)).toBe('BODY');

    const without = await page.evaluate(cardHeight);
    await page.evaluate(removeOwnFrames);
    await firefox.answerCard(page, 'reason', null);
    await stream(page, 'Two.');
    await firefox.answerCard(page, 'reaction', null);
    await page.hover(FIRST_PROMPT);
    await page.waitForSelector(`[aria-label="${ANNOTATE}"]`, { visible: true });
    await page.click(`[aria-label="${ANNOTATE}"]`);
    const annotated = await firefox.findCard(page, 'reason');
    await expect.poll(() => listed(annotated)).toEqual([REASON]);
    expect(await page.evaluate(cardHeight)).toBe(without);
    await page.close();
  });

  it('keeps every character typed into a card whose tab closes 50 ms after the last keystroke', async () => {
    const page = await openChat();
    await firefox.sendPrompt(page, 'Drafts: a tab closed right after typing');
    const card = await firefox.findCard(page, 'reason');
    const box = await card.waitForSelector('[role="dialog"] textarea');
    await box!.click();
    const words = `Every last character of this reason survives the closed tab ${Date.now()}.`;
    await box!.type(words);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await page.close();

    const { page: review } = await firefox.openExtensionPage(session, 'review.html', `::-p-text(${words})`);
    await review.close();
  });
});
