import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Capture, type CaptureOptions, type CaptureSink } from '../../utils/content/capture';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { ThoughtKind } from '../../utils/data/records';
import { createChatgptAdapter } from '../../utils/sites/chatgpt';
import { createStore, type Store } from '../../utils/background/store';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { loadFakeChatGPT, submitEdit, trusted, typeAndSend } from '../support/unit/fake-site';
import { recordingStore } from '../support/unit/store';

const chatgpt = createChatgptAdapter();

// The capture engine on the fake ChatGPT page, writing through the real store into IndexedDB.

const UUID = '0b6f9a5e-2d7c-4e1a-8f3b-5c6d7e8f9a0b';
const FAST: Partial<CaptureOptions> = { checkDelayMs: 5, historyDelayMs: 30, healthDelayMs: 80 };

let db: ThoughtTraceDb;
let store: Store;
let controller: AbortController;
let n = 0;

beforeEach(async () => {
  db = openDb(`capture-${Date.now()}-${++n}`);
  store = await recordingStore(db);
});
afterEach(async () => {
  controller?.abort();
  db.close();
  await db.delete();
});

function startCapture(options: Partial<CaptureOptions> = {}) {
  const asked: [string, ThoughtKind][] = [];
  /** What the turn's card is told besides the questions: whether a reason's reply follows, turn ends, leaving. */
  const events: string[] = [];
  const siteChanges: string[] = [];
  const degraded: string[][] = [];
  const errors: unknown[] = [];
  const sink: CaptureSink = {
    recordMessage: (data) => store.handle('recordMessage', data),
    recordHistory: (data) => store.handle('recordHistory', data),
    updateConversation: (data) => store.handle('updateConversation', data),
    askThought: (messageId, kind, thenReaction) => {
      if (kind === 'reason') events.push(thenReaction ? 'reason, then reaction' : 'reason only');
      void db.messages.get(messageId).then((m) => asked.push([m!.content, kind]));
    },
    endTurn: () => events.push('turn ended'),
    left: (conversationId) => events.push(`left ${conversationId}`),
    reportError: (error) => errors.push(error),
    reportDegraded: (what) => degraded.push([...what]),
    reportSiteChanged: (what) => siteChanges.push(what),
  };
  controller = new AbortController();
  const capture = new Capture(chatgpt, document, sink, controller.signal, { ...FAST, ...options });
  capture.start();
  return { capture, asked, events, siteChanges, degraded, errors };
}

const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

async function exported() {
  const lines = (await exportThoughtTrace(db)).trimEnd().split('\n').filter(Boolean);
  return lines.map((line) => JSON.parse(line) as { messages: { content: string; type: string }[] });
}
const contents = async () => (await exported()).map((c) => c.messages.map((m) => m.content));

describe('capture engine on ChatGPT', () => {
  it('records a prompt and its finished reply once each, asking for a reason and then a reaction', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked, events, errors } = startCapture();

    typeAndSend('Why is the sky blue?');
    await vi.waitFor(() => expect(asked).toEqual([['Why is the sky blue?', 'reason']]));
    // The reason's card is told the reply will be asked about too, so it stays for it.
    expect(events).toEqual(['reason, then reaction']);
    await chat.streamTokens('Rayleigh scattering of *short* wavelengths.', 3);
    await settle();
    expect(await db.messages.count()).toBe(1);

    await chat.finish('Rayleigh scattering of *short* wavelengths.');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    expect(asked[1]).toEqual(['Rayleigh scattering of *short* wavelengths.', 'reaction']);
    await settle();
    expect(await contents()).toEqual([['Why is the sky blue?', 'Rayleigh scattering of *short* wavelengths.']]);
    expect(errors).toEqual([]);
    expect(events).toEqual(['reason, then reaction']);
  });

  it('tells the card when a turn ends without asking about its reply', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    await store.handle('updateSettings', { ask: 'reasons' });
    const { asked, events } = startCapture();
    typeAndSend('Only a reason, please');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    expect(events).toEqual(['reason only']);
    await chat.stream('Fine.');
    await vi.waitFor(() => expect(events).toEqual(['reason only', 'turn ended']));
    expect(asked).toEqual([['Only a reason, please', 'reason']]);
  });

  it('keeps a prompt sent the moment the previous reply finished', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked } = startCapture();
    typeAndSend('q1');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await chat.stream('a1');
    // Sent before the reply's settle time is over.
    typeAndSend('q2');
    await chat.stream('a2');
    await vi.waitFor(async () => expect(await contents()).toEqual([['q1', 'a1', 'q2', 'a2']]));
  });

  it('records history already on the page as context, once, without prompts', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, {
      hydrateDelayMs: 40,
      history: [
        { type: 'user', content: 'Old question' },
        { type: 'assistant', content: 'Old answer' },
      ],
    });
    const { asked } = startCapture();
    await vi.waitFor(async () => expect(await contents()).toEqual([['Old question', 'Old answer']]));
    // A second look at the same page (a revisit) adds nothing.
    controller.abort();
    const second = startCapture();
    await settle(200);
    expect(await db.messages.count()).toBe(2);
    expect([...asked, ...second.asked]).toEqual([]);
    expect((await db.messages.toArray()).every((m) => m.source === 'history')).toBe(true);
  });

  it('continues an opened conversation after its history', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, {
      history: [
        { type: 'user', content: 'q1' },
        { type: 'assistant', content: 'a1' },
      ],
    });
    const { asked } = startCapture();
    await vi.waitFor(async () => expect(await db.messages.count()).toBe(2));
    typeAndSend('q2');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await chat.stream('a2');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    expect(await contents()).toEqual([['q1', 'a1', 'q2', 'a2']]);
  });

  it('keeps an edited prompt as a new version with its own reason; the export follows the edit', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked } = startCapture();
    typeAndSend('q1');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await chat.stream('a1');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    typeAndSend('q2');
    await vi.waitFor(() => expect(asked).toHaveLength(3));
    await chat.stream('a2');
    await vi.waitFor(() => expect(asked).toHaveLength(4));

    chat.openEdit(1, 'q2, better');
    submitEdit();
    await vi.waitFor(() => expect(asked).toHaveLength(5));
    expect(asked[4]).toEqual(['q2, better', 'reason']);
    await chat.stream('a2 for the better q2');
    await vi.waitFor(() => expect(asked).toHaveLength(6));
    expect(await contents()).toEqual([['q1', 'a1', 'q2, better', 'a2 for the better q2']]);
    expect(await db.messages.count()).toBe(6);
  });

  it('keeps a regenerated reply as a new version and asks only for a reaction', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked } = startCapture();
    typeAndSend('q1');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await chat.stream('first try');
    await vi.waitFor(() => expect(asked).toHaveLength(2));

    chat.regenerate();
    await chat.stream('second try');
    await vi.waitFor(() => expect(asked).toHaveLength(3));
    expect(asked[2]).toEqual(['second try', 'reaction']);
    expect(await contents()).toEqual([['q1', 'second try']]);
    expect((await db.messages.toArray()).map((m) => m.content)).toEqual(['q1', 'first try', 'second try']);
  });

  it('links a new chat to the id the site assigns after the first reply', async () => {
    const chat = await loadFakeChatGPT('https://chatgpt.com/');
    const { capture, asked } = startCapture();
    typeAndSend('Name a cat');
    capture.onNavigate(new URL(location.href));
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await chat.stream('Miso');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    await vi.waitFor(() => expect(location.pathname).toMatch(/^\/c\/[0-9a-f-]{36}$/));
    capture.onNavigate(new URL(location.href));
    await settle(200);
    const [conversation] = await db.conversations.toArray();
    expect(await db.conversations.count()).toBe(1);
    expect(conversation!.siteConversationId).toBe(location.pathname.slice(3));
    expect(await contents()).toEqual([['Name a cat', 'Miso']]);
  });

  it('starts over when the participant switches to another conversation', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { capture, asked, events } = startCapture();
    typeAndSend('First');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    const first = capture.conversation;
    expect(first).toMatchObject({ site: 'chatgpt', siteConversationId: UUID });
    expect(first!.conversationId).toEqual(expect.any(String));
    // The site swaps the transcript; the first conversation's reply never arrives here.
    history.pushState({}, '', `/c/${crypto.randomUUID()}`);
    document.getElementById('turns')!.replaceChildren();
    capture.onNavigate(new URL(location.href));
    // The turn in flight is over for this page, and the conversation was left (its task questions may be due).
    expect(events).toEqual(['reason, then reaction', 'turn ended', `left ${first!.conversationId}`]);
    expect(capture.conversation).toEqual({ site: 'chatgpt', siteConversationId: location.pathname.slice(3), conversationId: null });
    await chat.finish('Late reply');
    await settle();
    expect(asked).toHaveLength(1);
    typeAndSend('Second');
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    expect(await contents()).toEqual([['First'], ['Second']]);
  });

  it('captures nothing in a temporary chat', async () => {
    const chat = await loadFakeChatGPT('https://chatgpt.com/?temporary-chat=true');
    const { capture, asked } = startCapture();
    expect(capture.status.kind).toBe('private');
    typeAndSend('Secret');
    await chat.stream('Reply');
    await settle();
    expect(await db.messages.count()).toBe(0);
    expect(asked).toEqual([]);
  });

  it('asks nothing while capture is paused', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    await store.handle('setPaused', { paused: true });
    const { asked } = startCapture();
    typeAndSend('Hello');
    await chat.stream('Hi');
    await settle();
    expect(asked).toEqual([]);
    expect(await db.messages.count()).toBe(0);
  });

  it('without the composer, asks nothing but still records what the page shows, and says the composer is missing', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const composer = document.getElementById('prompt-textarea')!;
    composer.setAttribute('id', 'composer-v2');
    const { capture, asked, siteChanges, degraded } = startCapture();
    await vi.waitFor(() => expect(degraded).toEqual([['composer']]));
    expect(capture.status).toMatchObject({ siteChanged: null, degraded: ['composer'] });
    composer.textContent = 'Hello';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    composer.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    await chat.stream('Hi');
    await vi.waitFor(async () => expect((await exported())[0]?.messages.map((m) => m.content)).toEqual(['Hello', 'Hi']));
    expect(asked).toEqual([]);
    expect(siteChanges).toEqual([]);
    expect((await db.messages.toArray()).map((m) => m.source)).toEqual(['history', 'history']);
  });

  it('stops capturing and names what is missing when no turn can be found on a transcript', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, { history: [{ type: 'user', content: 'q1' }, { type: 'assistant', content: 'a1' }] });
    await vi.waitFor(() => expect(document.querySelectorAll('[data-turn]')).toHaveLength(2));
    // A redesign that renamed every turn attribute the adapter knows.
    for (const el of document.querySelectorAll('[data-turn], [data-message-author-role], [data-testid^="conversation-turn-"]')) {
      for (const name of ['data-turn', 'data-turn-id', 'data-message-author-role', 'data-message-id', 'data-testid']) el.removeAttribute(name);
    }
    const { capture, siteChanges } = startCapture();
    await vi.waitFor(() => expect(siteChanges).toEqual(['conversation turns']));
    expect(capture.status.siteChanged).toBe('conversation turns');
    await settle();
    expect(await db.messages.count()).toBe(0);
  });

  it('names a wrapper it had to do without and goes on capturing', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, { history: [{ type: 'user', content: 'q1' }, { type: 'assistant', content: 'a1' }] });
    await vi.waitFor(() => expect(document.querySelectorAll('[data-turn]')).toHaveLength(2));
    document.querySelector('[data-scroll-root]')!.removeAttribute('data-scroll-root');
    document.getElementById('thread')!.id = 'thread-2027';
    const { capture, degraded } = startCapture();
    await vi.waitFor(() => expect(degraded).toEqual([['thread']]));
    expect(capture.status.siteChanged).toBeNull();
    await vi.waitFor(async () => expect((await exported())[0]?.messages.map((m) => m.content)).toEqual(['q1', 'a1']));
  });

  it('records a reply whose action bar never shows once the site stopped generating and it stayed quiet', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked } = startCapture({ stoppedQuietMs: 200 });
    typeAndSend('Research the tides');
    await vi.waitFor(() => expect(asked).toEqual([['Research the tides', 'reason']]));
    await chat.stream('The tides follow the moon.', { actionBar: false });
    await vi.waitFor(() => expect(asked).toEqual([['Research the tides', 'reason'], ['The tides follow the moon.', 'reaction']]));
  });

  it('ignores keys and clicks a page script dispatched', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { asked } = startCapture();
    const composer = document.getElementById('prompt-textarea')!;
    composer.textContent = 'Sent by the page';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await chat.stream('A reply');
    await settle();
    expect(asked).toEqual([]);
  });

  it('does not call a slow page broken, and recovers when the page is complete', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const composer = document.getElementById('prompt-textarea')!;
    composer.remove();
    const { capture, degraded } = startCapture();
    await vi.waitFor(() => expect(capture.status.degraded).toEqual(['composer']));
    document.querySelector('form[data-type="unified-composer"]')!.prepend(composer);
    await vi.waitFor(() => expect(capture.status.degraded).toEqual([]));
    expect(degraded).toEqual([['composer']]);
  });
});
