import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { intersection, type Box } from '../../utils/content/placement';
import { CardHost } from '../../utils/content/card-host';
import { CARD_HEIGHTS, cardEventSchema, type CardHandover, type CardReport } from '../../utils/protocol/card';

let hidden = false;
let controller: AbortController;

beforeEach(() => {
  (window as unknown as { happyDOM: { settings: { disableIframePageLoading: boolean } } }).happyDOM.settings.disableIframePageLoading = true;
  hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.body.innerHTML = '<form><div id="composer" contenteditable="true"></div></form>';
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  vi.restoreAllMocks();
});

// happy-dom has no layout: the boxes the placement reads are given here, per element (on the
// element itself: the spy's `this` is not always the same object as the element).
const BOX = Symbol('box');
const rects = { set: (element: Element, box: Box) => Object.assign(element, { [BOX]: box }) };
const rect = ({ x, y, width, height }: Box) => ({ x, y, left: x, top: y, width, height, right: x + width, bottom: y + height, toJSON() {} }) as DOMRect;
beforeEach(() => {
  const real = Element.prototype.getBoundingClientRect;
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const box = (this as Element & { [BOX]?: Box })[BOX];
    return box ? rect(box) : real.call(this);
  });
  // What @floating-ui/dom measures the frame by: its CSS width (380px here) and height.
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
    return this instanceof HTMLIFrameElement ? 380 : 0;
  });
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this instanceof HTMLIFrameElement ? parseFloat(this.style.height) || 0 : 0;
  });
});

const frames = () => [...document.querySelectorAll('iframe')];
const composerForm = () => document.querySelector('form');
/** The browser's id of the card's frame, as the background names it. */
const FRAME = 7;
let lastHost: CardHost;
/** What the host handed to the page in its frame, and the focus requests it sent the background. */
let handed: CardHandover[] = [];
let focusRequests: number[] = [];
const host = () => {
  handed = [];
  focusRequests = [];
  return (lastHost = new CardHost(
    document,
    {
      pageUrl: (path) => `chrome-extension://abcdef${path}`,
      focusCard: (frameId) => void focusRequests.push(frameId),
      handOver: (_frame, message) => void handed.push(message),
    },
    controller.signal,
    composerForm,
  ));
};

/** The card page loads in the frame and asks (through the background) which card it shows, naming the id it was handed. */
function cardLoads() {
  frames().at(-1)!.dispatchEvent(new Event('load'));
  return lastHost.placedAt(FRAME, handed.at(-1)?.card);
}
/** An event of the open card, from its frame, as the background relays it. */
const cardSays = (event: CardReport) => {
  const placed = cardLoads();
  lastHost.receive({ card: placed!.id, frameId: FRAME, ...event });
};
/** The prompt page saying its card closed, and how. */
const cardClosed = (outcome: 'saved' | 'skipped' | 'faded' | 'dismissed') => cardSays({ type: 'closed', outcome });
const cardTouched = () => cardSays({ type: 'touched' });
/** What the one frame shows, as its page learns it: its card's kind and what it is about. */
const shown = () => {
  expect(frames()).toHaveLength(1);
  const placed = cardLoads();
  expect(placed).not.toBeNull();
  const { card } = placed!;
  return [card.kind, card.kind === 'task' ? card.conversationId : String(card.messageId)];
};

/** The frame's box on screen, from the styles the host gave it. */
function frameBox(frame: HTMLIFrameElement): Box {
  const width = 380;
  const left = frame.style.left && frame.style.left !== 'auto' ? parseFloat(frame.style.left) : innerWidth - parseFloat(frame.style.right) - width;
  return { x: left, y: parseFloat(frame.style.top), width, height: parseFloat(frame.style.height) || 0 };
}
const composerBox: Box = { x: 240, y: 660, width: 760, height: 96 };

describe('the prompt host on a chat page', () => {
  it('opens the prompt page for a message, without taking focus from the composer', () => {
    const composer = document.getElementById('composer')!;
    composer.focus();
    rects.set(composerForm()!, composerBox);
    host().show({ messageId: 12, kind: 'reason' });
    expect(frames()).toHaveLength(1);
    // The address the page can read names no card: only a theme hint.
    const url = new URL(frames()[0]!.src);
    expect(url.pathname).toBe('/card.html');
    expect([...url.searchParams.keys()]).toEqual(['theme']);
    expect(shown()).toEqual(['reason', '12']);
    expect(document.activeElement).toBe(composer);
    // Fixed, outside the page's layout, as tall as every card of its kind, never over the composer.
    expect(frames()[0]!.style.position).toBe('fixed');
    expect(frames()[0]!.style.top).toBe('72px');
    expect(frames()[0]!.style.height).toBe(`${CARD_HEIGHTS.reason}px`);
    expect(intersection(frameBox(frames()[0]!), composerBox)).toBeNull();
  });

  it('tells its card only to the page it handed the id to, and takes events only from that frame', () => {
    const prompts = host();
    prompts.show({ messageId: 12, kind: 'reason' });
    frames()[0]!.dispatchEvent(new Event('load'));
    const { card: id } = handed[0]!;
    // A frame the page made: it has no id, or names a wrong one.
    expect(prompts.placedAt(9)).toBeNull();
    expect(prompts.placedAt(9, 'forged-card-id')).toBeNull();
    // The card's page names it first; from then on only that frame is the card's.
    expect(prompts.placedAt(FRAME, id)).toEqual({ id, card: { kind: 'reason', messageId: 12 } });
    expect(prompts.placedAt(FRAME)).toEqual({ id, card: { kind: 'reason', messageId: 12 } });
    expect(prompts.placedAt(9, id)).toBeNull();
    prompts.receive({ card: id, frameId: 9, type: 'closed', outcome: 'saved' });
    expect(frames()).toHaveLength(1);
    prompts.receive({ card: id, frameId: FRAME, type: 'closed', outcome: 'saved' });
    expect(frames()).toHaveLength(0);
  });

  it('asks the background to focus the card in its frame, and posts nothing to it but the id', () => {
    const prompts = host();
    prompts.show({ messageId: 12, kind: 'reason', focus: true });
    // Not before the card's page is known.
    expect(focusRequests).toEqual([]);
    cardSays({ type: 'ready' });
    expect(focusRequests).toEqual([FRAME]);
    expect(document.activeElement).toBe(frames()[0]);
    expect(prompts.focus()).toBe(true);
    expect(focusRequests).toEqual([FRAME, FRAME]);
    expect(handed.every((message) => Object.keys(message).join() === 'source,card')).toBe(true);
  });

  it('replaces a prompt nobody touched with the next one', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason' });
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(shown()).toEqual(['reaction', '2']);
  });

  it('waits until a background tab is visible again before asking', () => {
    const prompts = host();
    hidden = true;
    prompts.show({ messageId: 7, kind: 'reaction' });
    expect(frames()).toHaveLength(0);
    hidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    expect(shown()).toEqual(['reaction', '7']);
  });

  it('announces the prompt to screen readers, and matches a dark site', () => {
    document.body.style.backgroundColor = 'rgb(33, 33, 33)';
    host().show({ messageId: 9, kind: 'reaction' });
    expect(document.querySelector('[role="status"]')!.textContent).toMatch(/asks for your reaction/);
    expect(new URL(frames()[0]!.src).searchParams.get('theme')).toBe('dark');
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    host().show({ messageId: 10, kind: 'reason' });
    expect(new URL(frames().at(-1)!.src).searchParams.get('theme')).toBe('light');
  });

  it('ignores events of a card it replaced', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason' });
    const first = cardLoads()!.id;
    prompts.show({ messageId: 2, kind: 'reason' });
    prompts.receive({ card: first, frameId: FRAME, type: 'closed', outcome: 'saved' });
    expect(shown()).toEqual(['reason', '2']);
  });

  it('relays only what the background validated: a malformed card event never gets past its schema', () => {
    const id = 'a'.repeat(36);
    expect(cardEventSchema.safeParse({ card: id, type: 'closed', outcome: 'exploded' }).success).toBe(false);
    expect(cardEventSchema.safeParse({ card: id, type: 'opened' }).success).toBe(false);
    expect(cardEventSchema.safeParse('closed').success).toBe(false);
    expect(cardEventSchema.safeParse({ card: id, type: 'closed', outcome: 'saved' }).success).toBe(true);
  });

  it('removes its prompt when the extension is updated or disabled', () => {
    host().show({ messageId: 3, kind: 'reason' });
    controller.abort();
    expect(frames()).toHaveLength(0);
  });
  it('never covers the composer, even where the card is taller than the space clear of it', () => {
    // A composer in the middle of the page, as on a new chat.
    const middle: Box = { x: 200, y: 300, width: 700, height: 100 };
    rects.set(composerForm()!, middle);
    host().show({ messageId: 4, kind: 'reason' });
    const frame = frames()[0]!;
    expect(frame.style.position).toBe('fixed');
    expect(intersection(frameBox(frame), middle)).toBeNull();
    expect(parseFloat(frame.style.height)).toBeGreaterThan(200);
  });

  it('sits beside the message it is about, follows it, and is pinned top-right while it is out of view', async () => {
    rects.set(composerForm()!, composerBox);
    const turn = document.createElement('section');
    document.body.prepend(turn);
    rects.set(turn, { x: 240, y: 160, width: 600, height: 120 });
    host().show({ messageId: 5, kind: 'reaction', anchor: turn });
    const frame = frames()[0]!;
    // No room to its right: below it, right-aligned with it, clear of the composer.
    await vi.waitFor(() => expect([frame.style.left, frame.style.top]).toEqual(['460px', '288px']));
    expect(intersection(frameBox(frame), composerBox)).toBeNull();

    // Scrolled up: the prompt follows; too little room below it now, so it goes above it.
    rects.set(turn, { x: 240, y: 420, width: 600, height: 120 });
    window.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect([frame.style.left, frame.style.top]).toEqual(['460px', '72px']));
    expect(intersection(frameBox(frame), composerBox)).toBeNull();

    // Scrolled out of view, then unmounted (a virtualized transcript): pinned top-right.
    rects.set(turn, { x: 240, y: -900, width: 600, height: 120 });
    window.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect([frame.style.top, frame.style.right]).toEqual(['72px', '16px']));
    rects.set(turn, { x: 240, y: 160, width: 600, height: 120 });
    window.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(frame.style.top).toBe('288px'));
    turn.remove();
    window.dispatchEvent(new Event('resize'));
    await vi.waitFor(() => expect([frame.style.top, frame.style.right, frame.style.left]).toEqual(['72px', '16px', 'auto']));
    expect(frame.style.position).toBe('fixed');
  });

  it('keeps the open prompt when its own message is asked about again', () => {
    const prompts = host();
    prompts.show({ messageId: 6, kind: 'reason' });
    const first = frames()[0];
    prompts.show({ messageId: 6, kind: 'reason', focus: true });
    expect(frames()).toEqual([first]);
  });
});

describe('one interruption per turn', () => {
  it('keeps the reason\'s card as a slim strip until the reply ends, then asks the reaction in it', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    const frame = frames()[0];
    cardTouched();
    cardClosed('saved');
    expect(shown()).toEqual(['waiting', '1']);
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(shown()).toEqual(['reaction', '2']);
    // The same card all along: it never appeared twice.
    expect(frames()[0]).toBe(frame);
    cardClosed('skipped');
    expect(frames()).toHaveLength(0);
  });

  it('asks the reaction right after a reason still being written is done', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    cardTouched();
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(shown()).toEqual(['reason', '1']);
    cardClosed('skipped');
    expect(shown()).toEqual(['reaction', '2']);
  });

  it('turns an untouched reason card into the reaction when the reply ends first', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(shown()).toEqual(['reaction', '2']);
  });

  it('closes for the turn when the strip is dismissed: the reply is not asked about', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    cardClosed('faded');
    expect(shown()).toEqual(['waiting', '1']);
    cardClosed('dismissed');
    expect(frames()).toHaveLength(0);
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(frames()).toHaveLength(0);
    // The next turn asks again.
    prompts.show({ messageId: 3, kind: 'reason', thenReaction: true });
    expect(shown()).toEqual(['reason', '3']);
  });

  it('lets the strip go when the turn ends without a question, and closes outright when no reaction follows', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    cardClosed('saved');
    prompts.endTurn();
    expect(frames()).toHaveLength(0);
    prompts.show({ messageId: 3, kind: 'reason', thenReaction: false });
    cardClosed('saved');
    expect(frames()).toHaveLength(0);
  });

  it('asks the task questions in a card of their own, announced, never in place of a turn\'s card', () => {
    const prompts = host();
    prompts.show({ kind: 'task', conversationId: 'c-1' });
    expect(shown()).toEqual(['task', 'c-1']);
    expect(frames()[0]!.title).toBe('ThoughtTrace: about the conversation you left');
    expect(document.querySelector('[role="status"]')!.textContent).toMatch(/two optional questions/);
    // A new turn's question takes the place of task questions nobody touched…
    prompts.show({ messageId: 1, kind: 'reason', thenReaction: true });
    expect(shown()).toEqual(['reason', '1']);
    // …but task questions wait for the turn's card to close, strip included.
    prompts.show({ kind: 'task', conversationId: 'c-2' });
    expect(shown()).toEqual(['reason', '1']);
    cardClosed('saved');
    expect(shown()).toEqual(['waiting', '1']);
    prompts.show({ messageId: 2, kind: 'reaction' });
    cardClosed('saved');
    expect(shown()).toEqual(['task', 'c-2']);
  });
});
