import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import type { ConversationRecord, MessageRecord, SurveyAnswers, ThoughtRecord } from '../../utils/data/records';
import {
  exportThoughtTrace,
  importThoughtTrace,
  parseThoughtTraceJsonl,
  toThoughtTrace,
} from '../../utils/data/thoughttrace';

// The repository is always checked out with ../shared beside it (CONTRACTS.md section 1).
// (A path, not `new URL(..., import.meta.url)`: under happy-dom, URL is the DOM's and fs rejects it.)
const EXAMPLES_TEXT = readFileSync(
  path.resolve(__dirname, '../../../shared/data/thoughttrace-examples.jsonl'),
  'utf8',
);
const EXAMPLE_LINES = EXAMPLES_TEXT.split('\n').filter((line) => line.trim() !== '');

let dbCounter = 0;
const opened: ThoughtTraceDb[] = [];
function freshDb(): ThoughtTraceDb {
  const db = openDb(`thoughttrace-test-${Date.now()}-${++dbCounter}`);
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

async function counts(db: ThoughtTraceDb) {
  return {
    conversations: await db.conversations.count(),
    messages: await db.messages.count(),
    thoughts: await db.thoughts.count(),
    drafts: await db.drafts.count(),
  };
}

/** A valid one-line conversation to break in one place per test. */
function validConversation() {
  return {
    id: 'c1',
    messages: [
      {
        content: 'Help me plan a trip',
        timestamp: '2026-04-01T10:00:00.000Z',
        type: 'user',
        id: 1000,
        reasons: [{ content: 'I am going to Rome', timestamp: '2026-04-01T10:00:05.000Z', label: 'task_motivation' }],
      },
      {
        content: 'Sure, here is a plan.',
        timestamp: '2026-04-01T10:00:10.000Z',
        type: 'assistant',
        id: 2000,
        reactions: [{ content: 'Useful', timestamp: '2026-04-01T10:00:20.000Z', label: '' }],
      },
    ],
    model_name: 'GPT-5.4',
    model_provider: 'OpenAI',
    created_at: '2026-04-01T10:00:00.000+00:00',
    updated_at: '2026-04-01T10:00:20.000+00:00',
    task_summary: '',
    task_expectation: '',
    survey_answers: [],
  };
}

describe('ThoughtTrace JSONL round trip of the public examples', () => {
  it('parses all 12 example conversations without errors', () => {
    const parsed = parseThoughtTraceJsonl(EXAMPLES_TEXT);
    expect(parsed.errors).toEqual([]);
    expect(parsed.conversations).toHaveLength(12);
    expect(EXAMPLE_LINES).toHaveLength(12);
  });

  it('imports then exports every example byte-for-byte (same keys, order and values)', async () => {
    const db = freshDb();
    const parsed = parseThoughtTraceJsonl(EXAMPLES_TEXT);
    expect(parsed.errors).toEqual([]);
    expect(await importThoughtTrace(db, parsed.conversations)).toEqual({ imported: 12, skipped: 0 });

    const exported = await exportThoughtTrace(db);
    expect(exported.endsWith('\n')).toBe(true);
    const exportedLines = exported.split('\n').filter((line) => line !== '');
    expect(exportedLines).toHaveLength(12);

    // Export is oldest first (ties broken by id).
    expect(exportedLines.map((line) => JSON.parse(line).id)).toEqual([
      'user155_task2_conversation1',
      'user288_task2_conversation1',
      'user353_task2_conversation1',
      'user1020_task1_conversation1',
      'user528_task2_conversation1',
      'user584_task1_conversation1',
      'user584_task2_conversation1',
      'user727_task1_conversation1',
      'user804_task1_conversation1',
      'user804_task2_conversation1',
      'user897_task1_conversation1',
      'user897_task2_conversation1',
    ]);

    const exportedById = new Map(exportedLines.map((line) => [JSON.parse(line).id as string, line]));
    expect(exportedById.size).toBe(12);
    for (const original of EXAMPLE_LINES) {
      const originalObject = JSON.parse(original);
      const line = exportedById.get(originalObject.id);
      expect(line, `conversation ${originalObject.id} missing from the export`).toBeDefined();
      expect(JSON.stringify(JSON.parse(line!)), `conversation ${originalObject.id}`).toBe(
        JSON.stringify(originalObject),
      );
    }
  });

  it('importing the same file twice imports nothing the second time and changes no counts', async () => {
    const db = freshDb();
    const { conversations } = parseThoughtTraceJsonl(EXAMPLES_TEXT);
    expect(await importThoughtTrace(db, conversations)).toEqual({ imported: 12, skipped: 0 });
    const before = await counts(db);
    expect(before.conversations).toBe(12);
    const expectedMessages = conversations.reduce((n, c) => n + c.messages.length, 0);
    const expectedThoughts = conversations.reduce(
      (n, c) => n + c.messages.reduce((k, m) => k + (m.type === 'user' ? m.reasons : m.reactions).length, 0),
      0,
    );
    expect(before.messages).toBe(expectedMessages);
    expect(before.thoughts).toBe(expectedThoughts);

    expect(await importThoughtTrace(db, conversations)).toEqual({ imported: 0, skipped: 12 });
    expect(await counts(db)).toEqual(before);
  });
});

describe('parseThoughtTraceJsonl error reporting', () => {
  const line = (value: unknown) => JSON.stringify(value);

  it('ignores blank lines and still numbers lines as in the file', () => {
    const text = ['', line(validConversation()), '   ', '\t', line({ ...validConversation(), id: 'c2' }), ''].join('\r\n');
    const parsed = parseThoughtTraceJsonl(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('reports invalid JSON with its line number', () => {
    const text = [line(validConversation()), '', '{"id": "broken",'].join('\n');
    const parsed = parseThoughtTraceJsonl(text);
    expect(parsed.conversations).toHaveLength(1);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(3);
    expect(parsed.errors[0]!.message).toMatch(/json/i);
  });

  it('reports a missing field by name', () => {
    const { task_expectation: _dropped, ...missing } = validConversation();
    const parsed = parseThoughtTraceJsonl([line(validConversation()), line(missing)].join('\n'));
    expect(parsed.conversations).toHaveLength(1);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.message).toMatch(/task_expectation/);
    expect(parsed.errors[0]!.message).toMatch(/expected string, received undefined/);
  });

  it('reports a label that is not one of the dataset labels', () => {
    const bad = validConversation();
    bad.messages[0]!.reasons![0]!.label = 'curiosity';
    const parsed = parseThoughtTraceJsonl(['', line(bad)].join('\n'));
    expect(parsed.conversations).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.message).toContain('messages[0].reasons[0].label');
  });

  it('rejects "reactions" on a user message', () => {
    const bad = validConversation();
    const { reasons, ...user } = bad.messages[0]!;
    bad.messages[0] = { ...user, reactions: reasons } as (typeof bad.messages)[number];
    const parsed = parseThoughtTraceJsonl(line(bad));
    expect(parsed.conversations).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(1);
    // Both sides of the mistake are named: the unexpected key and the missing one.
    expect(parsed.errors[0]!.message).toMatch(/unrecognized key: "reactions"/i);
    expect(parsed.errors[0]!.message).toContain('messages[0].reasons');
  });

  it('rejects message ids that do not increase', () => {
    const bad = validConversation();
    bad.messages[1]!.id = bad.messages[0]!.id;
    const parsed = parseThoughtTraceJsonl([line(validConversation()), line(bad)].join('\n'));
    expect(parsed.conversations).toHaveLength(1);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.message).toMatch(/increase/);
    expect(parsed.errors[0]!.message).toContain('messages[1].id');
  });

  it('rejects an unknown extra field', () => {
    const bad = { ...validConversation(), site: 'chatgpt' };
    const parsed = parseThoughtTraceJsonl(line(bad));
    expect(parsed.conversations).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(1);
    expect(parsed.errors[0]!.message).toMatch(/unrecognized key: "site"/i);
  });

  it('reports every bad line, not only the first', () => {
    const text = ['not json', line(validConversation()), line({ ...validConversation(), extra: 1 })].join('\n');
    const parsed = parseThoughtTraceJsonl(text);
    expect(parsed.errors.map((e) => e.line)).toEqual([1, 3]);
    expect(parsed.conversations).toHaveLength(1);
  });
});

describe('toThoughtTrace', () => {
  const conversation: ConversationRecord = {
    id: 'conv-1',
    uploadId: '0b8e3c1e-5a4f-4d2b-9c7e-2f1a6d3b8e90',
    site: 'chatgpt',
    siteConversationId: 'abc',
    title: 'Trip',
    modelName: 'GPT-5.4',
    modelProvider: 'OpenAI',
    createdAt: '2026-04-01T10:00:00.000+00:00',
    updatedAt: '2026-04-01T10:05:00.000+00:00',
    taskSummary: 'Plan a trip',
    taskExpectation: 'A day-by-day plan',
    leafMessageId: null,
  };
  const profile: SurveyAnswers = {
    age: '25-34',
    gender: 'Female',
    education: 'Master',
    occupation: 'Engineer',
    frequency: 'Daily',
    purposes: 'Work',
  };
  const message = (id: number, order: number, role: 'user' | 'assistant', content: string, parentId: number | null = null): MessageRecord => ({
    id,
    conversationId: 'conv-1',
    role,
    content,
    timestamp: `2026-04-01T10:0${order}:00.000Z`,
    parentId,
    source: 'live',
    order,
    datasetId: 1_775_000_000_000 + order,
    siteMessageId: null,
  });
  const thought = (id: number, messageId: number, kind: 'reason' | 'reaction', content: string): ThoughtRecord => ({
    id,
    conversationId: 'conv-1',
    messageId,
    kind,
    content,
    label: '',
    createdAt: `2026-04-01T11:00:${String(id).padStart(2, '0')}.000Z`,
    updatedAt: `2026-04-01T11:00:${String(id).padStart(2, '0')}.000Z`,
  });

  it('applies the participant’s redactions, with one placeholder per value across messages and thoughts', () => {
    const text = 'Write to ana@example.org about Ana.';
    const prompt = { ...message(1, 0, 'user', text), redactions: [{ start: 9, end: 24, kind: 'email' as const }, { start: 31, end: 34, kind: 'name' as const }] };
    const reply = { ...message(2, 1, 'assistant', 'I will write to ana@example.org.', 1), redactions: [{ start: 16, end: 31, kind: 'email' as const }] };
    const why = { ...thought(3, 1, 'reason', 'Ana asked me to'), redactions: [{ start: 0, end: 3, kind: 'name' as const }] };
    const exported = toThoughtTrace({ ...conversation, leafMessageId: 2 }, [prompt, reply], [why], null);
    expect(exported.messages.map((m) => m.content)).toEqual(['Write to [EMAIL_1] about [NAME_1].', 'I will write to [EMAIL_1].']);
    const first = exported.messages[0]!;
    expect(first.type === 'user' && first.reasons.map((t) => t.content)).toEqual(['[NAME_1] asked me to']);
    expect(JSON.stringify(exported)).not.toMatch(/ana@example|Ana\b/);
  });

  it('orders messages by their position, whatever order they are passed in', () => {
    // Database ids deliberately disagree with conversation order.
    const messages = [
      message(30, 2, 'user', 'third', 20),
      message(10, 0, 'user', 'first'),
      message(20, 1, 'assistant', 'second', 10),
      message(5, 3, 'assistant', 'fourth', 30),
    ];
    const out = toThoughtTrace(conversation, messages, [], null);
    expect(out.messages.map((m) => m.content)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(out.messages.map((m) => m.id)).toEqual([
      1_775_000_000_000, 1_775_000_000_001, 1_775_000_000_002, 1_775_000_000_003,
    ]);
    expect(out.messages.map((m) => m.type)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // Every message carries its thought array, even when empty.
    expect(out.messages[0]).toHaveProperty('reasons', []);
    expect(out.messages[1]).toHaveProperty('reactions', []);
    expect(out.messages[0]).not.toHaveProperty('reactions');
    expect(out.messages[1]).not.toHaveProperty('reasons');
  });

  it('keeps several thoughts on one message in the order they were written', () => {
    const messages = [message(10, 0, 'user', 'q'), message(20, 1, 'assistant', 'a', 10)];
    const thoughts = [
      thought(3, 10, 'reason', 'third reason'),
      thought(1, 10, 'reason', 'first reason'),
      thought(4, 20, 'reaction', 'only reaction'),
      thought(2, 10, 'reason', 'second reason'),
    ];
    const out = toThoughtTrace(conversation, messages, thoughts, null);
    const user = out.messages[0]!;
    const assistant = out.messages[1]!;
    expect(user.type === 'user' && user.reasons.map((t) => t.content)).toEqual([
      'first reason',
      'second reason',
      'third reason',
    ]);
    expect(assistant.type === 'assistant' && assistant.reactions.map((t) => t.content)).toEqual(['only reaction']);
    // A thought's timestamp is when it was written.
    expect(user.type === 'user' && user.reasons[0]!.timestamp).toBe('2026-04-01T11:00:01.000Z');
  });

  it('writes keys in the release order', () => {
    const out = toThoughtTrace(conversation, [message(10, 0, 'user', 'q')], [thought(1, 10, 'reason', 'r')], null);
    expect(Object.keys(out)).toEqual([
      'id',
      'messages',
      'model_name',
      'model_provider',
      'created_at',
      'updated_at',
      'task_summary',
      'task_expectation',
      'survey_answers',
    ]);
    expect(Object.keys(out.messages[0]!)).toEqual(['content', 'timestamp', 'type', 'id', 'reasons']);
    expect(Object.keys((out.messages[0] as { reasons: object[] }).reasons[0]!)).toEqual([
      'content',
      'timestamp',
      'label',
    ]);
  });

  it('uses the participant profile for survey_answers when the conversation has none', () => {
    const messages = [message(10, 0, 'user', 'q')];
    expect(toThoughtTrace(conversation, messages, [], profile).survey_answers).toEqual([profile]);
    expect(toThoughtTrace(conversation, messages, [], null).survey_answers).toEqual([]);
  });

  it("keeps an imported conversation's own survey answers over the profile", () => {
    const own: SurveyAnswers = { ...profile, age: '45-54', occupation: 'Teacher' };
    const imported: ConversationRecord = { ...conversation, site: 'import', surveyAnswers: [own] };
    expect(toThoughtTrace(imported, [message(10, 0, 'user', 'q')], [], profile).survey_answers).toEqual([own]);
    const importedWithout: ConversationRecord = { ...conversation, site: 'import', surveyAnswers: [] };
    expect(toThoughtTrace(importedWithout, [message(10, 0, 'user', 'q')], [], profile).survey_answers).toEqual([]);
  });
});

describe('exportThoughtTrace', () => {
  it('is empty for an empty database and leaves out conversations with no messages', async () => {
    const db = freshDb();
    expect(await exportThoughtTrace(db)).toBe('');
    await db.conversations.add({
      id: 'empty',
      uploadId: crypto.randomUUID(),
      site: 'chatgpt',
      siteConversationId: null,
      title: '',
      modelName: '',
      modelProvider: 'OpenAI',
      createdAt: '2026-04-01T10:00:00.000+00:00',
      updatedAt: '2026-04-01T10:00:00.000+00:00',
      taskSummary: '',
      taskExpectation: '',
      leafMessageId: null,
    });
    expect(await exportThoughtTrace(db)).toBe('');
  });
});
