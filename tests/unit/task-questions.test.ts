import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { OpenConversation } from '../../utils/protocol/requests';
import { createStore, TASK_RETURN_WINDOW_MS, type Store } from '../../utils/background/store';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { recordingStore } from '../support/unit/store';

// The two task questions on leaving a conversation: which one is due, when, and only once.

let db: ThoughtTraceDb;
let store: Store;
let clock = Date.parse('2026-06-01T10:00:00Z');
let n = 0;
/** What the browser's tabs show, as the background would learn by asking them. */
let tabs: OpenConversation[] = [];

beforeEach(async () => {
  db = openDb(`task-${Date.now()}-${++n}`);
  tabs = [];
  store = await recordingStore(db, () => new Date(clock), async () => tabs);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

async function chatIn(siteConversationId: string, title = `Chat ${siteConversationId}`) {
  const base = { site: 'chatgpt' as const, conversationId: null, siteConversationId, title, modelName: '', siteMessageId: null };
  clock += 1000;
  const prompt = await store.handle('recordMessage', { ...base, role: 'user', content: 'q' });
  clock += 1000;
  await store.handle('recordMessage', { ...base, role: 'assistant', content: 'a' });
  if (!prompt.captured) throw new Error('not captured');
  return prompt.conversationId;
}
const left = (conversationId: string) => store.handle('leftConversation', { conversationId });
const shows = (siteConversationId: string, conversationId: string | null = null): OpenConversation => ({
  site: 'chatgpt',
  siteConversationId,
  conversationId,
});

describe('task questions on leaving a conversation', () => {
  it('asks about a conversation the participant chatted in once no tab shows it, and only once', async () => {
    const id = await chatIn('a');
    tabs = [shows('a')];
    expect(await left(id)).toBe(false);
    // By our id too: a new chat has no site id yet.
    tabs = [{ site: 'chatgpt', siteConversationId: null, conversationId: id }];
    expect(await left(id)).toBe(false);
    tabs = [shows('b')];
    expect(await left(id)).toBe(true);
    expect(await left(id)).toBe(false);
    const context = await store.handle('getTaskContext', { conversationId: id });
    expect(context).toMatchObject({ title: 'Chat a', site: 'chatgpt', taskSummary: '', taskExpectation: '' });
  });

  it('never asks about a conversation only looked at, answered already, or made quiet', async () => {
    const viewed = await store.handle('recordHistory', {
      site: 'chatgpt',
      conversationId: null,
      siteConversationId: 'viewed',
      title: '',
      modelName: '',
      turns: [{ role: 'user', content: 'old', siteMessageId: 'm1' }],
      atEnd: true,
    });
    if (!viewed.captured) throw new Error('not captured');
    expect(await left(viewed.conversationId)).toBe(false);
    const answered = await chatIn('answered');
    await store.handle('updateTask', { conversationId: answered, taskSummary: 'Plan a trip', taskExpectation: '' });
    expect(await left(answered)).toBe(false);
    const quiet = await chatIn('quiet');
    await store.handle('setConversationQuiet', { conversationId: quiet, quiet: true });
    expect(await left(quiet)).toBe(false);
    expect(await left('no-such-conversation')).toBe(false);
  });

  it('waits while paused or snoozed, and never asks while turned off', async () => {
    const id = await chatIn('a');
    await store.handle('setPaused', { paused: true });
    expect(await left(id)).toBe(false);
    await store.handle('setPaused', { paused: false });
    await store.handle('snooze', { minutes: 60 });
    expect(await left(id)).toBe(false);
    clock += 61 * 60_000;
    await store.handle('updateSettings', { askTask: false });
    expect(await left(id)).toBe(false);
    await store.handle('updateSettings', { askTask: true });
    expect(await left(id)).toBe(true);
  });

  it('rejects a malformed request and an unknown conversation with a clear error', async () => {
    await expect(store.handle('leftConversation', undefined)).rejects.toThrow(/Invalid "leftConversation"/);
    await expect(store.handle('taskQuestionsOnReturn', { site: 'bing' } as never)).rejects.toThrow(/Invalid "taskQuestionsOnReturn"/);
    await expect(store.handle('getTaskContext', { conversationId: 'nope' })).rejects.toThrow(/No conversation nope/);
  });

  it('counts unanswered ones for the popup, and puts the answers in the export', async () => {
    const id = await chatIn('a');
    expect((await store.handle('getStatus', undefined)).tasksUnanswered).toBe(1);
    await store.handle('updateTask', { conversationId: id, taskSummary: 'Learn about tides', taskExpectation: 'A short answer' });
    expect((await store.handle('getStatus', undefined)).tasksUnanswered).toBe(0);
    const [line] = (await exportThoughtTrace(db)).trimEnd().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ task_summary: 'Learn about tides', task_expectation: 'A short answer' });
  });
});

describe('task questions left behind by a closed tab', () => {
  const onReturn = (site: 'chatgpt' | 'claude' = 'chatgpt') => store.handle('taskQuestionsOnReturn', { site });

  it("asks about the latest one on the site's next page, once, unless a tab (this one included) shows it", async () => {
    const older = await chatIn('older');
    const latest = await chatIn('latest');
    // The new page shows the latest conversation again (reopened): not left.
    tabs = [shows('latest')];
    expect(await onReturn()).toBe(older);
    tabs = [shows('new-page')];
    expect(await onReturn()).toBe(latest);
    expect(await onReturn()).toBe(null);
  });

  it('asks only on the same site, within a day, and never when asking is off or the questions are settled', async () => {
    await chatIn('stale');
    clock += TASK_RETURN_WINDOW_MS + 60_000;
    expect(await onReturn()).toBe(null);
    const id = await chatIn('fresh');
    expect(await onReturn('claude')).toBe(null);
    await store.handle('setPaused', { paused: true });
    expect(await onReturn()).toBe(null);
    await store.handle('setPaused', { paused: false });
    await store.handle('snooze', { minutes: 60 });
    expect(await onReturn()).toBe(null);
    await store.handle('snooze', { minutes: 0 });
    await store.handle('updateSettings', { askTask: false });
    expect(await onReturn()).toBe(null);
    await store.handle('updateSettings', { askTask: true });
    await store.handle('setConversationQuiet', { conversationId: id, quiet: true });
    expect(await onReturn()).toBe(null);
    await store.handle('setConversationQuiet', { conversationId: id, quiet: false });
    await store.handle('updateTask', { conversationId: id, taskSummary: '', taskExpectation: 'Ideas' });
    expect(await onReturn()).toBe(null);
    // Left within the page and asked there: not asked again.
    const asked = await chatIn('asked');
    expect(await left(asked)).toBe(true);
    expect(await onReturn()).toBe(null);
  });
});
