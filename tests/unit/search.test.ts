import { openOldDatabase } from '../support/unit/old-databases';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { RequestData } from '../../utils/protocol/requests';
import { conversationWords, matchesTerms, searchConversations, searchTerms, tokenize } from '../../utils/data/search';
import { importThoughtTrace } from '../../utils/data/thoughttrace';
import { backupLines } from '../../utils/data/backup';
import { parseBackup } from '../../utils/data/backup-format';
import type { Store } from '../../utils/background/store';
import { loadExamples } from '../support/unit/examples';
import { recordingStore } from '../support/unit/store';

let dbCounter = 0;
let db: ThoughtTraceDb;
let store: Store;
const opened: ThoughtTraceDb[] = [];

const freshDb = () => {
  const created = openDb(`search-test-${Date.now()}-${++dbCounter}`);
  opened.push(created);
  return created;
};

beforeEach(async () => {
  db = freshDb();
  store = await recordingStore(db);
});
afterEach(async () => {
  for (const each of opened.splice(0)) {
    each.close();
    await each.delete();
  }
});

/** What search finds for `query`, once the background has indexed every write. */
async function find(query: string, on = db): Promise<string[]> {
  if (on === db) await store.searchIndexed();
  return [...((await searchConversations(on, query)) ?? [])].sort();
}

/**
 * The index says exactly what the data says: every word of every conversation leads to it and to
 * nothing else, and each conversation's thought count is right. Checked after every kind of write.
 */
async function expectIndexMatchesData(on = db) {
  if (on === db) await store.searchIndexed();
  const expected = new Map<string, Set<string>>();
  const thoughts = new Map<string, number>();
  for (const conversation of await on.conversations.toArray()) {
    const [messages, own] = await Promise.all([
      on.messages.where('conversationId').equals(conversation.id).toArray(),
      on.thoughts.where('conversationId').equals(conversation.id).toArray(),
    ]);
    thoughts.set(conversation.id, own.length);
    for (const word of conversationWords(conversation, messages, own)) {
      if (!expected.has(word)) expected.set(word, new Set());
      expected.get(word)!.add(conversation.id);
    }
  }
  const stats = await on.conversationStats.toArray();
  const idOf = new Map(stats.map((row) => [row.doc, row.conversationId]));
  const indexed = new Map<string, Set<string>>();
  for (const row of await on.searchPostings.toArray()) {
    for (const doc of row.docs) {
      if (!indexed.has(row.word)) indexed.set(row.word, new Set());
      indexed.get(row.word)!.add(idOf.get(doc) ?? `unknown doc ${doc}`);
    }
  }
  expect(indexed).toEqual(expected);
  expect(new Map(stats.map((row) => [row.conversationId, row.thoughts]))).toEqual(thoughts);
  expect(await on.searchQueue.count()).toBe(0);
  expect(await on.searchTerms.count()).toBe(stats.length);
}

const prompt = (overrides: Partial<RequestData<'recordMessage'>> = {}): RequestData<'recordMessage'> => ({
  site: 'chatgpt',
  conversationId: null,
  siteConversationId: null,
  title: 'Soy milk at home',
  modelName: 'GPT-5.4',
  role: 'user',
  content: 'How do I strain 30 litres of soy milk faster?',
  siteMessageId: null,
  ...overrides,
});

async function record(overrides: Partial<RequestData<'recordMessage'>> = {}) {
  const result = await store.handle('recordMessage', prompt(overrides));
  if (!result.captured) throw new Error('not captured');
  return result;
}

describe('words', () => {
  it('are letters and digits, lower-cased, without accents, split at everything else', () => {
    expect(tokenize('Belém’s CAFÉ-bar, 30 litres (2026)… e-mail: ana@example.org')).toEqual([
      'belem', 's', 'cafe', 'bar', '30', 'litres', '2026', 'e', 'mail', 'ana', 'example', 'org',
    ]);
    expect(tokenize('Ünïcödé ﬁne ÀÉÎ')).toEqual(['unicode', 'fine', 'aei']);
    // No words in emoji, symbols or markup.
    expect(tokenize('👍 **bold** `x<y>` → #1')).toEqual(['bold', 'x', 'y', '1']);
  });

  it('splits Chinese and Japanese into characters, which have no spaces between words', () => {
    expect(tokenize('東京タワーへ行く Tokyo')).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'へ', '行', 'く', 'tokyo']);
  });

  it('keeps the start of a very long token (a key or a hash), never half a letter', () => {
    const [key] = tokenize(`sk${'a'.repeat(100)}`);
    expect(key).toBe(`sk${'a'.repeat(38)}`);
    // Gothic letters take two UTF-16 units each.
    const [gothic] = tokenize('𐌰'.repeat(50));
    expect(Array.from(gothic!)).toHaveLength(40);
    expect(gothic!.length).toBe(80);
  });

  it('of a conversation are its title, task answers, messages and thoughts, sorted and distinct', () => {
    expect(
      conversationWords({ title: 'Soy milk', taskSummary: 'Strain faster', taskExpectation: '' }, [{ content: 'Use a press. A PRESS!' }], [{ content: 'milk is messy' }]),
    ).toEqual(['a', 'faster', 'is', 'messy', 'milk', 'press', 'soy', 'strain', 'use']);
  });
});

describe('a query', () => {
  it('matches every word, the one being typed as a prefix', () => {
    expect(searchTerms('soy mil')).toEqual([{ word: 'soy', prefix: false }, { word: 'mil', prefix: true }]);
    expect(searchTerms('soy milk ')).toEqual([{ word: 'soy', prefix: false }, { word: 'milk', prefix: false }]);
    expect(searchTerms('soy milk.')).toEqual([{ word: 'soy', prefix: false }, { word: 'milk', prefix: false }]);
    // One letter typed matches that letter as a word only.
    expect(searchTerms('soy m')).toEqual([{ word: 'soy', prefix: false }, { word: 'm', prefix: false }]);
    expect(searchTerms('Soy SOY soy')).toEqual([{ word: 'soy', prefix: true }]);
    expect(searchTerms('  ?! ')).toEqual([]);
    const words = ['milk', 'press', 'soy'];
    expect(matchesTerms(words, searchTerms('soy mil'))).toBe(true);
    expect(matchesTerms(words, searchTerms('soy mil '))).toBe(false);
    expect(matchesTerms(words, searchTerms('pres soy'))).toBe(false);
    expect(matchesTerms(words, searchTerms('soy pres'))).toBe(true);
  });
});

describe('the search index', () => {
  it('finds a captured conversation by its messages, title and thoughts, and follows thought edits and deletions', async () => {
    const first = await record();
    await record({ conversationId: first.conversationId, role: 'assistant', content: 'Use a **cider press** and a nylon bag.' });
    const other = await record({ title: 'Trip', content: 'Plan a day in Lisbon' });
    expect(await find('soy')).toEqual([first.conversationId]);
    expect(await find('CIDER pre')).toEqual([first.conversationId]);
    expect(await find('lisbon')).toEqual([other.conversationId]);
    expect(await find('home')).toEqual([first.conversationId]);
    expect(await find('soy lisbon')).toEqual([]);
    expect(await find('nothing-like-this')).toEqual([]);
    expect(await searchConversations(db, '   ')).toBeNull();

    const thought = await store.handle('addThought', { messageId: first.messageId, kind: 'reason', content: 'Okara clogs the cloth', label: '' });
    expect(await find('okara')).toEqual([first.conversationId]);
    expect((await db.conversationStats.get(first.conversationId))?.thoughts).toBe(1);
    await expectIndexMatchesData();

    await store.handle('updateThought', { id: thought, content: 'The pulp clogs the cloth', label: '' });
    expect(await find('okara')).toEqual([]);
    expect(await find('pulp')).toEqual([first.conversationId]);
    await expectIndexMatchesData();

    await store.handle('deleteThought', { id: thought });
    expect(await find('pulp')).toEqual([]);
    expect((await db.conversationStats.get(first.conversationId))?.thoughts).toBe(0);
    await expectIndexMatchesData();
  });

  it('follows task answers, titles, history and a conversation being deleted', async () => {
    const a = await record();
    const b = await record({ title: 'Bread', content: 'Why does my sourdough not rise?' });
    await store.handle('updateTask', { conversationId: a.conversationId, taskSummary: 'Make tofu next', taskExpectation: 'Cheap tools' });
    expect(await find('tofu')).toEqual([a.conversationId]);
    await store.handle('updateConversation', { conversationId: b.conversationId, siteConversationId: 'site-b', title: 'Baking with rye' });
    expect(await find('rye')).toEqual([b.conversationId]);
    expect(await find('bread')).toEqual([]);
    const opened = await store.handle('recordHistory', {
      site: 'chatgpt',
      conversationId: null,
      siteConversationId: 'site-c',
      title: 'Starter care',
      modelName: '',
      turns: [
        { role: 'user', content: 'How often do I feed it?', siteMessageId: 'm-1' },
        { role: 'assistant', content: 'Feed the starter twice a day.', siteMessageId: 'm-2' },
      ],
      atEnd: true,
    });
    if (!opened.captured) throw new Error('history not captured');
    expect(await find('starter twice')).toEqual([opened.conversationId]);
    await expectIndexMatchesData();

    const doc = (await db.conversationStats.get(b.conversationId))!.doc;
    await store.handle('deleteConversation', { id: b.conversationId });
    expect(await find('rye')).toEqual([]);
    expect(await db.conversationStats.get(b.conversationId)).toBeUndefined();
    expect(await db.searchTerms.get(doc)).toBeUndefined();
    await expectIndexMatchesData();
  });

  it('indexes imports, small and in batches, and the example conversations word for word', async () => {
    const examples = loadExamples();
    await store.handle('importConversations', { conversations: examples.slice(0, 4) });
    const importId = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';
    await store.handle('stageImport', { importId, index: 0, conversations: examples.slice(4, 8) });
    await store.handle('stageImport', { importId, index: 1, conversations: examples.slice(8) });
    await store.handle('commitImport', { importId, batches: 2 });
    expect(await find('okara')).toEqual(['user804_task2_conversation1']);
    await expectIndexMatchesData();
  });

  it('stays exact when the participant keeps writing while the background indexes', async () => {
    const first = await record();
    const writes: Promise<unknown>[] = [];
    const thoughts: number[] = [];
    for (let i = 0; i < 15; i++) {
      writes.push(store.handle('addThought', { messageId: first.messageId, kind: 'reason', content: `draft word${i}`, label: '' }).then((id) => thoughts.push(id)));
      writes.push(store.handle('updateTask', { conversationId: first.conversationId, taskSummary: `summary number${i}`, taskExpectation: '' }));
      if (i % 3 === 0) writes.push(store.searchIndexed());
    }
    await Promise.all(writes);
    await Promise.all(thoughts.slice(0, 5).map((id) => store.handle('deleteThought', { id })));
    expect(await find('number14')).toEqual([first.conversationId]);
    expect(await find('number13')).toEqual([]);
    await expectIndexMatchesData();
  });

  it('forgets everything with "delete all my data"', async () => {
    await record();
    await store.handle('addThought', { messageId: (await record({ content: 'Second one' })).messageId, kind: 'reason', content: 'why', label: '' });
    await store.searchIndexed();
    expect(await db.searchPostings.count()).toBeGreaterThan(0);
    await store.handle('deleteAllData', { confirm: 'DELETE' });
    await store.searchIndexed();
    for (const table of [db.searchPostings, db.searchTerms, db.conversationStats, db.searchQueue]) expect(await table.count()).toBe(0);
    expect(await find('soy')).toEqual([]);
    // And starts again from nothing.
    const again = await record({ content: 'Soy again' });
    expect(await find('soy')).toEqual([again.conversationId]);
    await expectIndexMatchesData();
  });

  it('finds conversations written since the last indexing by reading them directly', async () => {
    // A database whose background has not indexed yet (no store runs on it): the writes are queued.
    const unindexed = freshDb();
    await unindexed.transaction('rw', [unindexed.conversations, unindexed.messages, unindexed.thoughts], () =>
      importThoughtTrace(unindexed, loadExamples().slice(0, 2)),
    );
    expect(await unindexed.searchQueue.count()).toBe(2);
    expect(await unindexed.searchPostings.count()).toBe(0);
    expect(await find('okara', unindexed)).toEqual(['user804_task2_conversation1']);
    const indexer = await recordingStore(unindexed);
    await indexer.searchIndexed();
    expect(await unindexed.searchQueue.count()).toBe(0);
    expect(await find('okara', unindexed)).toEqual(['user804_task2_conversation1']);
  });

  it('indexes what a backup restores', async () => {
    const source = freshDb();
    const sourceStore = await recordingStore(source);
    await sourceStore.handle('importConversations', { conversations: loadExamples().slice(0, 3) });
    const parsed = parseBackup(`${(await backupLines(source)).join('\n')}\n`);
    if (!parsed.ok) throw new Error('backup did not parse');
    const importId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    await store.handle('stageBackup', { importId, index: 0, entries: parsed.entries });
    await store.handle('commitBackup', { importId, batches: 1, version: 1 });
    expect(await find('okara')).toEqual(['user804_task2_conversation1']);
    await expectIndexMatchesData();
  });

  it('indexes a database from before search existed when the background starts', async () => {
    const name = `search-upgrade-${Date.now()}`;
    const old = openOldDatabase(name, 4);
    await old.table('conversations').add({
      id: 'old-1', uploadId: crypto.randomUUID(), site: 'chatgpt', siteConversationId: null, title: 'Old times', modelName: '', modelProvider: 'OpenAI',
      createdAt: '2026-01-01T00:00:00.000+00:00', updatedAt: '2026-01-01T00:00:00.000+00:00', taskSummary: '', taskExpectation: '', leafMessageId: 1,
    });
    await old.table('messages').add({
      id: 1, conversationId: 'old-1', role: 'user', content: 'A question from last winter', timestamp: '2026-01-01T00:00:00.000Z', parentId: null, order: 0,
      source: 'live', datasetId: 1, siteMessageId: null,
    });
    old.close();
    const upgraded = openDb(name);
    opened.push(upgraded);
    const background = await recordingStore(upgraded);
    await background.searchIndexed();
    expect(await upgraded.searchQueue.count()).toBe(0);
    expect(await find('winter', upgraded)).toEqual(['old-1']);
    await expectIndexMatchesData(upgraded);
  });
});
