import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { RequestData } from '../../utils/protocol/requests';
import { DEFAULT_SETTINGS, MAX_MESSAGE_CHARS, MAX_THOUGHT_CHARS } from '../../utils/data/records';
import { createStore, InvalidRequestError, type Store } from '../../utils/background/store';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { recordingStore } from '../support/unit/store';

// A clock the test moves by hand, so timestamps are exact.
function manualClock(start = '2026-04-01T10:00:00.000Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso: string) => {
      current = new Date(iso);
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

let dbCounter = 0;
let db: ThoughtTraceDb;
let clock: ReturnType<typeof manualClock>;
let store: Store;

beforeEach(async () => {
  db = openDb(`store-test-${Date.now()}-${++dbCounter}`);
  clock = manualClock();
  store = await recordingStore(db, clock.now);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** Every row of every table, to prove a rejected request wrote nothing. */
async function dump() {
  return {
    conversations: await db.conversations.toArray(),
    messages: await db.messages.toArray(),
    thoughts: await db.thoughts.toArray(),
    drafts: await db.drafts.toArray(),
    settings: await db.settings.toArray(),
  };
}

async function counts() {
  return {
    conversations: await db.conversations.count(),
    messages: await db.messages.count(),
    thoughts: await db.thoughts.count(),
    drafts: await db.drafts.count(),
    settings: await db.settings.count(),
  };
}

const userPrompt = (overrides: Partial<RequestData<'recordMessage'>> = {}): RequestData<'recordMessage'> => ({
  site: 'chatgpt',
  conversationId: null,
  siteConversationId: null,
  title: '',
  modelName: 'GPT-5.4',
  role: 'user',
  content: 'How do I strain 30 litres of soy milk faster?',
  siteMessageId: null,
  ...overrides,
});

async function record(overrides: Partial<RequestData<'recordMessage'>> = {}) {
  const result = await store.handle('recordMessage', userPrompt(overrides));
  if (!result.captured) throw new Error('expected the message to be captured');
  return result;
}

/** A conversation with one user prompt and one reply. */
async function chat(siteConversationId: string) {
  const prompt = await record({ siteConversationId });
  clock.advance(1000);
  const reply = await record({
    conversationId: prompt.conversationId,
    siteConversationId,
    role: 'assistant',
    content: 'Use a press.',
  });
  clock.advance(1000);
  return { conversationId: prompt.conversationId, userMessageId: prompt.messageId, replyMessageId: reply.messageId };
}

describe('recordMessage', () => {
  it('creates one OpenAI conversation for a new chat, then links the site id on the next message', async () => {
    const first = await record();
    expect(first).toEqual({ captured: true, conversationId: expect.any(String), messageId: expect.any(Number), ask: true, thenReaction: true });
    expect(await db.conversations.count()).toBe(1);
    const created = (await db.conversations.get(first.conversationId))!;
    expect(created).toMatchObject({
      site: 'chatgpt',
      siteConversationId: null,
      modelName: 'GPT-5.4',
      modelProvider: 'OpenAI',
      createdAt: '2026-04-01T10:00:00.000+00:00',
      updatedAt: '2026-04-01T10:00:00.000+00:00',
      taskSummary: '',
      taskExpectation: '',
    });
    // The dataset id is opaque, never the site's.
    expect(created.id).not.toBe('6a1b2c3d-site-uuid');

    clock.advance(5000);
    const second = await record({
      conversationId: first.conversationId,
      siteConversationId: '6a1b2c3d-site-uuid',
      role: 'assistant',
      content: 'Use a press.',
      title: 'Straining soy milk',
    });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.messageId).not.toBe(first.messageId);
    expect(await db.conversations.count()).toBe(1);
    expect(await db.conversations.get(first.conversationId)).toMatchObject({
      siteConversationId: '6a1b2c3d-site-uuid',
      title: 'Straining soy milk',
      createdAt: '2026-04-01T10:00:00.000+00:00',
      updatedAt: '2026-04-01T10:00:05.000+00:00',
    });

    const messages = await db.messages.where('conversationId').equals(first.conversationId).sortBy('order');
    expect(messages.map((m) => [m.order, m.role, m.content])).toEqual([
      [0, 'user', 'How do I strain 30 litres of soy milk faster?'],
      [1, 'assistant', 'Use a press.'],
    ]);
    expect(messages.map((m) => m.timestamp)).toEqual(['2026-04-01T10:00:00.000Z', '2026-04-01T10:00:05.000Z']);
    expect(messages.map((m) => m.datasetId)).toEqual([Date.parse('2026-04-01T10:00:00.000Z'), Date.parse('2026-04-01T10:00:05.000Z')]);
  });

  it('keeps dataset ids strictly increasing when the clock returns the same instant', async () => {
    const first = await record();
    const second = await record({ conversationId: first.conversationId, role: 'assistant', content: 'a' });
    const third = await record({ conversationId: first.conversationId, content: 'b' });
    const ids = (await db.messages.where('conversationId').equals(first.conversationId).sortBy('order')).map(
      (m) => m.datasetId,
    );
    const t = Date.parse('2026-04-01T10:00:00.000Z');
    expect(ids).toEqual([t, t + 1, t + 2]);
    expect(new Set([first.messageId, second.messageId, third.messageId]).size).toBe(3);

    // Even if the clock goes backwards, ids keep increasing, and the export validates.
    clock.set('2026-03-01T00:00:00.000Z');
    await record({ conversationId: first.conversationId, role: 'assistant', content: 'c' });
    const after = (await db.messages.where('conversationId').equals(first.conversationId).sortBy('order')).map(
      (m) => m.datasetId,
    );
    expect(after).toEqual([t, t + 1, t + 2, t + 3]);
  });

  it('finds the existing conversation from a known site conversation id alone', async () => {
    const first = await record({ siteConversationId: 'site-abc' });
    clock.advance(1000);
    const again = await record({ siteConversationId: 'site-abc', role: 'assistant', content: 'reply' });
    expect(again.conversationId).toBe(first.conversationId);
    expect(await db.conversations.count()).toBe(1);
    const orders = (await db.messages.where('conversationId').equals(first.conversationId).sortBy('order')).map(
      (m) => m.order,
    );
    expect(orders).toEqual([0, 1]);

    // A different site id is a different chat.
    const other = await record({ siteConversationId: 'site-xyz' });
    expect(other.conversationId).not.toBe(first.conversationId);
    expect(await db.conversations.count()).toBe(2);
  });

  it('captures nothing while paused, and captures again after resuming', async () => {
    await store.handle('setPaused', { paused: true });
    const before = await dump();
    expect(await store.handle('recordMessage', userPrompt())).toEqual({ captured: false, reason: 'paused' });
    expect(await dump()).toEqual(before);
    expect(await store.handle('getStatus', undefined)).toMatchObject({ paused: true, conversations: 0, thoughts: 0, tasksUnanswered: 0 });

    await store.handle('setPaused', { paused: false });
    expect((await store.handle('recordMessage', userPrompt())).captured).toBe(true);
    expect(await store.handle('getStatus', undefined)).toMatchObject({ paused: false, conversations: 1, thoughts: 0, tasksUnanswered: 1 });
  });
});

describe('handle() rejects malformed requests and writes nothing', () => {
  // `field`: what the error must say, naming the offending field.
  const cases: { name: string; type: string; data: unknown; field: string | RegExp }[] = [
    { name: 'unknown site', type: 'recordMessage', data: userPrompt({ site: 'bing' as 'chatgpt' }), field: '→ at site' },
    { name: 'wrong type', type: 'recordMessage', data: { ...userPrompt(), title: 42 }, field: '→ at title' },
    { name: 'unknown key', type: 'recordMessage', data: { ...userPrompt(), tabId: 7 }, field: 'Unrecognized key: "tabId"' },
    {
      name: 'missing field',
      type: 'recordMessage',
      data: (({ role: _role, ...rest }) => rest)(userPrompt()),
      field: '→ at role',
    },
    { name: 'empty content', type: 'recordMessage', data: userPrompt({ content: '' }), field: '→ at content' },
    {
      name: 'message too long',
      type: 'recordMessage',
      data: userPrompt({ content: 'x'.repeat(MAX_MESSAGE_CHARS + 1) }),
      field: '→ at content',
    },
    { name: 'not an object', type: 'recordMessage', data: null, field: /"recordMessage" request.*expected object, received null/ },
    {
      name: 'thought too long',
      type: 'addThought',
      data: { messageId: 1, kind: 'reason', content: 'x'.repeat(MAX_THOUGHT_CHARS + 1), label: '' },
      field: '→ at content',
    },
    {
      name: 'message id as string',
      type: 'addThought',
      data: { messageId: '1', kind: 'reason', content: 'because', label: '' },
      field: '→ at messageId',
    },
    {
      name: 'unknown label',
      type: 'saveDraft',
      data: { messageId: 1, kind: 'reason', content: 'because', label: 'curiosity' },
      field: '→ at label',
    },
    { name: 'unknown kind', type: 'discardDraft', data: { messageId: 1, kind: 'opinion' }, field: '→ at kind' },
    { name: 'paused as string', type: 'setPaused', data: { paused: 'yes' }, field: '→ at paused' },
    { name: 'negative id', type: 'deleteThought', data: { id: -1 }, field: '→ at id' },
    { name: 'empty conversation id', type: 'deleteConversation', data: { id: '' }, field: '→ at id' },
    {
      name: 'task summary too long',
      type: 'updateTask',
      data: { conversationId: 'c', taskSummary: 'x'.repeat(MAX_THOUGHT_CHARS + 1), taskExpectation: '' },
      field: '→ at taskSummary',
    },
    { name: 'unknown request type', type: 'wipeEverything', data: {}, field: 'Unknown request "wipeEverything"' },
  ];

  for (const { name, type, data, field } of cases) {
    it(`${name} (${type})`, async () => {
      // Something in every table, so "unchanged" means something.
      const { userMessageId } = await chat('site-1');
      await store.handle('addThought', { messageId: userMessageId, kind: 'reason', content: 'r', label: '' });
      await store.handle('saveDraft', { messageId: userMessageId, kind: 'reason', content: 'd', label: '' });
      await store.handle('setPaused', { paused: false });
      const before = await dump();
      expect(Object.values(await counts()).every((n) => n > 0)).toBe(true);

      const error = await store.handle(type as 'recordMessage', data).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(field);
      expect(await dump()).toEqual(before);
    });
  }
});

describe('thoughts', () => {
  it('removes a draft once all its words are deleted', async () => {
    const { userMessageId } = await chat('site-1');
    await store.handle('saveDraft', { messageId: userMessageId, kind: 'reason', content: 'h', label: '' });
    expect(await db.drafts.count()).toBe(1);
    await store.handle('saveDraft', { messageId: userMessageId, kind: 'reason', content: ' \n', label: '' });
    expect(await db.drafts.count()).toBe(0);
  });

  it('adds a reason to a user message, clears its draft, and bumps the conversation', async () => {
    const { conversationId, userMessageId, replyMessageId } = await chat('site-1');
    await store.handle('saveDraft', { messageId: userMessageId, kind: 'reason', content: 'half', label: '' });
    await store.handle('saveDraft', { messageId: replyMessageId, kind: 'reaction', content: 'later', label: '' });
    clock.set('2026-04-01T12:00:00.000Z');

    const id = await store.handle('addThought', {
      messageId: userMessageId,
      kind: 'reason',
      content: 'I make it in big batches',
      label: 'task_motivation',
    });
    expect(await db.thoughts.get(id)).toMatchObject({
      conversationId,
      messageId: userMessageId,
      kind: 'reason',
      content: 'I make it in big batches',
      label: 'task_motivation',
      createdAt: '2026-04-01T12:00:00.000Z',
    });
    // Only the draft of that message and kind is gone.
    expect((await db.drafts.toArray()).map((d) => d.key)).toEqual([`${replyMessageId}:reaction`]);
    expect((await db.conversations.get(conversationId))!.updatedAt).toBe('2026-04-01T12:00:00.000+00:00');
    expect(await store.handle('getStatus', undefined)).toMatchObject({ paused: false, conversations: 1, thoughts: 1, tasksUnanswered: 1 });
  });

  it('adds a reaction to a reply', async () => {
    const { replyMessageId } = await chat('site-1');
    const id = await store.handle('addThought', {
      messageId: replyMessageId,
      kind: 'reaction',
      content: 'Exactly what I needed',
      label: 'explicit_affirmation',
    });
    expect(await db.thoughts.get(id)).toMatchObject({ kind: 'reaction', messageId: replyMessageId });
  });

  it('rejects a reaction on a user message and a reason on a reply, writing nothing', async () => {
    const { userMessageId, replyMessageId } = await chat('site-1');
    await store.handle('saveDraft', { messageId: userMessageId, kind: 'reason', content: 'draft', label: '' });
    const before = await dump();
    await expect(
      store.handle('addThought', { messageId: userMessageId, kind: 'reaction', content: 'nice', label: '' }),
    ).rejects.toThrow(InvalidRequestError);
    await expect(
      store.handle('addThought', { messageId: replyMessageId, kind: 'reason', content: 'why', label: '' }),
    ).rejects.toThrow(/reason cannot be written about a assistant message/);
    await expect(
      store.handle('saveDraft', { messageId: userMessageId, kind: 'reaction', content: 'nice', label: '' }),
    ).rejects.toThrow(InvalidRequestError);
    expect(await dump()).toEqual(before);
  });

  it('rejects a thought on a message that does not exist', async () => {
    await chat('site-1');
    const before = await dump();
    await expect(
      store.handle('addThought', { messageId: 9999, kind: 'reason', content: 'why', label: '' }),
    ).rejects.toThrow(new InvalidRequestError('No message 9999'));
    expect(await dump()).toEqual(before);
  });

  it('keeps several thoughts on one message, in the order written, in the export', async () => {
    const { userMessageId } = await chat('site-1');
    for (const content of ['first', 'second', 'third']) {
      await store.handle('addThought', { messageId: userMessageId, kind: 'reason', content, label: '' });
      clock.advance(1000);
    }
    const exported = JSON.parse(await exportThoughtTrace(db));
    expect(exported.messages[0].reasons.map((r: { content: string }) => r.content)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(exported.messages[1].reactions).toEqual([]);
    expect(exported.model_provider).toBe('OpenAI');
  });

  it('updates a thought, deletes a thought, and rejects updating a missing one', async () => {
    const { userMessageId } = await chat('site-1');
    const keep = await store.handle('addThought', { messageId: userMessageId, kind: 'reason', content: 'a', label: '' });
    const drop = await store.handle('addThought', { messageId: userMessageId, kind: 'reason', content: 'b', label: '' });

    clock.set('2026-04-02T09:00:00.000Z');
    await store.handle('updateThought', { id: keep, content: 'a, reworded', label: 'content_expectation' });
    expect(await db.thoughts.get(keep)).toMatchObject({
      content: 'a, reworded',
      label: 'content_expectation',
      createdAt: '2026-04-01T10:00:02.000Z',
      updatedAt: '2026-04-02T09:00:00.000Z',
    });

    await store.handle('deleteThought', { id: drop });
    expect((await db.thoughts.toArray()).map((t) => t.id)).toEqual([keep]);

    const before = await dump();
    await expect(store.handle('updateThought', { id: 424242, content: 'x', label: '' })).rejects.toThrow(
      new InvalidRequestError('No thought 424242'),
    );
    await expect(store.handle('updateThought', { id: keep, content: '', label: '' })).rejects.toThrow(
      InvalidRequestError,
    );
    expect(await dump()).toEqual(before);
  });

  it('moves the conversation\'s last activity when a thought is edited or deleted', async () => {
    const { conversationId, userMessageId } = await chat('site-1');
    const id = await store.handle('addThought', { messageId: userMessageId, kind: 'reason', content: 'a', label: '' });
    clock.set('2026-04-03T08:00:00.000Z');
    await store.handle('updateThought', { id, content: 'b', label: '' });
    expect((await db.conversations.get(conversationId))!.updatedAt).toBe('2026-04-03T08:00:00.000+00:00');
    clock.set('2026-04-04T08:00:00.000Z');
    await store.handle('deleteThought', { id });
    expect((await db.conversations.get(conversationId))!.updatedAt).toBe('2026-04-04T08:00:00.000+00:00');
  });

  it('rejects a label from the other taxonomy, writing nothing', async () => {
    const { userMessageId, replyMessageId } = await chat('site-1');
    const before = await dump();
    await expect(
      store.handle('addThought', { messageId: userMessageId, kind: 'reason', content: 'a', label: 'explicit_affirmation' }),
    ).rejects.toThrow(new InvalidRequestError('"explicit_affirmation" is not a reason label'));
    await expect(
      store.handle('saveDraft', { messageId: replyMessageId, kind: 'reaction', content: 'a', label: 'task_motivation' }),
    ).rejects.toThrow(InvalidRequestError);
    expect(await dump()).toEqual(before);
  });
});

describe('drafts and the prompt context', () => {
  it('returns the saved draft, a short excerpt and the default timeout', async () => {
    const long = `Line one of a long prompt.\n\n   ${'word '.repeat(60)}end`;
    const { userMessageId } = await chat('site-1');
    const long1 = await record({ siteConversationId: 'site-1', content: long });

    expect(await store.handle('getCardContext', { messageId: userMessageId, kind: 'reason' })).toEqual({
      excerpt: 'How do I strain 30 litres of soy milk faster?',
      draft: null,
      timeoutSeconds: 60,
      conversationId: expect.any(String),
      thoughts: [],
    });

    await store.handle('saveDraft', {
      messageId: long1.messageId,
      kind: 'reason',
      content: 'half-written',
      label: 'task_continuation',
    });
    const context = await store.handle('getCardContext', { messageId: long1.messageId, kind: 'reason' });
    expect(context.draft).toEqual({ content: 'half-written', label: 'task_continuation' });
    expect(context.timeoutSeconds).toBe(60);
    expect(context.excerpt.length).toBeLessThanOrEqual(160);
    expect(context.excerpt.endsWith('…')).toBe(true);
    // Whitespace is collapsed to single spaces.
    expect(context.excerpt.startsWith('Line one of a long prompt. word word')).toBe(true);
    expect(context.excerpt).not.toMatch(/\s{2}|\n/);

    // Saving again replaces the draft rather than adding a second one.
    await store.handle('saveDraft', { messageId: long1.messageId, kind: 'reason', content: 'rewritten', label: '' });
    expect(await db.drafts.count()).toBe(1);
    expect((await store.handle('getCardContext', { messageId: long1.messageId, kind: 'reason' })).draft).toEqual({
      content: 'rewritten',
      label: '',
    });

    await store.handle('discardDraft', { messageId: long1.messageId, kind: 'reason' });
    expect(await db.drafts.count()).toBe(0);
    expect((await store.handle('getCardContext', { messageId: long1.messageId, kind: 'reason' })).draft).toBeNull();
  });

  it('does not cut an emoji in half when shortening the excerpt', async () => {
    // Replies often carry emoji (the examples end with "🏠💪"). Here one straddles the cut.
    const reply = `${'a'.repeat(156)}😀${' and more'.repeat(10)}`;
    const { conversationId } = await chat('site-1');
    const { messageId } = await record({ conversationId, role: 'assistant', content: reply });
    const { excerpt } = await store.handle('getCardContext', { messageId, kind: 'reaction' });
    expect(excerpt.length).toBeLessThanOrEqual(160);
    expect(excerpt.endsWith('…')).toBe(true);
    // A lone surrogate shows as "�" in the prompt.
    expect(excerpt).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('rejects a prompt context for the wrong kind or a missing message', async () => {
    const { userMessageId } = await chat('site-1');
    await expect(store.handle('getCardContext', { messageId: userMessageId, kind: 'reaction' })).rejects.toThrow(
      InvalidRequestError,
    );
    await expect(store.handle('getCardContext', { messageId: 777, kind: 'reason' })).rejects.toThrow(
      InvalidRequestError,
    );
  });

  it('uses a stored prompt timeout, and falls back to defaults for corrupt settings', async () => {
    const { userMessageId } = await chat('site-1');
    await db.settings.put({ key: 'settings', value: { paused: false, cardTimeoutSeconds: 120 } });
    expect((await store.handle('getCardContext', { messageId: userMessageId, kind: 'reason' })).timeoutSeconds).toBe(
      120,
    );
    await db.settings.put({ key: 'settings', value: { paused: 'sometimes', cardTimeoutSeconds: 1 } });
    expect((await store.handle('getSettings', undefined)).settings).toEqual(DEFAULT_SETTINGS);
  });
});

describe('conversations', () => {
  it('deleteConversation removes its messages, thoughts and drafts and leaves another untouched', async () => {
    const a = await chat('site-a');
    const b = await chat('site-b');
    for (const c of [a, b]) {
      await store.handle('addThought', { messageId: c.userMessageId, kind: 'reason', content: 'why', label: '' });
      await store.handle('addThought', { messageId: c.replyMessageId, kind: 'reaction', content: 'ok', label: '' });
      await store.handle('saveDraft', { messageId: c.replyMessageId, kind: 'reaction', content: 'more', label: '' });
    }
    const bRowsBefore = {
      conversation: await db.conversations.get(b.conversationId),
      messages: await db.messages.where('conversationId').equals(b.conversationId).toArray(),
      thoughts: await db.thoughts.where('conversationId').equals(b.conversationId).toArray(),
      drafts: await db.drafts.where('messageId').anyOf([b.userMessageId, b.replyMessageId]).toArray(),
    };
    expect(bRowsBefore.drafts).toHaveLength(1);

    await store.handle('deleteConversation', { id: a.conversationId });

    expect(await db.conversations.get(a.conversationId)).toBeUndefined();
    expect(await db.messages.where('conversationId').equals(a.conversationId).count()).toBe(0);
    expect(await db.thoughts.where('conversationId').equals(a.conversationId).count()).toBe(0);
    expect(await db.drafts.where('messageId').anyOf([a.userMessageId, a.replyMessageId]).count()).toBe(0);

    expect({
      conversation: await db.conversations.get(b.conversationId),
      messages: await db.messages.toArray(),
      thoughts: await db.thoughts.toArray(),
      drafts: await db.drafts.toArray(),
    }).toEqual(bRowsBefore);
    expect(await store.handle('getStatus', undefined)).toMatchObject({ paused: false, conversations: 1, thoughts: 2, tasksUnanswered: 1 });

    // A recapture of the deleted chat starts a fresh conversation rather than reviving it.
    const again = await record({ siteConversationId: 'site-a' });
    expect(again.conversationId).not.toBe(a.conversationId);
  });

  it('updateTask stores the participant’s words, is repeatable, and rejects an unknown conversation', async () => {
    const { conversationId } = await chat('site-1');
    const task = { conversationId, taskSummary: 'Strain soy milk faster', taskExpectation: 'A cheap method' };
    await store.handle('updateTask', task);
    expect(await db.conversations.get(conversationId)).toMatchObject({
      taskSummary: 'Strain soy milk faster',
      taskExpectation: 'A cheap method',
    });
    // Saving the same words again is not an error.
    await expect(store.handle('updateTask', task)).resolves.toBeUndefined();

    const exported = JSON.parse(await exportThoughtTrace(db));
    expect(exported.task_summary).toBe('Strain soy milk faster');
    expect(exported.task_expectation).toBe('A cheap method');

    const before = await dump();
    await expect(
      store.handle('updateTask', { conversationId: 'nope', taskSummary: 'x', taskExpectation: 'y' }),
    ).rejects.toThrow(new InvalidRequestError('No conversation nope'));
    expect(await dump()).toEqual(before);
  });

  it('updateConversation links a late site id but never overwrites one already set', async () => {
    const first = await record();
    await store.handle('updateConversation', {
      conversationId: first.conversationId,
      siteConversationId: 'late-id',
      title: 'A title',
    });
    await store.handle('updateConversation', { conversationId: first.conversationId, siteConversationId: 'other-id' });
    expect(await db.conversations.get(first.conversationId)).toMatchObject({
      siteConversationId: 'late-id',
      title: 'A title',
    });
    // The linked id now finds the conversation.
    expect((await record({ siteConversationId: 'late-id', role: 'assistant' })).conversationId).toBe(
      first.conversationId,
    );
  });
});

describe('importConversations', () => {
  const conversation = (id: string, firstMessageId = 1000, reason = 'because') => ({
    id,
    messages: [
      {
        content: 'q',
        timestamp: '2026-04-01T10:00:00.000Z',
        type: 'user' as const,
        id: firstMessageId,
        reasons: [{ content: reason, timestamp: '2026-04-01T10:00:01.000Z', label: 'task_motivation' as const }],
      },
      { content: 'a', timestamp: '2026-04-01T10:00:02.000Z', type: 'assistant' as const, id: firstMessageId + 1, reactions: [] },
    ],
    model_name: 'GPT-5.4',
    model_provider: 'OpenAI',
    created_at: '2026-04-01T10:00:00.000+00:00',
    updated_at: '2026-04-01T10:00:02.000+00:00',
    task_summary: 'x',
    task_expectation: 'y',
    survey_answers: [],
  });

  it('imports valid conversations', async () => {
    expect(
      await store.handle('importConversations', { conversations: [conversation('i1'), conversation('i2')] }),
    ).toEqual({ imported: 2, skipped: 0 });
    expect(await counts()).toMatchObject({ conversations: 2, messages: 4, thoughts: 2 });
    expect(await store.handle('importConversations', { conversations: [conversation('i1')] })).toEqual({
      imported: 0,
      skipped: 1,
    });
  });

  it('imports nothing when one conversation in the batch is invalid', async () => {
    await chat('site-1');
    const before = await dump();
    const bad = { ...conversation('i3'), model_provider: 7 };
    const error = await store
      .handle('importConversations', { conversations: [conversation('i1'), conversation('i2'), bad] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('conversations[2].model_provider');
    expect(await dump()).toEqual(before);
  });

  it('rolls back the whole batch when a write fails part way through', async () => {
    await chat('site-1');
    const before = await dump();
    // A valid batch whose third conversation fails while its thoughts are written (as a full disk would).
    db.thoughts.hook('creating', (_key, thought) => {
      if (thought.content === 'poison') throw new Error('QuotaExceededError');
    });
    const poisoned = conversation('i3', 5000, 'poison');
    await expect(
      store.handle('importConversations', { conversations: [conversation('i1'), conversation('i2'), poisoned] }),
    ).rejects.toThrow(/QuotaExceededError/);
    expect(await dump()).toEqual(before);
  });

  it('skips a conversation repeated within one batch instead of failing the batch', async () => {
    const before = await dump();
    const c = conversation('dup');
    await expect(store.handle('importConversations', { conversations: [conversation('fine'), c, c] })).resolves.toEqual({
      imported: 2,
      skipped: 1,
    });
    // Duplicates inside one batch are skipped, not failed; the database got exactly two.
    expect((await dump()).conversations.map((x) => x.id).sort()).toEqual(['dup', 'fine']);
    expect(before.conversations).toEqual([]);
  });
});

describe('first run: recording starts only when the participant turns it on', () => {
  const history = (site: 'chatgpt' | 'claude' = 'chatgpt') => ({
    site,
    conversationId: null,
    siteConversationId: 'opened-1',
    title: '',
    modelName: '',
    turns: [{ role: 'user' as const, content: 'Already there', siteMessageId: 'm1' }],
    atEnd: true,
  });

  it('records nothing on a new install until recording is turned on, then only on the chosen sites', async () => {
    await db.settings.clear();
    const fresh = createStore(db, clock.now);
    expect(await fresh.handle('recordMessage', userPrompt())).toEqual({ captured: false, reason: 'off' });
    expect(await fresh.handle('recordHistory', history())).toEqual({ captured: false, reason: 'off' });
    expect(await fresh.handle('getStatus', undefined)).toMatchObject({ recording: { chatgpt: false, claude: false, gemini: false } });
    await fresh.handle('startRecording', { sites: ['claude'], recordOpened: true });
    expect(await fresh.handle('recordMessage', userPrompt())).toEqual({ captured: false, reason: 'off' });
    expect((await fresh.handle('recordMessage', userPrompt({ site: 'claude' }))).captured).toBe(true);
    expect(await counts()).toMatchObject({ conversations: 1, messages: 1 });
  });

  it('records live turns but not what an opened conversation already shows when that is turned off', async () => {
    await store.handle('updateSettings', { recordOpened: false });
    expect(await store.handle('recordHistory', history())).toEqual({ captured: false, reason: 'off' });
    expect((await store.handle('recordMessage', userPrompt())).captured).toBe(true);
  });

  it('keeps recording on after an update from a version that recorded from install', async () => {
    await db.settings.put({ key: 'settings', value: { paused: false, cardTimeoutSeconds: 60, ask: 'both', everyNth: 1, snoozedUntil: null, askTask: true } });
    const updated = createStore(db, clock.now);
    await updated.keepRecordingAfterUpdate();
    expect((await updated.handle('getSettings', undefined)).settings.recording).toEqual({ chatgpt: true, claude: true, gemini: true });
    // A participant who chose sites since keeps the choice.
    await updated.handle('updateSettings', { recording: { chatgpt: false, claude: true, gemini: false } });
    await updated.keepRecordingAfterUpdate();
    expect((await updated.handle('getSettings', undefined)).settings.recording).toEqual({ chatgpt: false, claude: true, gemini: false });
  });
});

describe('importing a large file in batches', () => {
  const conversation = (id: string, extra: Partial<Record<'task_summary' | 'content', string>> = {}) => ({
    id,
    messages: [
      { content: extra.content ?? 'q', timestamp: '2026-04-01T10:00:00.000Z', type: 'user' as const, id: 1, reasons: [] },
      { content: 'a', timestamp: '2026-04-01T10:00:02.000Z', type: 'assistant' as const, id: 2, reactions: [] },
    ],
    model_name: 'GPT-5.4',
    model_provider: 'OpenAI',
    created_at: '2026-04-01T10:00:00.000+00:00',
    updated_at: '2026-04-01T10:00:02.000+00:00',
    task_summary: extra.task_summary ?? '',
    task_expectation: '',
    survey_answers: [],
  });
  const importId = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';

  it('writes nothing until the last batch arrived, then everything at once; twice changes nothing', async () => {
    await store.handle('stageImport', { importId, index: 0, conversations: [conversation('b1'), conversation('b2')] });
    await store.handle('stageImport', { importId, index: 1, conversations: [conversation('b3')] });
    expect(await counts()).toMatchObject({ conversations: 0, messages: 0 });
    expect(await store.handle('commitImport', { importId, batches: 2 })).toEqual({ imported: 3, skipped: 0 });
    expect(await counts()).toMatchObject({ conversations: 3, messages: 6 });
    expect(await db.importBatches.count()).toBe(0);
    await store.handle('stageImport', { importId, index: 0, conversations: [conversation('b1'), conversation('b3')] });
    expect(await store.handle('commitImport', { importId, batches: 1 })).toEqual({ imported: 0, skipped: 2 });
  });

  it('imports nothing when a batch is missing, and says so', async () => {
    await store.handle('stageImport', { importId, index: 0, conversations: [conversation('m1')] });
    await store.handle('stageImport', { importId, index: 2, conversations: [conversation('m3')] });
    await expect(store.handle('commitImport', { importId, batches: 3 })).rejects.toThrow(/Part of the file did not arrive \(2 of 3 parts\)/);
    expect(await counts()).toMatchObject({ conversations: 0 });
    await store.handle('discardImport', { importId });
    expect(await db.importBatches.count()).toBe(0);
  });

  it('applies the same length limits as editing, naming the field', async () => {
    const tooLong = conversation('long', { task_summary: 'x'.repeat(MAX_THOUGHT_CHARS + 1) });
    await expect(store.handle('stageImport', { importId, index: 0, conversations: [tooLong] })).rejects.toThrow(/longer than 20000 characters[\s\S]*task_summary/);
    const hugeMessage = conversation('huge', { content: 'y'.repeat(MAX_MESSAGE_CHARS + 1) });
    await expect(store.handle('importConversations', { conversations: [hugeMessage] })).rejects.toThrow(/messages\[0\]\.content/);
    expect(await db.importBatches.count()).toBe(0);
  });

  it('keeps the task answers of a conversation without messages through export and import', async () => {
    const empty = { ...conversation('no-messages', { task_summary: 'Plan a trip' }), messages: [] };
    await store.handle('importConversations', { conversations: [empty] });
    const exported = await exportThoughtTrace(db);
    expect(JSON.parse(exported.trim())).toMatchObject({ id: 'no-messages', task_summary: 'Plan a trip', messages: [] });
    await db.conversations.clear();
    await store.handle('importConversations', { conversations: [JSON.parse(exported.trim())] });
    expect((await db.conversations.get('no-messages'))?.taskSummary).toBe('Plan a trip');
  });
});

describe('redactions', () => {
  it('stores spans over a message and a thought, rejects spans outside the text, and keeps them on edited thoughts', async () => {
    const { messageId } = await record({ content: 'Mail ana@example.org today' });
    await store.handle('setRedactions', { target: { messageId }, spans: [{ start: 5, end: 20, kind: 'email' }] });
    expect((await db.messages.get(messageId))?.redactions).toEqual([{ start: 5, end: 20, kind: 'email' }]);
    await expect(store.handle('setRedactions', { target: { messageId }, spans: [{ start: 5, end: 99, kind: 'email' }] })).rejects.toThrow(/outside the text/);

    const thoughtId = await store.handle('addThought', { messageId, kind: 'reason', content: 'Ana needs it', label: '' });
    await store.handle('setRedactions', { target: { thoughtId }, spans: [{ start: 0, end: 3, kind: 'name' }] });
    await store.handle('updateThought', { id: thoughtId, content: 'Really, Ana needs it', label: '' });
    expect((await db.thoughts.get(thoughtId))?.redactions).toEqual([{ start: 8, end: 11, kind: 'name' }]);
    const exported = await exportThoughtTrace(db);
    expect(exported).toContain('Mail [EMAIL_1] today');
    expect(exported).toContain('Really, [NAME_1] needs it');
    expect(exported).not.toMatch(/ana@example|Ana/);
  });
});

describe('redacting from the review page', () => {
  it('adds redactions to messages and thoughts in one request, merged with what was redacted', async () => {
    const { conversationId, messageId } = await record({ content: 'Mail ana@example.org or call 020 7946 0958' });
    const thoughtId = await store.handle('addThought', { messageId, kind: 'reason', content: 'Ana asked me', label: '' });
    await store.handle('redact', { conversationId, redactions: [{ target: { messageId }, start: 5, end: 20, kind: 'email', value: 'ana@example.org' }] });
    await store.handle('redact', {
      conversationId,
      redactions: [
        { target: { messageId }, start: 29, end: 42, kind: 'phone', value: '020 7946 0958' },
        { target: { thoughtId }, start: 0, end: 3, kind: 'name', value: 'Ana' },
      ],
    });
    expect((await db.messages.get(messageId))?.redactions).toEqual([
      { start: 5, end: 20, kind: 'email' },
      { start: 29, end: 42, kind: 'phone' },
    ]);
    const exported = await exportThoughtTrace(db);
    expect(exported).toContain('Mail [EMAIL_1] or call [PHONE_1]');
    expect(exported).toContain('[NAME_1] asked me');

    await store.handle('unredact', { target: { messageId }, start: 5, end: 20 });
    expect((await db.messages.get(messageId))?.redactions).toEqual([{ start: 29, end: 42, kind: 'phone' }]);
    expect(await exportThoughtTrace(db)).toContain('Mail ana@example.org or call [PHONE_1]');
  });

  it('refuses text that changed since the page showed it, a target in another conversation, or a split emoji, and writes nothing', async () => {
    const { conversationId, messageId } = await record({ content: 'Hi 👋 Ana' });
    const other = await record({ siteConversationId: 'other', content: 'Ana again' });
    const before = await dump();
    await expect(
      store.handle('redact', { conversationId, redactions: [{ target: { messageId }, start: 0, end: 2, kind: 'name', value: 'Ho' }] }),
    ).rejects.toThrow(/text changed/);
    await expect(
      store.handle('redact', {
        conversationId,
        redactions: [
          { target: { messageId }, start: 6, end: 9, kind: 'name', value: 'Ana' },
          { target: { messageId: other.messageId }, start: 0, end: 3, kind: 'name', value: 'Ana' },
        ],
      }),
    ).rejects.toThrow(/in this conversation/);
    await expect(
      store.handle('redact', { conversationId, redactions: [{ target: { messageId }, start: 3, end: 4, kind: 'name', value: '\ud83d' }] }),
    ).rejects.toThrow(/splits a character/);
    await expect(
      store.handle('redact', { conversationId, redactions: [{ target: { messageId }, start: 0, end: 5, kind: 'name', value: 'Hi' }] }),
    ).rejects.toThrow(InvalidRequestError);
    expect(await dump()).toEqual(before);
  });

  it('remembers rejected suggestions per conversation by value, whatever their case, and takes a rejection back', async () => {
    const { conversationId } = await record();
    await store.handle('rejectSuggestions', { conversationId, suggestions: [{ kind: 'name', value: 'Claude' }, { kind: 'place', value: 'Paris' }], rejected: true });
    await store.handle('rejectSuggestions', { conversationId, suggestions: [{ kind: 'name', value: 'CLAUDE' }], rejected: true });
    expect((await db.conversations.get(conversationId))?.rejectedSuggestions).toEqual([
      { kind: 'place', value: 'paris' },
      { kind: 'name', value: 'claude' },
    ]);
    await store.handle('rejectSuggestions', { conversationId, suggestions: [{ kind: 'place', value: 'PARIS' }], rejected: false });
    expect((await db.conversations.get(conversationId))?.rejectedSuggestions).toEqual([{ kind: 'name', value: 'claude' }]);
  });

  it('marks an uploaded conversation changed when a message is redacted or deleted', async () => {
    const { conversationId, messageId } = await record({ content: 'I am Ana' });
    await db.conversations.update(conversationId, { review: 'uploaded' });
    await store.handle('redact', { conversationId, redactions: [{ target: { messageId }, start: 5, end: 8, kind: 'name', value: 'Ana' }] });
    expect((await db.conversations.get(conversationId))?.review).toBe('changed');
    await db.conversations.update(conversationId, { review: 'uploaded' });
    await store.handle('deleteMessage', { id: messageId });
    expect((await db.conversations.get(conversationId))?.review).toBe('changed');
    expect(await db.messages.count()).toBe(0);
  });
});

describe('the "always redact" list', () => {
  it('is saved trimmed, refuses blank or overlong entries, and goes with "delete all my data"', async () => {
    await store.handle('updateSettings', { alwaysRedact: [' Ana Souza ', 'Acme Ltd'] });
    expect((await store.handle('getSettings', undefined)).settings.alwaysRedact).toEqual(['Ana Souza', 'Acme Ltd']);
    await expect(store.handle('updateSettings', { alwaysRedact: ['  '] })).rejects.toThrow(InvalidRequestError);
    await expect(store.handle('updateSettings', { alwaysRedact: ['x'.repeat(201)] })).rejects.toThrow(InvalidRequestError);
    await store.handle('deleteAllData', { confirm: 'DELETE' });
    const { settings } = await store.handle('getSettings', undefined);
    expect(settings.alwaysRedact).toEqual([]);
    expect(settings.recording.chatgpt).toBe(true);
  });
});

describe('delete all my data', () => {
  it('removes every conversation, message, thought, draft and the profile, keeps the settings, and needs the typed confirmation', async () => {
    const { messageId } = await record();
    await store.handle('addThought', { messageId, kind: 'reason', content: 'why', label: '' });
    await store.handle('saveDraft', { messageId, kind: 'reason', content: 'half a thought', label: '' });
    await store.handle('saveProfile', { profile: { age: '25-34', gender: '', education: '', occupation: '', frequency: '', purposes: '' } });
    await expect(store.handle('deleteAllData', { confirm: 'yes' } as never)).rejects.toThrow(InvalidRequestError);
    expect(await counts()).toMatchObject({ conversations: 1, messages: 1, thoughts: 1, drafts: 1 });
    await store.handle('deleteAllData', { confirm: 'DELETE' });
    expect(await counts()).toEqual({ conversations: 0, messages: 0, thoughts: 0, drafts: 0, settings: 1 });
    expect((await store.handle('getSettings', undefined)).settings.recording.chatgpt).toBe(true);
  });
});

describe('review state and exclusion', () => {
  it('approves and un-approves a conversation; an edit to an uploaded one marks it changed', async () => {
    const { conversationId, messageId } = await record();
    await store.handle('setReviewState', { conversationId, state: 'reviewed' });
    expect((await db.conversations.get(conversationId))?.review).toBe('reviewed');
    await store.handle('setReviewState', { conversationId, state: 'new' });
    expect((await db.conversations.get(conversationId))?.review).toBeUndefined();
    // As the upload marks it once sent.
    await db.conversations.update(conversationId, { review: 'uploaded' });
    await store.handle('addThought', { messageId, kind: 'reason', content: 'A second thought', label: '' });
    expect((await db.conversations.get(conversationId))?.review).toBe('changed');
  });

  it('excludes a conversation or one of its messages from upload, keeping them locally', async () => {
    const { conversationId, messageId } = await record();
    await store.handle('setExcluded', { conversationId, messageId, excluded: true });
    await store.handle('setExcluded', { conversationId, excluded: true });
    expect((await db.messages.get(messageId))?.excluded).toBe(true);
    expect((await db.conversations.get(conversationId))?.excluded).toBe(true);
    expect(await counts()).toMatchObject({ conversations: 1, messages: 1 });
    const other = await record({ siteConversationId: 'other' });
    await expect(store.handle('setExcluded', { conversationId, messageId: other.messageId, excluded: true })).rejects.toThrow(/No message/);
  });
});
