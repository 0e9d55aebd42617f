import type { ThoughtTraceDb } from './db';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from './records';

// Reading many conversations with their messages and thoughts, for the exports and the backup.
// One query per conversation is bound by the browser's latency (21,550 conversations took tens of
// seconds); a range of conversation ids read at once takes a thousand per query instead, the next range
// read while this one is converted.

/** Conversations per range read: a few megabytes of text at a time. */
const CHUNK = 1000;

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
  const parts: ConversationRecord[][] = [];
  for (let start = 0; start < sorted.length; start += CHUNK) parts.push(sorted.slice(start, start + CHUNK));
  const read = (part: ConversationRecord[]) => {
    const [first, last] = [part[0]!.id, part.at(-1)!.id];
    return Promise.all([
      db.messages.where('conversationId').between(first, last, true, true).toArray(),
      db.thoughts.where('conversationId').between(first, last, true, true).toArray(),
    ]);
  };
  // The next range is read while this one is turned into lines.
  let next = parts.length ? read(parts[0]!) : undefined;
  for (const [i, part] of parts.entries()) {
    const [messages, thoughts] = await next!;
    next = i + 1 < parts.length ? read(parts[i + 1]!) : undefined;
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
