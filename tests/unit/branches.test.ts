import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { RequestData } from '../../utils/protocol/requests';
import { createStore, type Store } from '../../utils/background/store';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { withoutMessage } from '../../utils/data/conversation-tree';
import { recordingStore } from '../support/unit/store';

let db: ThoughtTraceDb;
let store: Store;
let n = 0;
let tick = Date.parse('2026-05-01T09:00:00Z');

beforeEach(async () => {
  db = openDb(`branches-${Date.now()}-${++n}`);
  store = await recordingStore(db, () => new Date((tick += 1000)));
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const base = { site: 'chatgpt' as const, siteConversationId: 'conv-a', title: 'T', modelName: 'GPT-5.4' };

async function live(role: 'user' | 'assistant', content: string, extra: Partial<RequestData<'recordMessage'>> = {}) {
  const result = await store.handle('recordMessage', {
    ...base,
    conversationId: null,
    role,
    content,
    siteMessageId: `id-${content}`,
    ...extra,
  });
  if (!result.captured) throw new Error('not captured');
  return result.messageId;
}

async function history(turns: [role: 'user' | 'assistant', content: string][], atEnd = true) {
  const result = await store.handle('recordHistory', {
    ...base,
    conversationId: null,
    turns: turns.map(([role, content]) => ({ role, content, siteMessageId: `id-${content}` })),
    atEnd,
  });
  if (!result.captured) throw new Error('not captured');
  return result.messageIds;
}

async function exported() {
  const [line] = (await exportThoughtTrace(db)).trimEnd().split('\n');
  return JSON.parse(line!) as { messages: { content: string; id: number }[] };
}

const contents = async () => (await exported()).messages.map((m) => m.content);

describe('versions of a turn', () => {
  it('keeps an edited prompt as a new version; the export follows the branch the participant ended on', async () => {
    const q1 = await live('user', 'q1');
    const a1 = await live('assistant', 'a1', { parentMessageId: q1 });
    const q2 = await live('user', 'q2', { parentMessageId: a1 });
    await live('assistant', 'a2', { parentMessageId: q2 });
    await store.handle('addThought', { messageId: q2, kind: 'reason', content: 'why q2', label: '' });
    // The participant edits q2: the new version follows a1 as well.
    const q2b = await live('user', 'q2 edited', { parentMessageId: a1 });
    await live('assistant', 'a2 for the edit', { parentMessageId: q2b });

    expect(await contents()).toEqual(['q1', 'a1', 'q2 edited', 'a2 for the edit']);
    expect(await db.messages.count()).toBe(6);
    // The thought stays with the version it was written for.
    expect((await db.thoughts.toArray()).map((t) => t.messageId)).toEqual([q2]);
    const versions = await db.messages.where('[conversationId+order]').equals([(await db.conversations.toArray())[0]!.id, 2]).toArray();
    expect(versions.map((m) => m.content)).toEqual(['q2', 'q2 edited']);
  });

  it('keeps a regenerated reply as a sibling of the first one', async () => {
    const q1 = await live('user', 'q1');
    await live('assistant', 'first answer', { parentMessageId: q1 });
    await live('assistant', 'second answer', { parentMessageId: q1 });
    expect(await contents()).toEqual(['q1', 'second answer']);
  });

  it('returns the stored message when the same site message is recorded again', async () => {
    const first = await live('user', 'q1');
    expect(await live('user', 'q1')).toBe(first);
    expect(await db.messages.count()).toBe(1);
  });

  it('rejects a parent from another conversation', async () => {
    const other = await store.handle('recordMessage', { ...base, siteConversationId: 'conv-b', conversationId: null, role: 'user', content: 'x', siteMessageId: 'x' });
    if (!other.captured) throw new Error('not captured');
    await expect(live('user', 'q1', { parentMessageId: other.messageId })).rejects.toThrow(/No message/);
  });
});

describe('history already on the page', () => {
  it('records visible turns once, however often they are seen', async () => {
    await history([['user', 'q1'], ['assistant', 'a1'], ['user', 'q2'], ['assistant', 'a2']]);
    await history([['user', 'q2'], ['assistant', 'a2']]);
    await history([['user', 'q1'], ['assistant', 'a1'], ['user', 'q2'], ['assistant', 'a2']]);
    expect(await db.messages.count()).toBe(4);
    expect(await contents()).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect((await db.messages.toArray()).every((m) => m.source === 'history')).toBe(true);
  });

  it('puts older turns that mount when scrolling up in front of the ones already stored', async () => {
    await history([['user', 'q3'], ['assistant', 'a3']]);
    await history([['user', 'q2'], ['assistant', 'a2'], ['user', 'q3']], false);
    await history([['user', 'q1'], ['assistant', 'a1'], ['user', 'q2']], false);
    expect(await contents()).toEqual(['q1', 'a1', 'q2', 'a2', 'q3', 'a3']);
    const orders = (await db.messages.toArray()).sort((a, b) => a.order - b.order).map((m) => [m.content, m.order]);
    expect(orders).toEqual([['q1', 0], ['a1', 1], ['q2', 2], ['a2', 3], ['q3', 4], ['a3', 5]]);
    const ids = (await exported()).messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('continues the conversation live after the history', async () => {
    const [, a1] = await history([['user', 'q1'], ['assistant', 'a1']]);
    const q2 = await live('user', 'q2', { parentMessageId: a1! });
    await live('assistant', 'a2', { parentMessageId: q2 });
    expect(await contents()).toEqual(['q1', 'a1', 'q2', 'a2']);
  });

  it('does not guess where turns go when they overlap nothing stored', async () => {
    await history([['user', 'q5'], ['assistant', 'a5']]);
    expect(await history([['user', 'q1'], ['assistant', 'a1']], false)).toEqual([null, null]);
    expect(await db.messages.count()).toBe(2);
  });

  it('follows the branch the page shows when the participant switches versions on the site', async () => {
    const q1 = await live('user', 'q1');
    const a1 = await live('assistant', 'a1', { parentMessageId: q1 });
    await live('assistant', 'a1 regenerated', { parentMessageId: q1 });
    expect(await contents()).toEqual(['q1', 'a1 regenerated']);
    expect(a1).toBeGreaterThan(0);
    await history([['user', 'q1'], ['assistant', 'a1']]);
    expect(await contents()).toEqual(['q1', 'a1']);
  });

  it('writes nothing while paused', async () => {
    await store.handle('setPaused', { paused: true });
    const result = await store.handle('recordHistory', { ...base, conversationId: null, turns: [{ role: 'user', content: 'q', siteMessageId: 'q' }], atEnd: true });
    expect(result).toEqual({ captured: false, reason: 'paused' });
    expect(await db.conversations.count()).toBe(0);
  });
});

describe('deleting a message', () => {
  const tree = async () =>
    (await db.messages.toArray()).map((m) => ({ content: m.content, parent: m.parentId, order: m.order })).sort((a, b) => a.order - b.order || a.content.localeCompare(b.content));

  it('removes only that message and its thoughts; the next turn follows its parent and the export stays valid', async () => {
    const q1 = await live('user', 'q1');
    const a1 = await live('assistant', 'a1', { parentMessageId: q1 });
    const q2 = await live('user', 'q2', { parentMessageId: a1 });
    await live('assistant', 'a2', { parentMessageId: q2 });
    await store.handle('addThought', { messageId: a1, kind: 'reaction', content: 'too long', label: '' });
    await store.handle('saveDraft', { messageId: a1, kind: 'reaction', content: 'half', label: '' });
    await store.handle('addThought', { messageId: q2, kind: 'reason', content: 'follow-up', label: '' });

    await store.handle('deleteMessage', { id: a1 });
    expect(await contents()).toEqual(['q1', 'q2', 'a2']);
    expect(await tree()).toEqual([
      { content: 'q1', parent: null, order: 0 },
      { content: 'q2', parent: q1, order: 1 },
      { content: 'a2', parent: q2, order: 2 },
    ]);
    expect((await db.thoughts.toArray()).map((t) => t.content)).toEqual(['follow-up']);
    expect(await db.drafts.count()).toBe(0);
    const ids = (await exported()).messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('ends the branch at the parent when the last message goes, and keeps other versions where they were', async () => {
    const q1 = await live('user', 'q1');
    const a1 = await live('assistant', 'a1', { parentMessageId: q1 });
    const a1b = await live('assistant', 'a1b', { parentMessageId: q1 });
    await store.handle('deleteMessage', { id: a1b });
    const conversation = (await db.conversations.toArray())[0]!;
    expect(conversation.leafMessageId).toBe(q1);
    expect(await contents()).toEqual(['q1']);
    expect((await db.messages.get(a1))?.parentId).toBe(q1);

    // The first message: its reply becomes the first.
    await store.handle('deleteMessage', { id: q1 });
    expect(await tree()).toEqual([{ content: 'a1', parent: null, order: 0 }]);
    expect(await contents()).toEqual(['a1']);
  });

  it('re-links every version that followed the message, and renumbers deeper turns (pure)', () => {
    const m = (id: number, parentId: number | null, order: number) =>
      ({ id, conversationId: 'c', role: order % 2 ? 'assistant' : 'user', content: `m${id}`, timestamp: '2026-05-01T09:00:00.000Z', parentId, order, source: 'live', datasetId: id, siteMessageId: null }) as const;
    // q1 → a1 → (q2 → a2) and (q2b, an edited version of q2).
    const messages = [m(1, null, 0), m(2, 1, 1), m(3, 2, 2), m(4, 3, 3), m(5, 2, 2)];
    const conversation = { leafMessageId: 4 } as Parameters<typeof withoutMessage>[0];
    const { changed, leafMessageId } = withoutMessage(conversation, [...messages], 2);
    expect(changed.map((c) => [c.id, c.parentId, c.order]).sort()).toEqual([
      [3, 1, 1],
      [4, 3, 2],
      [5, 1, 1],
    ]);
    expect(leafMessageId).toBe(4);
    expect(withoutMessage(conversation, [...messages], 4)).toEqual({ changed: [], leafMessageId: 3 });
  });

  it('does nothing for a message that is already gone', async () => {
    await live('user', 'q1');
    const before = await db.messages.toArray();
    await store.handle('deleteMessage', { id: 999 });
    expect(await db.messages.toArray()).toEqual(before);
  });
});

describe('upgrading a version 1 database', () => {
  it('links messages in order and points each conversation at its last message', async () => {
    const name = `v1-${Date.now()}-${++n}`;
    const old = new Dexie(name);
    old.version(1).stores({
      conversations: 'id, [site+siteConversationId], updatedAt',
      messages: '++id, conversationId, [conversationId+order]',
      thoughts: '++id, conversationId, messageId',
      drafts: 'key, messageId',
      settings: 'key',
    });
    await old.table('conversations').add({ id: 'c', site: 'chatgpt', siteConversationId: 's', title: '', modelName: '', modelProvider: 'OpenAI', createdAt: '2026-01-01T00:00:00.000+00:00', updatedAt: '2026-01-01T00:00:00.000+00:00', taskSummary: '', taskExpectation: '' });
    for (const [order, content] of ['q', 'a', 'q2'].entries()) {
      await old.table('messages').add({ conversationId: 'c', role: order % 2 ? 'assistant' : 'user', content, timestamp: '2026-01-01T00:00:00.000Z', order, datasetId: order, siteMessageId: null });
    }
    old.close();
    const upgraded = openDb(name);
    const messages = await upgraded.messages.orderBy('id').toArray();
    expect(messages.map((m) => m.parentId)).toEqual([null, messages[0]!.id, messages[1]!.id]);
    expect((await upgraded.conversations.get('c'))!.leafMessageId).toBe(messages[2]!.id);
    upgraded.close();
    await upgraded.delete();
  });
});
