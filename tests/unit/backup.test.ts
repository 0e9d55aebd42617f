import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import { backupLines } from '../../utils/data/backup';
import { BACKUP_VERSION, parseBackup, type BackupEntry } from '../../utils/data/backup-format';
import { thoughtTraceLines } from '../../utils/data/thoughttrace';
import type { RequestData } from '../../utils/protocol/requests';
import type { Store } from '../../utils/background/store';
import { loadExamples } from '../support/unit/examples';
import { recordingStore } from '../support/unit/store';

let dbCounter = 0;
const opened: ThoughtTraceDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

async function freshStore(): Promise<{ db: ThoughtTraceDb; store: Store }> {
  const db = openDb(`backup-test-${Date.now()}-${++dbCounter}`);
  opened.push(db);
  let tick = Date.parse('2026-04-01T10:00:00.000Z');
  // A clock that moves a second per read, so every record has its own time.
  return { db, store: await recordingStore(db, () => new Date((tick += 1000))) };
}

/** Every row the participant's data lives in, in key order. */
async function dump(db: ThoughtTraceDb) {
  return {
    conversations: await db.conversations.orderBy(':id').toArray(),
    messages: await db.messages.orderBy(':id').toArray(),
    thoughts: await db.thoughts.orderBy(':id').toArray(),
    drafts: await db.drafts.orderBy(':id').toArray(),
    settings: await db.settings.orderBy(':id').toArray(),
  };
}

/** Everything a participant can make: branches, thoughts, drafts, redactions, review state, exclusions, task answers, settings, profile, an import. */
async function participantData(store: Store) {
  const prompt = (overrides: Partial<RequestData<'recordMessage'>>): RequestData<'recordMessage'> => ({
    site: 'chatgpt',
    conversationId: null,
    siteConversationId: 'site-1',
    title: 'Soy milk',
    modelName: 'GPT-5.4',
    role: 'user',
    content: 'How do I strain soy milk? Mail me at ana@example.org',
    siteMessageId: 'u1',
    ...overrides,
  });
  const record = async (overrides: Partial<RequestData<'recordMessage'>>) => {
    const result = await store.handle('recordMessage', prompt(overrides));
    if (!result.captured) throw new Error('not captured');
    return result;
  };
  const first = await record({});
  const reply = await record({ conversationId: first.conversationId, role: 'assistant', content: 'Use a press.', siteMessageId: 'a1' });
  // The prompt edited: a second version of the first turn, with its own reply.
  const edited = await record({ conversationId: first.conversationId, content: 'How do I strain it faster?', siteMessageId: 'u1b', parentMessageId: null });
  await record({ conversationId: first.conversationId, role: 'assistant', content: 'Squeeze with a lever.', siteMessageId: 'a1b' });
  const reason = await store.handle('addThought', { messageId: first.messageId, kind: 'reason', content: 'My hands hurt, says Ana', label: 'task_motivation' });
  await store.handle('addThought', { messageId: edited.messageId, kind: 'reason', content: 'Faster is better', label: '' });
  await store.handle('addThought', { messageId: reply.messageId, kind: 'reaction', content: 'Too vague', label: 'scope_fit' });
  await store.handle('saveDraft', { messageId: reply.messageId, kind: 'reaction', content: 'Half-written thou', label: '' });
  const email = prompt({}).content.indexOf('ana@');
  await store.handle('setRedactions', { target: { messageId: first.messageId }, spans: [{ start: email, end: email + 15, kind: 'email' }] });
  await store.handle('setRedactions', { target: { thoughtId: reason }, spans: [{ start: 20, end: 23, kind: 'name' }] });
  await store.handle('updateTask', { conversationId: first.conversationId, taskSummary: 'Make soy milk', taskExpectation: 'A quick tip' });
  await store.handle('setReviewState', { conversationId: first.conversationId, state: 'reviewed' });
  await store.handle('setExcluded', { conversationId: first.conversationId, messageId: reply.messageId, excluded: true });
  await store.handle('setConversationQuiet', { conversationId: first.conversationId, quiet: true });

  const second = await record({ site: 'claude', siteConversationId: 'site-2', title: 'Private', content: 'Something private', siteMessageId: 'c1' });
  await store.handle('setExcluded', { conversationId: second.conversationId, excluded: true });

  await store.handle('importConversations', { conversations: loadExamples().slice(0, 2) });
  await store.handle('updateSettings', { ask: 'reasons', everyNth: 3, cardTimeoutSeconds: 120, askTask: false });
  await store.handle('saveProfile', {
    profile: { age: '25-34', gender: 'Woman', education: 'Master', occupation: 'Chemist', frequency: 'Daily', purposes: 'Cooking' },
  });
  return { first, second };
}

async function lines(db: ThoughtTraceDb): Promise<string> {
  return `${(await backupLines(db)).join('\n')}\n`;
}

function entriesOf(text: string): BackupEntry[] {
  const parsed = parseBackup(text);
  if (!parsed.ok) throw new Error(`backup did not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.entries;
}

let importCounter = 0;
/** Sends a backup the way the review page does: in batches of `perBatch` entries, then commit. */
async function restore(store: Store, entries: BackupEntry[], perBatch = 2) {
  const importId = `0a1b2c3d-4e5f-4a6b-8c7d-${String(++importCounter).padStart(12, '0')}`;
  let index = 0;
  for (let i = 0; i < entries.length; i += perBatch) {
    await store.handle('stageBackup', { importId, index: index++, entries: entries.slice(i, i + perBatch) });
  }
  return store.handle('commitBackup', { importId, batches: index, version: BACKUP_VERSION });
}

describe('the full backup', () => {
  it('brings back everything into a fresh browser: every record identical, ids included', async () => {
    const source = await freshStore();
    await participantData(source.store);
    const file = await lines(source.db);
    expect(file.split('\n')[0]).toContain('"format":"thoughttrace-backup","version":1');

    const target = await freshStore();
    // A new install: recording is on from its own welcome page, the rest is default.
    expect(await restore(target.store, entriesOf(file))).toEqual({ imported: 4, skipped: 0 });
    expect(await dump(target.db)).toEqual(await dump(source.db));
    expect(await thoughtTraceLines(target.db)).toEqual(await thoughtTraceLines(source.db));
    // The restored conversations are searchable.
    await target.store.searchIndexed();
    expect(await target.db.conversationStats.count()).toBe(4);
  });

  it('changes nothing when imported again, and keeps what is here over the backup’s copy', async () => {
    const { db, store } = await freshStore();
    const { first } = await participantData(store);
    const file = await lines(db);
    const before = await dump(db);
    expect(await restore(store, entriesOf(file))).toEqual({ imported: 0, skipped: 4 });
    expect(await dump(db)).toEqual(before);

    // Edited since the backup: the edit stays.
    await store.handle('updateTask', { conversationId: first.conversationId, taskSummary: 'Changed my mind', taskExpectation: '' });
    const edited = await dump(db);
    expect(await restore(store, entriesOf(file))).toEqual({ imported: 0, skipped: 4 });
    expect(await dump(db)).toEqual(edited);
  });

  it('merges into a browser with its own data, renumbering taken ids and keeping every link', async () => {
    const source = await freshStore();
    await participantData(source.store);
    const file = await lines(source.db);

    const target = await freshStore();
    await target.store.handle('importConversations', { conversations: loadExamples().slice(5, 8) });
    const theirs = await thoughtTraceLines(target.db);
    const takenIds = (await target.db.messages.toCollection().primaryKeys()) as number[];
    expect(await restore(target.store, entriesOf(file), 10)).toEqual({ imported: 4, skipped: 0 });

    // What was here is untouched; what came in reads exactly as it did at the source.
    const all = await thoughtTraceLines(target.db);
    for (const line of theirs) expect(all).toContain(line);
    for (const line of await thoughtTraceLines(source.db)) expect(all).toContain(line);
    const [sourceDump, targetDump] = [await dump(source.db), await dump(target.db)];
    expect(targetDump.messages).toHaveLength(sourceDump.messages.length + takenIds.length);
    expect(targetDump.drafts.map((draft) => draft.content)).toEqual(sourceDump.drafts.map((draft) => draft.content));
    const draft = targetDump.drafts[0]!;
    expect(draft.key).toBe(`${draft.messageId}:reaction`);
    expect(targetDump.messages.find((m) => m.id === draft.messageId)?.content).toBe('Use a press.');
    // Versions of a turn and the branch followed survive renumbering.
    const restored = targetDump.conversations.find((c) => c.title === 'Soy milk')!;
    const messages = targetDump.messages.filter((m) => m.conversationId === restored.id);
    expect(messages.filter((m) => m.parentId === null).map((m) => m.content)).toEqual([
      'How do I strain soy milk? Mail me at ana@example.org',
      'How do I strain it faster?',
    ]);
    expect(messages.find((m) => m.id === restored.leafMessageId)?.content).toBe('Squeeze with a lever.');
  });

  it('restores the asking preferences, the always-redact words and a missing profile, but never recording choices or a profile given here', async () => {
    const source = await freshStore();
    await participantData(source.store);
    await source.store.handle('setPaused', { paused: true });
    await source.store.handle('updateSettings', { alwaysRedact: ['Ana Ruiz', 'Leeds'] });
    const file = await lines(source.db);

    const target = await freshStore();
    await target.store.handle('updateSettings', { recording: { chatgpt: true, claude: false, gemini: false }, alwaysRedact: ['leeds', 'Acme Ltd'] });
    await restore(target.store, entriesOf(file));
    const { settings, profile } = await target.store.handle('getSettings', undefined);
    expect(settings).toMatchObject({ ask: 'reasons', everyNth: 3, cardTimeoutSeconds: 120, askTask: false });
    expect(settings.alwaysRedact).toEqual(['leeds', 'Acme Ltd', 'Ana Ruiz']);
    expect(settings).toMatchObject({ paused: false, recording: { chatgpt: true, claude: false, gemini: false } });
    expect(profile?.occupation).toBe('Chemist');

    const mine = { age: '45-54', gender: '', education: '', occupation: 'Baker', frequency: '', purposes: '' };
    const third = await freshStore();
    await third.store.handle('saveProfile', { profile: mine });
    await restore(third.store, entriesOf(file));
    expect((await third.store.handle('getSettings', undefined)).profile).toEqual(mine);
  });
});

describe('a bad backup file', () => {
  async function sourceFile() {
    const source = await freshStore();
    await participantData(source.store);
    return (await lines(source.db)).trimEnd().split('\n');
  }

  it('is refused whole, with the line and the reason', async () => {
    const file = await sourceFile();
    const errorsOf = (text: string) => {
      const parsed = parseBackup(text);
      return parsed.ok ? [] : parsed.errors;
    };
    expect(errorsOf(loadExamples().map((c) => JSON.stringify(c)).join('\n'))).toEqual([{ line: 1, message: 'not a ThoughtTrace backup' }]);
    expect(errorsOf(['{"format":"thoughttrace-backup","version":2}', ...file.slice(1)].join('\n'))[0]?.message).toMatch(/newer ThoughtTrace.*update the extension/);
    expect(errorsOf([...file.slice(0, 3), '{"type":"conversation",', ...file.slice(3)].join('\n'))).toEqual([{ line: 4, message: 'not valid JSON' }]);
    // Cut short: a conversation line is missing.
    expect(errorsOf(file.slice(0, -1).join('\n'))[0]?.message).toMatch(/incomplete: it should hold 4 conversations, it holds 3/);
    // The same conversation twice.
    expect(errorsOf([...file, file.at(-1)!].join('\n')).map((e) => e.line)).toEqual([file.length + 1]);

    // A thought about the wrong kind of message, and a thought pointing outside its conversation.
    const at = file.findIndex((line) => line.includes('"title":"Soy milk"'));
    const entry = JSON.parse(file[at]!) as Extract<BackupEntry, { type: 'conversation' }>;
    const replaced = (changed: object) => file.map((line, i) => (i === at ? JSON.stringify(changed) : line)).join('\n');
    const wrongKind = { ...entry, thoughts: entry.thoughts.map((t) => ({ ...t, kind: t.kind === 'reason' ? 'reaction' : 'reason', label: '' })) };
    const [kindError] = errorsOf(replaced(wrongKind));
    expect(kindError?.line).toBe(at + 1);
    expect(kindError?.message).toMatch(/cannot be about/);
    const dangling = { ...entry, thoughts: entry.thoughts.map((t) => ({ ...t, messageId: 99_999 })) };
    expect(errorsOf(replaced(dangling))[0]?.message).toMatch(/names no message/);
  });

  it('leaves the database unchanged when the background finds a problem, search index included', async () => {
    const file = (await sourceFile()).join('\n');
    const target = await freshStore();
    await target.store.handle('importConversations', { conversations: loadExamples().slice(0, 1) });
    await target.store.searchIndexed();
    const everything = async () => ({
      ...(await dump(target.db)),
      postings: await target.db.searchPostings.count(),
      stats: await target.db.conversationStats.toArray(),
      staged: await target.db.importBatches.count(),
    });
    const before = await everything();
    const entries = entriesOf(file);
    const importId = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';

    // A batch that does not fit the format is refused by its schema before anything is staged.
    const broken = { ...entries[1]!, conversation: { ...(entries[1] as Extract<BackupEntry, { type: 'conversation' }>).conversation, leafMessageId: 424242 } };
    await expect(target.store.handle('stageBackup', { importId, index: 0, entries: [broken] })).rejects.toThrow(/names no message[\s\S]*leafMessageId/);
    // After a refused commit the page discards what it staged, as the review page does.
    const refused = async (batches: number, reason: RegExp) => {
      await expect(target.store.handle('commitBackup', { importId, batches, version: BACKUP_VERSION })).rejects.toThrow(reason);
      await target.store.handle('discardImport', { importId });
    };
    // A batch that never arrived.
    await target.store.handle('stageBackup', { importId, index: 0, entries: entries.slice(0, 2) });
    await refused(2, /did not arrive \(1 of 2 parts\)/);
    // The same conversation in two batches, found when the whole file is in: nothing is written.
    await target.store.handle('stageBackup', { importId, index: 0, entries: entries.slice(0, 3) });
    await target.store.handle('stageBackup', { importId, index: 1, entries: entries.slice(2) });
    await refused(2, /twice: nothing was imported/);
    // A file of another kind staged under the same id.
    await target.store.handle('stageImport', { importId, index: 0, conversations: loadExamples().slice(3, 4) });
    await refused(1, /staged as a backup/);
    await target.store.searchIndexed();
    expect(await everything()).toEqual(before);
  });
});
