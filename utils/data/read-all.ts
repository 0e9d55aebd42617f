import type { ThoughtTraceDb } from './db';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from './records';

// Reading many conversations with their messages and thoughts, for the exports and the backup.
// One query per conversation is bound by the browser's latency (21,550 conversations took tens of
// seconds); a range of conversation ids read at once takes a few hundred per query instead.

/** Conversations per range read: a few megabytes of text at a time. */
const CHUNK = 400;

/**
 * Calls `visit` for each of `conversations` with all of its messages (every branch) and thoughts,
 * in the order of their ids. Call it inside one read transaction over the three tables, so what
 * it reads is one consistent state.
 */
export async function forEachConversation(
  db: ThoughtTraceDb,
  conversations: readonly ConversationRecord[],
  visit: (conversation: ConversationRecord, messages: MessageRecord[], thoughts: ThoughtRecord[]) => void,
): Promise<void> {
  // IndexedDB orders string keys by UTF-16 code units, as < does.
  const sorted = [...conversations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let start = 0; start < sorted.length; start += CHUNK) {
    const part = sorted.slice(start, start + CHUNK);
    const [first, last] = [part[0]!.id, part.at(-1)!.id];
    const [messages, thoughts] = await Promise.all([
      db.messages.where('conversationId').between(first, last, true, true).toArray(),
      db.thoughts.where('conversationId').between(first, last, true, true).toArray(),
    ]);
    const messagesOf = groupBy(messages);
    const thoughtsOf = groupBy(thoughts);
    for (const conversation of part) visit(conversation, messagesOf.get(conversation.id) ?? [], thoughtsOf.get(conversation.id) ?? []);
  }
}

function groupBy<T extends { conversationId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.conversationId);
    if (group) group.push(row);
    else groups.set(row.conversationId, [row]);
  }
  return groups;
}
