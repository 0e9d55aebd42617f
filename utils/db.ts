import Dexie, { type EntityTable } from 'dexie';
import type { ConversationRecord, DraftRecord, MessageRecord, ThoughtRecord } from './schema';

export interface SettingRow {
  key: 'settings';
  value: unknown;
}

export type ThoughtTraceDb = Dexie & {
  conversations: EntityTable<ConversationRecord, 'id'>;
  messages: EntityTable<MessageRecord, 'id'>;
  thoughts: EntityTable<ThoughtRecord, 'id'>;
  drafts: EntityTable<DraftRecord, 'key'>;
  settings: EntityTable<SettingRow, 'key'>;
};

export const DB_NAME = 'thoughttrace';

/** One database for every extension page and the background. Only the background writes. */
export function openDb(name = DB_NAME): ThoughtTraceDb {
  const db = new Dexie(name) as ThoughtTraceDb;
  db.version(1).stores({
    conversations: 'id, [site+siteConversationId], updatedAt',
    messages: '++id, conversationId, [conversationId+order]',
    thoughts: '++id, conversationId, messageId',
    drafts: 'key, messageId',
    settings: 'key',
  });
  return db;
}

let shared: ThoughtTraceDb | undefined;
export const db = (): ThoughtTraceDb => (shared ??= openDb());
