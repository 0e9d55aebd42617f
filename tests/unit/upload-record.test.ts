import { openOldDatabase } from '../support/unit/old-databases';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../utils/data/db';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from '../../utils/data/records';
import { toUploadLine, toUploadRecord } from '../../utils/data/upload-record';

const conversation: ConversationRecord = {
  id: 'local-conversation-id',
  uploadId: '6f1c2a9e-3b7d-4e58-a0c4-9d2e7b1f5a36',
  site: 'chatgpt',
  siteConversationId: '0f2b6c1e-aaaa-4bbb-8ccc-123456789abc',
  title: 'Flat hunting in Leeds',
  modelName: 'GPT-5.4',
  modelProvider: 'OpenAI',
  createdAt: '2026-04-01T10:00:00.000+00:00',
  updatedAt: '2026-04-01T10:05:00.000+00:00',
  taskSummary: 'Compare https://flats.example/list?area=LS6&owner=me',
  taskExpectation: '',
  leafMessageId: 4,
};
const message = (id: number, role: 'user' | 'assistant', content: string, extra: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  conversationId: conversation.id,
  role,
  content,
  timestamp: `2026-04-01T10:0${id}:00.000Z`,
  parentId: id === 1 ? null : id - 1,
  order: id - 1,
  source: 'live',
  datasetId: 1_775_000_000_000 + id,
  siteMessageId: `site-${id}`,
  ...extra,
});
const reason = (id: number, messageId: number, content: string): ThoughtRecord => ({
  id,
  conversationId: conversation.id,
  messageId,
  kind: 'reason',
  content,
  label: '',
  createdAt: '2026-04-01T11:00:00.000Z',
  updatedAt: '2026-04-01T11:00:00.000Z',
});

describe('the record a study receives', () => {
  const messages = [
    message(1, 'user', 'I am Ana, see https://flats.example/a/12?token=s3cr3t#photos', {
      redactions: [{ start: 5, end: 8, kind: 'name' }],
    }),
    message(2, 'assistant', 'Here is what I found.'),
    message(3, 'user', 'My bank details are on the form.', { excluded: true }),
    message(4, 'assistant', 'Thanks, Ana.'),
  ];
  const thoughts = [reason(1, 1, 'Ana wants a flat'), reason(2, 3, 'said too much here')];

  it('carries the conversation’s random upload id, no local or site id, and no title', () => {
    const line = toUploadLine(conversation, messages, thoughts, null);
    expect(JSON.parse(line).id).toBe(conversation.uploadId);
    for (const leak of [conversation.id, conversation.siteConversationId!, 'site-1', conversation.title]) expect(line).not.toContain(leak);
  });

  it('applies redactions, leaves out excluded messages with their thoughts, and strips URL queries and fragments', () => {
    const record = toUploadRecord(conversation, messages, thoughts, null);
    expect(record.messages.map((m) => m.content)).toEqual([
      'I am [NAME_1], see https://flats.example/a/12',
      'Here is what I found.',
      'Thanks, Ana.',
    ]);
    expect(record.task_summary).toBe('Compare https://flats.example/list');
    const line = JSON.stringify(record);
    expect(line).not.toContain('said too much');
    expect(line).not.toContain('s3cr3t');
    expect(line).not.toContain('photos');
    // Ids still increase along what is sent.
    const ids = record.messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('is the same line however often it is built', () => {
    expect(toUploadLine(conversation, messages, thoughts, null)).toBe(toUploadLine(conversation, [...messages].reverse(), [...thoughts].reverse(), null));
  });
});

describe('upgrading a database from before upload ids', () => {
  const name = `upload-id-upgrade-${Date.now()}`;
  afterEach(() => Dexie.delete(name));

  it('gives every existing conversation its own random upload id and keeps everything else', async () => {
    // Version 3, as the previous release left it.
    const old = openOldDatabase(name, 3);
    const { uploadId: _, ...before } = conversation;
    await old.table('conversations').bulkAdd([before, { ...before, id: 'second' }]);
    old.close();

    const db = openDb(name);
    const after = await db.conversations.toArray();
    db.close();
    expect(after.map(({ uploadId: _, ...rest }) => rest)).toEqual([before, { ...before, id: 'second' }]);
    const ids = after.map((c) => c.uploadId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
