import type { BackupConversation, BackupEntry } from '../../data/backup-format';
import { MAX_ALWAYS_REDACT, draftKey, type ConversationRecord, type DraftRecord, type MessageRecord, type ThoughtRecord } from '../../data/records';
import { InvalidRequestError, storeHelpers, type Parsed, type StoreContext } from './context';
import { takeStaged } from './imports';

// Reading a full backup back (its format: utils/data/backup-format.ts). It arrives in batches
// like a large ThoughtTrace file (store/imports.ts), each checked against the format's schema,
// and is written in one transaction when the last batch is in: all of it or nothing.
//
// How it merges, so importing twice changes nothing and nothing here is overwritten:
// - a conversation whose id is already here is skipped whole (what is here wins, with whatever
//   was added since the backup); the others come back with every message, thought and draft;
// - message and thought ids are kept where they are free here, and renumbered where they are
//   taken (the links between them follow);
// - the profile comes back only if none is saved here;
// - the preferences for how to be asked (which thoughts, every Nth prompt, how long a card
//   stays, the task questions) come from the backup; whether and where recording is on, pausing
//   and snoozing stay as they are in this browser, where the participant turned recording on.

export interface RestoreResult {
  imported: number;
  /** Conversations already here, left as they are. */
  skipped: number;
}

export function backupOperations(ctx: StoreContext) {
  const { db } = ctx;
  const { getSettings, getProfile } = storeHelpers(ctx);

  /** Ids for the restored records: their own where free, the next unused one where not. */
  function idAllocator(taken: Set<number>, highest: number) {
    let next = highest + 1;
    return (id: number) => {
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
      while (taken.has(next)) next++;
      taken.add(next);
      return next;
    };
  }

  async function restore(entries: BackupEntry[]): Promise<RestoreResult> {
    const conversations = entries.filter((entry): entry is BackupConversation => entry.type === 'conversation');
    const ids = conversations.map((entry) => entry.conversation.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw new InvalidRequestError(`The backup holds conversation "${twice}" twice: nothing was imported`);
    const present = await db.conversations.bulkGet(ids);
    const fresh = conversations.filter((_, i) => !present[i]);

    const messageIds = fresh.flatMap((entry) => entry.messages.map((message) => message.id));
    const thoughtIds = fresh.flatMap((entry) => entry.thoughts.map((thought) => thought.id));
    const [messagesHere, thoughtsHere, lastMessage, lastThought] = await Promise.all([
      db.messages.bulkGet(messageIds),
      db.thoughts.bulkGet(thoughtIds),
      db.messages.orderBy(':id').lastKey(),
      db.thoughts.orderBy(':id').lastKey(),
    ]);
    const highest = (last: unknown, ids: number[]) => ids.reduce((max, id) => Math.max(max, id), Number(last ?? 0));
    const messageId = idAllocator(new Set(messageIds.filter((_, i) => messagesHere[i])), highest(lastMessage, messageIds));
    const thoughtId = idAllocator(new Set(thoughtIds.filter((_, i) => thoughtsHere[i])), highest(lastThought, thoughtIds));

    const newConversations: ConversationRecord[] = [];
    const newMessages: MessageRecord[] = [];
    const newThoughts: ThoughtRecord[] = [];
    const newDrafts: DraftRecord[] = [];
    for (const entry of fresh) {
      const ids = new Map(entry.messages.map((message) => [message.id, messageId(message.id)]));
      const mapped = (id: number) => ids.get(id)!;
      const { leafMessageId } = entry.conversation;
      newConversations.push({ ...entry.conversation, leafMessageId: leafMessageId === null ? null : mapped(leafMessageId) });
      for (const message of entry.messages) {
        newMessages.push({ ...message, id: mapped(message.id), parentId: message.parentId === null ? null : mapped(message.parentId) });
      }
      for (const thought of entry.thoughts) newThoughts.push({ ...thought, id: thoughtId(thought.id), messageId: mapped(thought.messageId) });
      for (const draft of entry.drafts) {
        newDrafts.push({ ...draft, messageId: mapped(draft.messageId), key: draftKey(mapped(draft.messageId), draft.kind) });
      }
    }
    await db.conversations.bulkAdd(newConversations);
    await Promise.all([db.messages.bulkAdd(newMessages), db.thoughts.bulkAdd(newThoughts), db.drafts.bulkPut(newDrafts)]);

    const saved = entries.find((entry) => entry.type === 'settings');
    if (saved) {
      const { ask, everyNth, cardTimeoutSeconds, askTask, alwaysRedact } = saved.settings;
      const current = await getSettings();
      // The "always redact" list joins this browser's: a word either one protects stays protected.
      const known = new Set(current.alwaysRedact.map((word) => word.toLocaleLowerCase()));
      const joined = [...current.alwaysRedact, ...alwaysRedact.filter((word) => !known.has(word.toLocaleLowerCase()))].slice(0, MAX_ALWAYS_REDACT);
      await db.settings.put({ key: 'settings', value: { ...current, ask, everyNth, cardTimeoutSeconds, askTask, alwaysRedact: joined } });
      if (saved.profile && !(await getProfile())) await db.settings.put({ key: 'profile', value: saved.profile });
    }
    return { imported: fresh.length, skipped: conversations.length - fresh.length };
  }

  return {
    /** One batch of a backup; nothing is written until `commitBackup`. */
    async stageBackup(input: Parsed<'stageBackup'>): Promise<void> {
      await db.importBatches.put({ importId: input.importId, index: input.index, backup: input.entries });
    },
    /** Restores every staged batch of the backup at once (all or nothing), or nothing if one is missing. */
    async commitBackup(input: Parsed<'commitBackup'>): Promise<RestoreResult> {
      return db.transaction('rw', [db.importBatches, db.conversations, db.messages, db.thoughts, db.drafts, db.settings], async () => {
        const batches = await takeStaged(ctx, input.importId, input.batches);
        return restore(
          batches.flatMap((batch) => {
            if (!('backup' in batch)) throw new InvalidRequestError('A ThoughtTrace file was staged as a backup: nothing was imported');
            return batch.backup;
          }),
        );
      });
    },
  };
}
