import { openOldDatabase } from '../support/unit/old-databases';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../utils/data/db';
import {
  conversationRecordSchema,
  draftRecordSchema,
  messageRecordSchema,
  thoughtRecordSchema,
  thoughtTraceConversationSchema,
} from '../../utils/data/records';
import { readProfile, readSettings } from '../../utils/data/settings';
import { exportThoughtTrace } from '../../utils/data/thoughttrace';
import { thoughtsOf } from '../support/data';

// An update must keep every participant's data. ThoughtTrace 0.1.0 shipped database version 3;
// this builds that database by hand, as 0.1.0 left it, and opens it with today's openDb(), which
// runs every migration since (version 4 gave conversations their upload id; later ones are covered
// as they are added).

const name = `update-from-0.1.0-${Date.now()}`;
afterEach(() => Dexie.delete(name));

/** The schema of 0.1.0 (database version 3), as it was declared then. */
const openRelease010 = () => openOldDatabase(name, 3);

const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

// A ChatGPT conversation whose second prompt was edited: two branches, the participant ended on the edit.
const chatgpt = {
  id: 'c-chatgpt',
  site: 'chatgpt',
  siteConversationId: '0f2b6c1e-aaaa-4bbb-8ccc-123456789abc',
  title: 'Bean soup',
  modelName: 'GPT-5.4',
  modelProvider: 'OpenAI',
  createdAt: at(0),
  updatedAt: at(9),
  taskSummary: 'Plan a soup for six',
  taskExpectation: 'A shopping list',
  leafMessageId: 6,
  taskAsk: 'asked',
  review: 'reviewed',
};
const claude = {
  id: 'c-claude',
  site: 'claude',
  siteConversationId: '7d1e0c2a-1111-4222-8333-444455556666',
  title: 'Cover letter',
  modelName: 'Claude Opus 4.6',
  modelProvider: 'Anthropic',
  createdAt: at(20),
  updatedAt: at(22),
  taskSummary: '',
  taskExpectation: '',
  leafMessageId: 8,
  quiet: true,
  excluded: true,
};
const imported = {
  id: 'c-import',
  site: 'import',
  siteConversationId: null,
  title: 'Imported',
  modelName: 'Gemini 3 Pro',
  modelProvider: 'Google',
  createdAt: at(30),
  updatedAt: at(31),
  taskSummary: 'Translate a poem',
  taskExpectation: '',
  surveyAnswers: [{ age: '25-34', gender: 'woman', education: 'master', occupation: 'teacher', frequency: 'daily', purposes: 'work' }],
  leafMessageId: 10,
};

const message = (id: number, conversationId: string, role: 'user' | 'assistant', content: string, parentId: number | null, order: number, extra = {}) => ({
  id,
  conversationId,
  role,
  content,
  timestamp: at(id),
  parentId,
  order,
  source: 'live',
  datasetId: 1_764_496_800_000 + id * 60_000,
  siteMessageId: `m-${id}`,
  ...extra,
});
const messages = [
  message(1, 'c-chatgpt', 'user', 'A soup for six with beans?', null, 0, { redactions: [{ start: 20, end: 25, kind: 'custom' }] }),
  message(2, 'c-chatgpt', 'assistant', '## Plan\n\n1. Soak the beans\n2. Blend', 1, 1),
  message(3, 'c-chatgpt', 'user', 'Make it spicy', 2, 2),
  message(4, 'c-chatgpt', 'assistant', 'Add chilli.', 3, 3),
  message(5, 'c-chatgpt', 'user', 'Make it mild', 2, 2),
  message(6, 'c-chatgpt', 'assistant', 'Leave out the chilli.', 5, 3),
  message(7, 'c-claude', 'user', 'Shorten my letter', null, 0, { excluded: true }),
  message(8, 'c-claude', 'assistant', 'Here it is.', 7, 1, { source: 'history' }),
  message(9, 'c-import', 'user', 'Translate this poem', null, 0, { source: 'import', siteMessageId: null }),
  message(10, 'c-import', 'assistant', 'Here is the translation.', 9, 1, { source: 'import', siteMessageId: null }),
];

const thought = (id: number, messageId: number, conversationId: string, kind: 'reason' | 'reaction', content: string, label: string, extra = {}) => ({
  id,
  conversationId,
  messageId,
  kind,
  content,
  label,
  createdAt: at(40 + id),
  updatedAt: at(40 + id),
  ...extra,
});
const thoughts = [
  thought(1, 1, 'c-chatgpt', 'reason', 'Guests on Friday', 'task_motivation', { redactions: [{ start: 10, end: 16, kind: 'custom' }] }),
  thought(2, 2, 'c-chatgpt', 'reaction', 'Clear steps', 'presentation_style'),
  thought(3, 3, 'c-chatgpt', 'reason', 'They like heat', ''),
  thought(4, 5, 'c-chatgpt', 'reason', 'Changed my mind: children come too', 'task_reorientation'),
  thought(5, 6, 'c-chatgpt', 'reaction', 'Exactly right', 'explicit_affirmation'),
  thought(6, 8, 'c-claude', 'reaction', 'Too short', 'scope_fit'),
  thought(7, 9, 'c-import', 'reason', 'For a friend', 'social_and_others'),
];
const drafts = [{ key: '6:reaction', messageId: 6, kind: 'reaction', content: 'Half-written', label: 'content_relevance', updatedAt: at(50) }];
const settings = {
  paused: true,
  cardTimeoutSeconds: 120,
  ask: 'reasons',
  everyNth: 3,
  snoozedUntil: null,
  askTask: false,
  recording: { chatgpt: true, claude: true, gemini: false },
  recordOpened: false,
};
const profile = { age: '35-44', gender: 'man', education: 'bachelor', occupation: 'nurse', frequency: 'weekly', purposes: 'health questions' };

describe('updating from 0.1.0', () => {
  it('keeps every conversation, message, thought, draft, setting and the profile, and leaves them valid today', async () => {
    const old = openRelease010();
    await old.table('conversations').bulkAdd([chatgpt, claude, imported]);
    await old.table('messages').bulkAdd(messages);
    await old.table('thoughts').bulkAdd(thoughts);
    await old.table('drafts').bulkAdd(drafts);
    await old.table('settings').bulkAdd([
      { key: 'settings', value: settings },
      { key: 'profile', value: profile },
    ]);
    old.close();

    const db = openDb(name);
    try {
      const after = {
        conversations: await db.conversations.orderBy('id').toArray(),
        messages: await db.messages.orderBy('id').toArray(),
        thoughts: await db.thoughts.orderBy('id').toArray(),
        drafts: await db.drafts.toArray(),
      };
      // Everything is there with every field as it was (migrations may only add fields)…
      expect(after.conversations).toMatchObject([chatgpt, claude, imported]);
      expect(after.messages).toMatchObject(messages);
      expect(after.thoughts).toMatchObject(thoughts);
      expect(after.drafts).toMatchObject(drafts);
      // …and reads as a record of today's schema.
      for (const record of after.conversations) expect(conversationRecordSchema.safeParse(record).error?.issues ?? []).toEqual([]);
      for (const record of after.messages) expect(messageRecordSchema.safeParse(record).error?.issues ?? []).toEqual([]);
      for (const record of after.thoughts) expect(thoughtRecordSchema.safeParse(record).error?.issues ?? []).toEqual([]);
      for (const record of after.drafts) expect(draftRecordSchema.safeParse(record).error?.issues ?? []).toEqual([]);
      expect(new Set(after.conversations.map((c) => c.uploadId)).size).toBe(3);

      // Every setting as the participant left it (settings added since read as their defaults).
      expect(readSettings((await db.settings.get('settings'))?.value)).toMatchObject(settings);
      expect(readProfile((await db.settings.get('profile'))?.value)).toEqual(profile);

      // The export still follows the branch the participant ended on, with every thought on it.
      const exported = (await exportThoughtTrace(db, profile)).trim().split('\n').map((line) => thoughtTraceConversationSchema.parse(JSON.parse(line)));
      expect(exported.map((c) => c.id)).toEqual(['c-chatgpt', 'c-claude', 'c-import']);
      const soup = exported[0]!;
      expect(soup.messages.map((m) => m.content)).toEqual([
        'A soup for six with [CUSTOM_1]?',
        '## Plan\n\n1. Soak the beans\n2. Blend',
        'Make it mild',
        'Leave out the chilli.',
      ]);
      expect(soup.messages.flatMap(thoughtsOf).map((t) => [t.content, t.label])).toEqual([
        ['Guests on [CUSTOM_2]', 'task_motivation'],
        ['Clear steps', 'presentation_style'],
        ['Changed my mind: children come too', 'task_reorientation'],
        ['Exactly right', 'explicit_affirmation'],
      ]);
      expect(soup.survey_answers).toEqual([profile]);
      expect(exported[2]!.survey_answers).toEqual(imported.surveyAnswers);
    } finally {
      db.close();
    }
  });
});
