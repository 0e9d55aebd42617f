import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installAnnotate, type AnnotateRequest } from '../../utils/content/annotate-button';
import { Capture, type CaptureOptions, type CaptureSink } from '../../utils/content/capture';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { Box } from '../../utils/content/placement';
import { CardHost } from '../../utils/content/card-host';
import type { CardHandover } from '../../utils/protocol/card';
import type { ThoughtKind } from '../../utils/data/records';
import { createChatgptAdapter } from '../../utils/sites/chatgpt';
import { createStore, type Store } from '../../utils/background/store';
import { loadFakeSite } from '../support/unit/fake-site';
import { typeAndSend } from '../support/unit/fake-site';
import { recordingStore } from '../support/unit/store';

const chatgpt = createChatgptAdapter();

// The annotate button on the fake ChatGPT page: the real capture engine writing through the real
// store into IndexedDB, and the real prompt host.

const UUID = '0b6f9a5e-2d7c-4e1a-8f3b-5c6d7e8f9a0b';
const FAST: Partial<CaptureOptions> = { checkDelayMs: 5, historyDelayMs: 30, healthDelayMs: 80 };
const HISTORY = [
  { type: 'user' as const, content: 'Old question' },
  { type: 'assistant' as const, content: 'Old answer' },
];

let db: ThoughtTraceDb;
let store: Store;
let controller: AbortController;
let n = 0;

// happy-dom has no layout: turn i is a 120px row at y = 20 + 130 i, the composer's form sits at
// the bottom, and everything else fills the viewport.
const COMPOSER: Box = { x: 240, y: 660, width: 760, height: 96 };
const turnTop = (i: number) => 20 + 130 * i;
function boxOf(element: Element): Box {
  const section = element.closest('section[data-turn]');
  if (section) return { x: 240, y: turnTop([...document.querySelectorAll('section[data-turn]')].indexOf(section)), width: 760, height: 120 };
  if (element.matches('form')) return COMPOSER;
  return { x: 0, y: 0, width: innerWidth, height: innerHeight };
}

beforeEach(async () => {
  (window as unknown as { happyDOM: { settings: { disableIframePageLoading: boolean } } }).happyDOM.settings.disableIframePageLoading = true;
  db = openDb(`annotate-${Date.now()}-${++n}`);
  store = await recordingStore(db);
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const { x, y, width, height } = boxOf(this);
    return { x, y, left: x, top: y, width, height, right: x + width, bottom: y + height, toJSON() {} } as DOMRect;
  });
});
afterEach(async () => {
  controller?.abort();
  vi.restoreAllMocks();
  db.close();
  await db.delete();
});

function start(options: Partial<CaptureOptions> = {}) {
  controller = new AbortController();
  const asked: [number, ThoughtKind][] = [];
  const opened: AnnotateRequest[] = [];
  const avoid = () => chatgpt.composerArea(document);
  handed = [];
  const prompt = (host = new CardHost(
    document,
    { pageUrl: (path) => `chrome-extension://abcdef${path}`, focusCard: () => undefined, handOver: (_frame, message) => void handed.push(message) },
    controller.signal,
    avoid,
  ));
  const sink: CaptureSink = {
    recordMessage: (data) => store.handle('recordMessage', data),
    recordHistory: (data) => store.handle('recordHistory', data),
    updateConversation: (data) => store.handle('updateConversation', data),
    askThought: (messageId, kind, thenReaction) => {
      asked.push([messageId, kind]);
      prompt.show({ messageId, kind, thenReaction });
    },
    endTurn: () => prompt.endTurn(),
    left: () => undefined,
    reportError: (error) => {
      throw error;
    },
    reportDegraded: () => undefined,
    reportSiteChanged: () => undefined,
  };
  const capture = new Capture(chatgpt, document, sink, controller.signal, { ...FAST, ...options });
  capture.start();
  const button = installAnnotate({
    doc: document,
    messageFor: (element) => capture.messageFor(element),
    open: (request) => {
      opened.push(request);
      prompt.show(request);
    },
    avoid,
    signal: controller.signal,
  });
  return { capture, button, asked, opened };
}

const settle = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));
const turn = (role: 'user' | 'assistant', index = 0) => document.querySelectorAll(`section[data-turn="${role}"]`)[index]!;
const hover = (element: Element) => element.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
const shown = (button: HTMLButtonElement) => button.style.display !== 'none' && button.style.visibility === 'visible';
const frames = () => [...document.querySelectorAll('iframe')];
/** What each frame asks (its card id aside, which is random). */
let host: CardHost;
let handed: CardHandover[] = [];
/** What each frame shows, as its page learns it once loaded: the card's message and kind, and the theme hint in its address. */
const prompted = () =>
  frames().map((frame) => {
    frame.dispatchEvent(new Event('load'));
    const placed = host.placedAt(7, handed.at(-1)?.card);
    expect(placed?.card.kind).toMatch(/^(reason|reaction)$/);
    const card = placed!.card as { kind: string; messageId: number };
    return { messageId: String(card.messageId), kind: card.kind, theme: new URL(frame.src).searchParams.get('theme') };
  });
/** A click as a person makes it (the page's scripts cannot make one: theirs are not trusted). */
const trustedClick = (target: HTMLElement) => {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  target.dispatchEvent(event);
};
const idOf = async (content: string) => String((await db.messages.filter((m) => m.content === content).first())!.id);

describe('annotating a message on the chat page', () => {
  it('offers the button on hover of a captured message only, on its top-right corner, with no text of it', async () => {
    await loadFakeSite('chatgpt', `https://chatgpt.com/c/${UUID}`, { hydrateDelayMs: 0, history: HISTORY });
    const { capture, button } = start({ historyDelayMs: 300 });
    const question = turn('user').querySelector('.whitespace-pre-wrap')!;
    expect(button.parentElement).toBe(document.documentElement);

    // History still being stored: nothing to annotate yet.
    hover(question);
    await settle();
    expect(shown(button)).toBe(false);

    await vi.waitFor(() => expect(capture.messageFor(question)).not.toBeNull());
    hover(question);
    await vi.waitFor(() => expect(shown(button)).toBe(true));
    expect(button.style.position).toBe('fixed');
    // The row fills the viewport's width here: the button sits just inside its top-right corner.
    expect([button.style.left, button.style.top]).toEqual([`${240 + 760 - 4 - 28}px`, `${turnTop(0) + 4}px`]);
    expect(button.getAttribute('aria-label')).toBe('Add a thought about this message');
    expect(button.textContent).toBe('');
    expect(turn('user').contains(button)).toBe(false);

    // It follows the pointer to the reply, and leaves with it.
    hover(turn('assistant').querySelector('p')!);
    await vi.waitFor(() => expect(button.style.top).toBe(`${turnTop(1) + 4}px`));
    hover(document.querySelector('#prompt-textarea')!);
    await vi.waitFor(() => expect(button.style.display).toBe('none'));
  });

  it('offers the button when keyboard focus enters a captured message, and Tab reaches it', async () => {
    await loadFakeSite('chatgpt', `https://chatgpt.com/c/${UUID}`, { hydrateDelayMs: 0, history: HISTORY });
    const { capture, button, opened } = start({ historyDelayMs: 300 });
    const copy = turn('user').querySelector<HTMLElement>('button[aria-label="Copy"]')!;
    copy.focus();
    expect(shown(button)).toBe(false);
    copy.blur();

    await vi.waitFor(() => expect(capture.messageFor(copy)).not.toBeNull());
    copy.focus();
    expect(shown(button)).toBe(true);
    // Tab from the message's last control goes to the button, Shift+Tab back.
    const tab = (target: Element, shiftKey = false) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true }));
    expect(tab(copy)).toBe(false);
    expect(document.activeElement).toBe(button);
    tab(button, true);
    expect(document.activeElement).toBe(copy);
    tab(copy);
    expect(document.activeElement).toBe(button);

    // Enter on the button (a click): the prompt opens, and focus goes back into the message for
    // when the prompt closes.
    trustedClick(button);
    expect(opened).toEqual([{ messageId: Number(await idOf('Old question')), kind: 'reason', anchor: turn('user'), focus: true }]);
    expect(document.activeElement).toBe(copy);
  });

  it('opens the prompt for the message it sits on: a reaction for a reply, a reason for a prompt', async () => {
    await loadFakeSite('chatgpt', `https://chatgpt.com/c/${UUID}`, { hydrateDelayMs: 0, history: HISTORY });
    const { capture, button } = start();
    await vi.waitFor(() => expect(capture.messageFor(turn('assistant'))).not.toBeNull());

    hover(turn('assistant').querySelector('p')!);
    await vi.waitFor(() => expect(shown(button)).toBe(true));
    // The page's own scripts clicking the button (it is in the page's DOM) open nothing.
    button.click();
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(frames()).toEqual([]);
    trustedClick(button);
    expect(prompted()).toEqual([{ messageId: await idOf('Old answer'), kind: 'reaction', theme: 'light' }]);

    hover(turn('user').querySelector('.whitespace-pre-wrap')!);
    await vi.waitFor(() => expect(button.style.top).toBe(`${turnTop(0) + 4}px`));
    trustedClick(button);
    // The untouched prompt about the reply gives way to the one asked for.
    expect(prompted()).toEqual([{ messageId: await idOf('Old question'), kind: 'reason', theme: 'light' }]);
  });

  it('works while prompts are snoozed: asking is the participant’s own request', async () => {
    const chat = await loadFakeSite('chatgpt', `https://chatgpt.com/c/${UUID}`, { hydrateDelayMs: 0 });
    await store.handle('snooze', { minutes: 60 });
    const { capture, button, asked } = start();
    typeAndSend('Snoozed question');
    await vi.waitFor(async () => expect(await db.messages.count()).toBe(1));
    await chat.stream('Snoozed answer');
    await vi.waitFor(() => expect(capture.messageFor(turn('assistant'))).not.toBeNull());
    expect(asked).toEqual([]);
    expect(frames()).toEqual([]);

    hover(turn('user').querySelector('.whitespace-pre-wrap')!);
    await vi.waitFor(() => expect(shown(button)).toBe(true));
    trustedClick(button);
    expect(prompted()).toEqual([{ messageId: await idOf('Snoozed question'), kind: 'reason', theme: 'light' }]);
  });
});
