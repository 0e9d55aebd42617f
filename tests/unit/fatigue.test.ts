import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import { createStore, type Store } from '../../utils/background/store';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { recordingStore } from '../support/unit/store';

// When the participant is asked: snooze, "not in this conversation", which thoughts, how often.

let db: ThoughtTraceDb;
let store: Store;
let clock = Date.parse('2026-06-01T10:00:00Z');
let n = 0;

beforeEach(async () => {
  db = openDb(`fatigue-${Date.now()}-${++n}`);
  store = await recordingStore(db, () => new Date(clock));
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** One turn in conversation `site`; returns whether the reason and the reaction were asked. */
async function turn(siteConversationId = 'conv') {
  const base = { site: 'chatgpt' as const, conversationId: null, siteConversationId, title: '', modelName: '', siteMessageId: null };
  clock += 1000;
  const prompt = await store.handle('recordMessage', { ...base, role: 'user', content: 'q' });
  clock += 1000;
  const reply = await store.handle('recordMessage', { ...base, role: 'assistant', content: 'a' });
  if (!prompt.captured || !reply.captured) throw new Error('not captured');
  // What the reason's card was told about the reply is what happened: the card stays only for a question that comes.
  expect(prompt.thenReaction).toBe(prompt.ask && reply.ask);
  return [prompt.ask, reply.ask];
}

describe('asking for thoughts', () => {
  it('asks for both on every turn by default', async () => {
    expect(await turn()).toEqual([true, true]);
    expect(await turn()).toEqual([true, true]);
  });

  it('asks nothing during a snooze, captures anyway, and asks again when it ends', async () => {
    await store.handle('snooze', { minutes: 60 });
    expect(await turn()).toEqual([false, false]);
    clock += 61 * 60_000;
    expect(await turn()).toEqual([true, true]);
    expect((await exportThoughtTrace(db)).trimEnd().split('\n')).toHaveLength(1);
    expect(await db.messages.count()).toBe(4);
  });

  it('ending a snooze early asks again at once', async () => {
    await store.handle('snooze', { minutes: 60 });
    await store.handle('snooze', { minutes: 0 });
    expect(await turn()).toEqual([true, true]);
  });

  it('goes quiet in one conversation only, and undoes it', async () => {
    await turn('a');
    const [conversation] = await db.conversations.toArray();
    await store.handle('setConversationQuiet', { conversationId: conversation!.id, quiet: true });
    expect(await turn('a')).toEqual([false, false]);
    expect(await turn('b')).toEqual([true, true]);
    await store.handle('setConversationQuiet', { conversationId: conversation!.id, quiet: false });
    expect(await turn('a')).toEqual([true, true]);
  });

  it('asks only for reasons, or only for reactions', async () => {
    await store.handle('updateSettings', { ask: 'reasons' });
    expect(await turn()).toEqual([true, false]);
    await store.handle('updateSettings', { ask: 'reactions' });
    expect(await turn()).toEqual([false, true]);
  });

  it('asks on every Nth prompt of a conversation, the reply following its prompt', async () => {
    await store.handle('updateSettings', { everyNth: 3 });
    const asked = [];
    for (let i = 0; i < 7; i++) asked.push(await turn());
    expect(asked).toEqual([[true, true], [false, false], [false, false], [true, true], [false, false], [false, false], [true, true]]);
  });

  it('keeps settings within bounds and reports them with the profile', async () => {
    await expect(store.handle('updateSettings', { everyNth: 0 })).rejects.toThrow(/everyNth/);
    await store.handle('saveProfile', {
      profile: { age: '25-34', gender: 'Woman', education: 'Graduate', occupation: 'Nurse', frequency: 'Daily', purposes: 'Work' },
    });
    const view = await store.handle('getSettings', undefined);
    expect(view.settings.everyNth).toBe(1);
    expect(view.profile?.occupation).toBe('Nurse');
  });
});
