import Dexie from 'dexie';

/**
 * The tables of database versions 3 and 4 as they were declared (0.1.0 shipped version 3; version
 * 4 only added a field), for tests that open an old database with today's openDb().
 */
export const STORES_V3: Record<string, string> = {
  conversations: 'id, [site+siteConversationId], updatedAt',
  messages: '++id, conversationId, [conversationId+order], [conversationId+siteMessageId], parentId',
  thoughts: '++id, conversationId, messageId',
  drafts: 'key, messageId',
  settings: 'key',
  importBatches: '[importId+index], importId',
};

/** A database called `name` at `version` (3 or 4), with the tables those versions had. */
export function openOldDatabase(name: string, version: 3 | 4): Dexie {
  const old = new Dexie(name);
  old.version(version).stores(STORES_V3);
  return old;
}
