import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CardContext } from '../../utils/protocol/messages';
import type { ThoughtKind } from '../../utils/data/records';

// The component imports sendMessage through the '@/' alias; the WxtVitest plugin resolves it, so
// this mock replaces the module the component actually sees.
const { sendMessage, onMessage, received } = vi.hoisted(() => {
  /** The card's listeners for what the background sends it, by message type. */
  const received = new Map<string, (message: { data: unknown }) => void>();
  const onMessage = vi.fn((type: string, listener: (message: { data: unknown }) => void) => {
    received.set(type, listener);
    return () => received.delete(type);
  });
  return { sendMessage: vi.fn(), onMessage, received };
});
vi.mock('@/utils/protocol/messages', () => ({ sendMessage, onMessage }));

import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bindCard } from '../../components/card/frame';
import { ThoughtCard } from '../../components/card/ThoughtCard';
import { TAKE_FOCUS } from '../../utils/protocol/card';

/** The card as the background bound it: its id (which its events name), its tab and frame. */
const CARD = 'card-under-test';
const BOUND = { tabId: 3, frameId: 7 };
/** What the card's port to the background hears. */
let portListeners: ((message: unknown) => void)[] = [];

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const MESSAGE_ID = 42;

type Handler = (data: unknown) => unknown;

interface Setup {
  kind?: ThoughtKind;
  context?: Partial<CardContext>;
  handlers?: Record<string, Handler>;
}

let root: Root | null = null;
let container: HTMLElement | null = null;
let posted: Record<string, unknown>[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  posted = [];
  portListeners = [];
  vi.spyOn(fakeBrowser.runtime, 'connect').mockReturnValue({
    onMessage: { addListener: (listener: (message: unknown) => void) => void portListeners.push(listener) },
  } as never);
  bindCard({ id: CARD, card: { kind: 'reason', messageId: 42 }, ...BOUND });
});

afterEach(() => {
  act(() => root?.unmount());
  root = null;
  container?.remove();
  container = null;
  document.body.innerHTML = '';
  sendMessage.mockReset();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Renders the prompt and lets getCardContext resolve. */
async function renderCard({ kind = 'reason', context = {}, handlers = {} }: Setup = {}) {
  const fullContext: CardContext = {
    excerpt: 'How do I sort a list?',
    draft: null,
    timeoutSeconds: 20,
    conversationId: 'conv-1',
    thoughts: [],
    ...context,
  };
  const defaults: Record<string, Handler> = {
    getCardContext: () => fullContext,
    saveDraft: () => undefined,
    discardDraft: () => undefined,
    addThought: () => 7,
  };
  sendMessage.mockImplementation(async (name: string, data: unknown) => {
    // What the prompt tells its host, through the background.
    if (name === 'cardEvent') return void posted.push(data as Record<string, unknown>);
    const handler = handlers[name] ?? defaults[name];
    if (!handler) throw new Error(`unexpected message ${name}`);
    return handler(data);
  });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root!.render(<ThoughtCard messageId={MESSAGE_ID} kind={kind} />);
  });
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  return ui();
}

function ui() {
  const dialog = container!.querySelector<HTMLElement>('[role="dialog"]')!;
  const textbox = container!.querySelector<HTMLTextAreaElement>('textarea')!;
  const button = (name: string) =>
    [...container!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === name)!;
  return { dialog, textbox, save: button('Save'), skip: button('Skip') };
}

function accessibleName(element: HTMLElement) {
  const ids = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

async function type(textbox: HTMLTextAreaElement, value: string) {
  await act(async () => {
    // Set through the native setter so React's value tracker sees a real change.
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(textbox), 'value')!.set!;
    setter.call(textbox, value);
    textbox.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function press(target: HTMLElement, key: string, init: KeyboardEventInit = {}) {
  await act(async () => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

async function click(button: HTMLButtonElement) {
  await act(async () => {
    button.click();
  });
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

const calls = (name: string) => sendMessage.mock.calls.filter(([n]) => n === name).map(([, data]) => data);
/** The `name` messages sent after the first `after` message (all of them if there was none). */
const callsAfter = (after: string, name: string) => {
  const from = sendMessage.mock.calls.findIndex(([n]) => n === after);
  return sendMessage.mock.calls.slice(from + 1).filter(([n]) => n === name);
};
const ofType = (type: string) => posted.filter((m) => m.type === type).map(({ card, ...rest }) => rest);

describe('ThoughtCard', () => {
  it.each([
    ['reason', /reason/i],
    ['reaction', /reaction/i],
  ] as const)('is a labelled %s dialog with one textbox, Save and Skip, and never steals focus', async (kind, name) => {
    const composer = document.createElement('textarea');
    document.body.append(composer);
    composer.focus();

    const { dialog, save, skip } = await renderCard({ kind });

    expect(dialog).not.toBeNull();
    expect(accessibleName(dialog)).toMatch(name);
    expect(dialog.querySelectorAll('textarea, input, [role="textbox"], [contenteditable="true"]')).toHaveLength(1);
    expect(save).toBeDefined();
    expect(skip).toBeDefined();
    const textbox = dialog.querySelector('textarea')!;
    expect(textbox.getAttribute('aria-label')).toMatch(name);
    expect(document.activeElement).not.toBe(textbox);
    expect(document.activeElement).toBe(composer);
    expect(sendMessage).toHaveBeenCalledWith('getCardContext', { messageId: MESSAGE_ID, kind });
  });

  it('restores a saved draft into the textbox', async () => {
    const { textbox, save } = await renderCard({
      context: { draft: { content: 'I was stuck on the API', label: '' } },
    });
    expect(textbox.value).toBe('I was stuck on the API');
    expect(save.disabled).toBe(false);
  });

  it('saves the draft from the first keystroke on, without waiting for a pause', async () => {
    const { textbox } = await renderCard();
    const draft = (content: string) => ({ messageId: MESSAGE_ID, kind: 'reason', content, label: '' });

    await type(textbox, 'B');
    expect(calls('saveDraft')).toEqual([draft('B')]);
    await type(textbox, 'Because I');
    expect(calls('saveDraft')).toEqual([draft('B'), draft('Because I')]);
    await type(textbox, 'Because I wanted');
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
    });
    expect(calls('saveDraft')).toEqual([draft('B'), draft('Because I'), draft('Because I wanted')]);
    // Nothing is saved twice.
    await advance(1000);
    expect(calls('saveDraft')).toHaveLength(3);
  });

  it('disables Save while empty and saves the trimmed text with Ctrl+Enter, then closes', async () => {
    const { textbox, save } = await renderCard({ kind: 'reaction' });
    expect(save.disabled).toBe(true);
    await type(textbox, '   \n ');
    expect(save.disabled).toBe(true);
    await press(textbox, 'Enter', { ctrlKey: true });
    expect(calls('addThought')).toEqual([]);
    expect(ofType('closed')).toEqual([]);

    await type(textbox, '  Helpful, but missed edge cases \n');
    expect(save.disabled).toBe(false);
    await press(textbox, 'Enter', { ctrlKey: true });

    expect(calls('addThought')).toEqual([
      { messageId: MESSAGE_ID, kind: 'reaction', content: 'Helpful, but missed edge cases', label: '' },
    ]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'saved' }]);
    // The thought is saved; no draft is written after it.
    await advance(1000);
    expect(callsAfter('addThought', 'saveDraft')).toEqual([]);
  });

  it('saves with Cmd+Enter but not with plain or Shift+Enter, which stay line breaks', async () => {
    const { textbox } = await renderCard();
    await type(textbox, 'line one');
    await press(textbox, 'Enter');
    await press(textbox, 'Enter', { shiftKey: true });
    expect(calls('addThought')).toEqual([]);
    expect(ofType('closed')).toEqual([]);

    await press(textbox, 'Enter', { metaKey: true });
    expect(calls('addThought')).toEqual([{ messageId: MESSAGE_ID, kind: 'reason', content: 'line one', label: '' }]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'saved' }]);
  });

  it('saves with the Save button', async () => {
    const { textbox, save } = await renderCard();
    await type(textbox, 'Curious');
    await click(save);
    expect(calls('addThought')).toEqual([{ messageId: MESSAGE_ID, kind: 'reason', content: 'Curious', label: '' }]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'saved' }]);
  });

  it('stays open with an alert, keeps the text and saves a draft when saving fails', async () => {
    const { textbox, save } = await renderCard({
      handlers: {
        addThought: () => {
          throw new Error('background asleep');
        },
      },
    });
    await type(textbox, 'My reason ');
    await press(textbox, 'Enter', { ctrlKey: true });

    expect(calls('addThought')).toHaveLength(1);
    expect(ofType('closed')).toEqual([]);
    const alert = container!.querySelector('[role="alert"]');
    expect(alert?.textContent).toMatch(/could not save/i);
    expect(textbox.value).toBe('My reason ');
    expect(save.disabled).toBe(false);
    expect(callsAfter('addThought', 'saveDraft')).toEqual([['saveDraft', { messageId: MESSAGE_ID, kind: 'reason', content: 'My reason ', label: '' }]]);
  });

  it('Escape with text skips and keeps the draft', async () => {
    const { textbox } = await renderCard();
    await type(textbox, 'half a thought');
    await press(textbox, 'Escape');

    expect(calls('saveDraft').at(-1)).toEqual({ messageId: MESSAGE_ID, kind: 'reason', content: 'half a thought', label: '' });
    expect(calls('discardDraft')).toEqual([]);
    expect(calls('addThought')).toEqual([]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'skipped' }]);
  });

  it('Escape with a restored draft keeps it even if it was never edited', async () => {
    const { textbox } = await renderCard({ context: { draft: { content: 'old draft', label: '' } } });
    await press(textbox, 'Escape');
    expect(calls('saveDraft')).toEqual([{ messageId: MESSAGE_ID, kind: 'reason', content: 'old draft', label: '' }]);
    expect(calls('discardDraft')).toEqual([]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'skipped' }]);
  });

  it('Escape (or Skip) with no text discards the draft', async () => {
    const { textbox, skip } = await renderCard({ kind: 'reaction' });
    await type(textbox, 'x');
    await type(textbox, '  ');
    await press(textbox, 'Escape');

    expect(calls('discardDraft')).toEqual([{ messageId: MESSAGE_ID, kind: 'reaction' }]);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'skipped' }]);
    // No draft is written after the discard.
    await advance(1000);
    expect(callsAfter('discardDraft', 'saveDraft')).toEqual([]);

    await click(skip);
    expect(calls('discardDraft')).toHaveLength(2);
    expect(ofType('closed')).toHaveLength(2);
  });

  it('skips with the Skip button and keeps a typed draft', async () => {
    const { textbox, skip } = await renderCard();
    await type(textbox, 'later');
    await click(skip);
    expect(calls('saveDraft').at(-1)).toEqual({ messageId: MESSAGE_ID, kind: 'reason', content: 'later', label: '' });
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'skipped' }]);
  });

  it('fades away after timeoutSeconds when untouched', async () => {
    const { dialog } = await renderCard({ context: { timeoutSeconds: 5 } });
    await advance(4999);
    expect(dialog.className).toContain('opacity-100');
    expect(ofType('closed')).toEqual([]);

    await advance(1);
    expect(dialog.className).toContain('opacity-0');
    expect(ofType('closed')).toEqual([]);

    await advance(600);
    expect(ofType('closed')).toEqual([{ type: 'closed', outcome: 'faded' }]);
    expect(ofType('touched')).toEqual([]);
  });

  it('never fades once typed into', async () => {
    const { dialog, textbox } = await renderCard({ context: { timeoutSeconds: 5 } });
    await advance(2000);
    await type(textbox, 'a');
    await advance(60_000);
    expect(dialog.className).toContain('opacity-100');
    expect(ofType('closed')).toEqual([]);
  });

  it('never fades once focused', async () => {
    const { dialog, textbox } = await renderCard({ context: { timeoutSeconds: 5 } });
    await act(async () => textbox.focus());
    await advance(60_000);
    expect(dialog.className).toContain('opacity-100');
    expect(ofType('closed')).toEqual([]);
  });

  it('tells the host it was touched once, on the first interaction', async () => {
    const { dialog, textbox } = await renderCard();
    expect(ofType('touched')).toEqual([]);
    // It says it rendered, and never its size: its frame's height is fixed per kind.
    expect(ofType('ready')).toEqual([{ type: 'ready' }]);
    expect(posted.some((m) => 'height' in m)).toBe(false);

    await act(async () => {
      dialog.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    });
    expect(ofType('touched')).toEqual([{ type: 'touched' }]);

    await act(async () => textbox.focus());
    await type(textbox, 'more');
    await advance(1000);
    expect(ofType('touched')).toHaveLength(1);
  });

  it('typing alone counts as the first interaction', async () => {
    const { textbox } = await renderCard();
    await type(textbox, 'a');
    await type(textbox, 'ab');
    expect(ofType('touched')).toHaveLength(1);
  });

  describe('the focus shortcut', () => {
    /** The frame focused (the content script does it, and so can the page): nothing in the card has focus. */
    const frameFocused = () =>
      act(async () => {
        window.dispatchEvent(new FocusEvent('focus'));
      });
    /** The background passing on the shortcut: by runtime broadcast naming a tab and frame, or over the card's port. */
    const broadcast = (target: { tabId: number; frameId: number }) => act(async () => received.get('takeFocus')!({ data: target }));
    const overPort = (message: unknown) => act(async () => portListeners.forEach((listener) => listener(message)));

    it('does not take the keyboard when only its frame is focused: the page can focus a frame', async () => {
      const { textbox } = await renderCard({ context: { timeoutSeconds: 5 } });
      await frameFocused();
      expect(document.activeElement).not.toBe(textbox);
    });

    it('puts the keyboard in the textbox when the background says so, for this card only', async () => {
      const { textbox } = await renderCard({ context: { timeoutSeconds: 5 } });
      // A message posted in the window (the page can post to the card) does nothing.
      await act(async () => void window.dispatchEvent(new MessageEvent('message', { data: { source: 'thoughttrace-host', type: 'focus', card: CARD }, source: window.parent })));
      await broadcast({ tabId: BOUND.tabId, frameId: 99 });
      await broadcast({ tabId: 99, frameId: BOUND.frameId });
      await overPort('something else');
      expect(document.activeElement).not.toBe(textbox);
      await broadcast(BOUND);
      expect(document.activeElement).toBe(textbox);
      expect(ofType('touched')).toHaveLength(1);
      // Focused from the shortcut: it no longer fades.
      await advance(60_000);
      expect(ofType('closed')).toEqual([]);
    });

    it('takes the keyboard when the request comes over its port (Firefox)', async () => {
      const { textbox } = await renderCard();
      await overPort(TAKE_FOCUS);
      expect(document.activeElement).toBe(textbox);
    });

    it('leaves focus where a click inside the card put it', async () => {
      const { textbox } = await renderCard();
      const skip = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Skip')!;
      act(() => skip.focus());
      await broadcast(BOUND);
      expect(document.activeElement).toBe(skip);
      expect(document.activeElement).not.toBe(textbox);
    });

    it('names its card in every event, so the host ignores a card it replaced', async () => {
      await renderCard();
      expect(posted.length).toBeGreaterThan(0);
      expect(posted.every((m) => m.card === CARD)).toBe(true);
    });
  });
});

describe('races a participant can run into', () => {
  it('comes back when touched while it is fading, and does not close', async () => {
    const { dialog, textbox } = await renderCard({ context: { timeoutSeconds: 5 } });
    await advance(5000);
    expect(dialog.className).toContain('opacity-0');
    await type(textbox, 'wait, I have something');
    await advance(2000);
    expect(dialog.className).toContain('opacity-100');
    expect(posted.filter((m) => m.type === 'closed')).toEqual([]);
  });

  it('keeps words typed before a slow context arrives instead of the older draft', async () => {
    let resolveContext: (context: CardContext) => void = () => undefined;
    const { textbox } = await renderCard({
      handlers: { getCardContext: () => new Promise<CardContext>((resolve) => (resolveContext = resolve)) },
    });
    await type(textbox, 'new words');
    await act(async () => {
      resolveContext({ excerpt: 'x', draft: { content: 'old draft', label: '' }, timeoutSeconds: 20, conversationId: 'c', thoughts: [] });
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(textbox.value).toBe('new words');
  });

  it('ignores Escape while a save is in flight, so the saved thought leaves no stale draft', async () => {
    let finishSave: () => void = () => undefined;
    const { textbox, skip } = await renderCard({
      handlers: { addThought: () => new Promise<number>((resolve) => (finishSave = () => resolve(7))) },
    });
    await type(textbox, 'done');
    await press(textbox, 'Enter', { ctrlKey: true });
    expect(skip.disabled).toBe(true);
    await press(textbox, 'Escape');
    await act(async () => {
      finishSave();
      await vi.advanceTimersByTimeAsync(0);
    });
    await advance(1000);
    expect(posted.filter((m) => m.type === 'closed')).toEqual([expect.objectContaining({ outcome: 'saved' })]);
    expect(callsAfter('addThought', 'saveDraft')).toEqual([]);
  });
});

describe('categories and asking less', () => {
  it('offers the reason categories with descriptions; none is required, a chosen one is saved', async () => {
    const { textbox } = await renderCard();
    const chips = [...container!.querySelectorAll<HTMLButtonElement>('[role="group"][aria-label="Category (optional)"] button')];
    expect(chips.map((c) => c.textContent)).toEqual([
      'Task Motivation & Goal',
      'Context Grounding & Constraints',
      'Content Expectation',
      'Style Expectation',
      'Task Continuation',
      'Task Reorientation',
      'Social & Others',
    ]);
    await act(async () => chips[2]!.focus());
    expect(document.getElementById('tt-label-help')!.textContent).toMatch(/content you expect/);
    await type(textbox, 'I need facts');
    await click(chips[2]!);
    expect(chips[2]!.getAttribute('aria-pressed')).toBe('true');
    await press(textbox, 'Enter', { ctrlKey: true });
    expect(sendMessage).toHaveBeenCalledWith('addThought', { messageId: MESSAGE_ID, kind: 'reason', content: 'I need facts', label: 'content_expectation' });
  });

  it('offers the five reaction categories for a reply, and a second click clears the choice', async () => {
    const { textbox } = await renderCard({ kind: 'reaction' });
    const chips = [...container!.querySelectorAll<HTMLButtonElement>('[aria-label="Category (optional)"] button')];
    expect(chips).toHaveLength(5);
    await click(chips[0]!);
    await click(chips[0]!);
    await type(textbox, 'fine');
    await press(textbox, 'Enter', { ctrlKey: true });
    expect(sendMessage).toHaveBeenCalledWith('addThought', { messageId: MESSAGE_ID, kind: 'reaction', content: 'fine', label: '' });
  });

  it('shows what was already written about the message', async () => {
    await renderCard({ context: { thoughts: [{ id: 1, content: 'Earlier reason', label: 'task_motivation' }] } });
    expect(container!.querySelector('[aria-label="Reasons you wrote"]')!.textContent).toBe('Task Motivation & Goal: Earlier reason');
  });

  it('snoozes, or goes quiet in this conversation, in one click and closes', async () => {
    await renderCard();
    const menuButton = [...container!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Ask less…')!;
    await click(menuButton);
    const item = (name: string) => [...container!.querySelectorAll<HTMLButtonElement>('#tt-menu button')].find((b) => b.textContent === name)!;
    await click(item('Not in this conversation'));
    expect(sendMessage).toHaveBeenCalledWith('setConversationQuiet', { conversationId: 'conv-1', quiet: true });
    // Closed for the whole turn: the reply is not asked about either.
    expect(posted.filter((m) => m.type === 'closed')).toEqual([expect.objectContaining({ outcome: 'dismissed' })]);
  });

  it('stops asking for reasons from a reason, and still asks about this reply', async () => {
    await renderCard();
    const menuButton = [...container!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Ask less…')!;
    await click(menuButton);
    const item = [...container!.querySelectorAll<HTMLButtonElement>('#tt-menu button')].find((b) => b.textContent === 'Stop asking for reasons')!;
    await click(item);
    expect(sendMessage).toHaveBeenCalledWith('updateSettings', { ask: 'reactions' });
    expect(posted.filter((m) => m.type === 'closed')).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
  });
});
