import Dexie, { type EntityTable } from 'dexie';
import type { BackupEntry } from './backup-format';
import type { ConversationRecord, DraftRecord, MessageRecord, ThoughtRecord, ThoughtTraceConversation } from './records';
import type { ConversationUpload, StudyRow } from './study';
import { searchQueueMiddleware } from './search-queue';

export interface SettingRow {
  key: 'settings' | 'profile';
  value: unknown;
}

/**
 * One batch of a file being imported, kept until the whole file has arrived and is written at
 * once: conversations of a ThoughtTrace JSONL file, or entries of a full backup.
 */
export type ImportBatchRow = { importId: string; index: number } & (
  | { conversations: ThoughtTraceConversation[] }
  | { backup: BackupEntry[] }
);

/** A conversation waiting to be (re)indexed for search since it was last written. */
export interface SearchQueueRow {
  conversationId: string;
  /** New on every write: the indexer writes a conversation's index only if it did not change while it was read. */
  stamp: number;
}

/** The words a conversation was last indexed under, by its number in the index. */
export interface SearchTermsRow {
  doc: number;
  words: string[];
}

/** One word's conversations (their numbers), in one shard of the numbers. */
export interface SearchPostingRow {
  word: string;
  shard: number;
  docs: Uint32Array;
}

/** What the list shows and filters by without reading a conversation's thoughts, and its number in the index. */
export interface ConversationStatsRow {
  conversationId: string;
  doc: number;
  thoughts: number;
}

export type ThoughtTraceDb = Dexie & {
  conversations: EntityTable<ConversationRecord, 'id'>;
  messages: EntityTable<MessageRecord, 'id'>;
  thoughts: EntityTable<ThoughtRecord, 'id'>;
  drafts: EntityTable<DraftRecord, 'key'>;
  settings: EntityTable<SettingRow, 'key'>;
  importBatches: Dexie.Table<ImportBatchRow, [string, number]>;
  /** The study taken part in, the study being looked at before joining, and how uploading stands (utils/data/study.ts). */
  study: EntityTable<StudyRow, 'key'>;
  /** Per conversation: the line last sent to the study, or its refusal. */
  uploads: EntityTable<ConversationUpload, 'conversationId'>;
  searchQueue: EntityTable<SearchQueueRow, 'conversationId'>;
  searchTerms: EntityTable<SearchTermsRow, 'doc'>;
  searchPostings: Dexie.Table<SearchPostingRow, [string, number]>;
  conversationStats: EntityTable<ConversationStatsRow, 'conversationId'>;
};

export const DB_NAME = 'thoughttrace';

const searchListeners = new WeakMap<Dexie, Set<() => void>>();

/** Calls `listener` after each transaction that queued conversations for search indexing; returns how to stop. */
export function onSearchQueued(db: ThoughtTraceDb, listener: () => void): () => void {
  const listeners = searchListeners.get(db)!;
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** One database for every extension page and the background. Only the background writes. */
export function openDb(name = DB_NAME): ThoughtTraceDb {
  const db = new Dexie(name) as ThoughtTraceDb;
  const listeners = new Set<() => void>();
  searchListeners.set(db, listeners);
  db.use(searchQueueMiddleware(() => listeners.forEach((listener) => listener())));
  db.version(1).stores({
    conversations: 'id, [site+siteConversationId], updatedAt',
    messages: '++id, conversationId, [conversationId+order]',
    thoughts: '++id, conversationId, messageId',
    drafts: 'key, messageId',
    settings: 'key',
  });
  // Versions of a turn (edits, regenerations): messages form a tree through parentId, and the
  // conversation remembers the branch the participant ended on.
  db.version(2)
    .stores({
      messages: '++id, conversationId, [conversationId+order], [conversationId+siteMessageId], parentId',
    })
    .upgrade(async (tx) => {
      const lastByConversation = new Map<string, MessageRecord>();
      await tx
        .table<MessageRecord, number>('messages')
        .orderBy('[conversationId+order]')
        .modify((message) => {
          const previous = lastByConversation.get(message.conversationId);
          message.parentId = previous?.id ?? null;
          message.source = 'live';
          lastByConversation.set(message.conversationId, message);
        });
      await tx.table<ConversationRecord, string>('conversations').toCollection().modify((conversation) => {
        conversation.leafMessageId = lastByConversation.get(conversation.id)?.id ?? null;
      });
    });
  // Large files are imported in batches (one message each), staged here until the last arrives.
  db.version(3).stores({ importBatches: '[importId+index], importId' });
  // Each conversation gets the random id a study receives for it (utils/data/upload-record.ts).
  db.version(4)
    .stores({})
    .upgrade(async (tx) => {
      await tx.table<ConversationRecord, string>('conversations').toCollection().modify((conversation) => {
        conversation.uploadId ??= crypto.randomUUID();
      });
    });
  // Full-text search (utils/data/search.ts): every conversation starts queued for indexing.
  db.version(5)
    .stores({
      searchQueue: 'conversationId',
      searchTerms: '++doc',
      searchPostings: '[word+shard]',
      conversationStats: 'conversationId, &doc',
    })
    .upgrade(async (tx) => {
      const ids = (await tx.table<ConversationRecord, string>('conversations').toCollection().primaryKeys()) as string[];
      await tx.table<SearchQueueRow, string>('searchQueue').bulkPut(ids.map((conversationId) => ({ conversationId, stamp: Math.random() })));
    });
  // Taking part in a study: its state and upload status (a few keyed rows), and what each
  // conversation last sent. The queue is the conversations approved for upload, so it needs no table.
  db.version(6).stores({ study: 'key', uploads: 'conversationId' });
  // Conversations by review state: only approved, uploaded and changed ones carry one, so what a
  // study is concerned with is read without reading every conversation.
  db.version(7).stores({ conversations: 'id, [site+siteConversationId], updatedAt, review' });
  return db;
}

let shared: ThoughtTraceDb | undefined;
export const db = (): ThoughtTraceDb => (shared ??= openDb());
