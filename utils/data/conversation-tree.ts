import type { ConversationRecord, MessageRecord } from './records';

// A conversation's messages form a tree: each message names the one before it on its branch
// (parentId), and versions of a turn (edits, regenerations) are siblings. These are the pure
// walks over it that the store and the export share.

/**
 * The branch the participant ended on, first message first: the leaf and its ancestors. Other
 * versions of a turn (edits, regenerations) stay in the database but are not part of it.
 */
export function branchOf(conversation: ConversationRecord, messages: MessageRecord[]): MessageRecord[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const deepest = [...messages].sort((a, b) => b.order - a.order || b.id - a.id)[0];
  let current = (conversation.leafMessageId !== null ? byId.get(conversation.leafMessageId) : undefined) ?? deepest;
  const branch: MessageRecord[] = [];
  while (current && branch.length <= messages.length) {
    branch.push(current);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return branch.reverse();
}

/** The messages whose depth (`order`) no longer matches their parent links, with the depth they should have. */
export function renumbered(messages: MessageRecord[]): MessageRecord[] {
  const children = new Map<number | null, MessageRecord[]>();
  for (const m of messages) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
  const changed: MessageRecord[] = [];
  const visit = (parentId: number | null, order: number) => {
    for (const child of children.get(parentId) ?? []) {
      if (child.order !== order) changed.push({ ...child, order });
      visit(child.id, order + 1);
    }
  };
  visit(null, 0);
  return changed;
}

/**
 * What deleting message `id` changes in its conversation's tree: only that message goes (its
 * thoughts with it, elsewhere); the messages that followed it follow its parent instead, so the
 * branch reads on without it, and depths are renumbered. When it was the message the participant
 * ended on, the branch now ends at its parent (null for a first message: the deepest then).
 * Returns the messages whose parent or depth changed, and the leaf to store.
 */
export function withoutMessage(
  conversation: ConversationRecord,
  messages: MessageRecord[],
  id: number,
): { changed: MessageRecord[]; leafMessageId: number | null } {
  const deleted = messages.find((m) => m.id === id);
  if (!deleted) return { changed: [], leafMessageId: conversation.leafMessageId };
  const relinked = new Map<number, MessageRecord>();
  const rest = messages
    .filter((m) => m.id !== id)
    .map((m) => {
      if (m.parentId !== id) return m;
      const moved = { ...m, parentId: deleted.parentId };
      relinked.set(m.id, moved);
      return moved;
    });
  const changed = new Map(relinked);
  for (const m of renumbered(rest)) changed.set(m.id, m);
  return {
    changed: [...changed.values()],
    leafMessageId: conversation.leafMessageId === id ? deleted.parentId : conversation.leafMessageId,
  };
}
