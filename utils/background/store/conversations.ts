import { countAll } from '../../data/counts';
import { withoutMessage } from '../../data/conversation-tree';
import { isoWithOffset, type ConversationRecord } from '../../data/records';
import type { Status, TaskContext } from '../../protocol/messages';
import { TASK_RETURN_WINDOW_MS, isOpen, mayAskTask, taskDue } from '../asking';
import { InvalidRequestError, storeHelpers, type Parsed, type StoreContext } from './context';

// A conversation as a whole: its metadata, its task questions (when to ask, the answers), its
// review state and exclusion, deleting it (or everything), and what the popup counts.

export function conversationOperations(ctx: StoreContext) {
  const { db, now, openConversations } = ctx;
  const { getSettings, markEdited, writeSettings } = storeHelpers(ctx);

  /** Task questions may be asked now (see asking.ts). */
  const mayAsk = async () => mayAskTask(await getSettings(), now());

  /** Asked once, whichever tab asks first. */
  function markTaskAsked(conversationId: string): Promise<boolean> {
    return db.transaction('rw', db.conversations, async () => {
      const current = await db.conversations.get(conversationId);
      if (current?.taskAsk !== 'due') return false;
      await db.conversations.update(conversationId, { taskAsk: 'asked' });
      return true;
    });
  }

  return {
    async updateConversation(input: Parsed<'updateConversation'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        const changes: Partial<ConversationRecord> = {};
        if (input.siteConversationId && !conversation.siteConversationId) {
          changes.siteConversationId = input.siteConversationId;
        }
        if (input.title) changes.title = input.title;
        if (input.modelName) changes.modelName = input.modelName;
        if (Object.keys(changes).length) await db.conversations.update(conversation.id, changes);
      });
    },
    async setConversationQuiet(input: Parsed<'setConversationQuiet'>): Promise<void> {
      const updated = await db.conversations.update(input.conversationId, { quiet: input.quiet });
      if (!updated && !(await db.conversations.get(input.conversationId))) {
        throw new InvalidRequestError(`No conversation ${input.conversationId}`);
      }
    },
    async updateTask(input: Parsed<'updateTask'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        if (conversation.taskSummary === input.taskSummary && conversation.taskExpectation === input.taskExpectation) return;
        await db.conversations.update(conversation.id, { taskSummary: input.taskSummary, taskExpectation: input.taskExpectation });
        await markEdited(conversation.id);
      });
    },
    async leftConversation(input: Parsed<'leftConversation'>): Promise<boolean> {
      if (!(await mayAsk())) return false;
      const conversation = await db.conversations.get(input.conversationId);
      if (!conversation || !taskDue(conversation)) return false;
      // Still open in another tab: not left yet.
      if (isOpen(conversation, await openConversations())) return false;
      return markTaskAsked(conversation.id);
    },
    async taskQuestionsOnReturn(input: Parsed<'taskQuestionsOnReturn'>): Promise<string | null> {
      if (!(await mayAsk())) return null;
      const since = now().getTime() - TASK_RETURN_WINDOW_MS;
      const due = (await db.conversations.filter((c) => c.site === input.site && taskDue(c) && Date.parse(c.updatedAt) >= since).toArray())
        .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
      if (!due.length) return null;
      // Left by closing its tab: not open in any tab, this new page included.
      const open = await openConversations();
      for (const conversation of due) {
        if (!isOpen(conversation, open) && (await markTaskAsked(conversation.id))) return conversation.id;
      }
      return null;
    },
    async getTaskContext(input: Parsed<'getTaskContext'>): Promise<TaskContext> {
      const [conversation, settings] = await Promise.all([db.conversations.get(input.conversationId), getSettings()]);
      if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
      return {
        title: conversation.title,
        site: conversation.site,
        taskSummary: conversation.taskSummary,
        taskExpectation: conversation.taskExpectation,
        timeoutSeconds: settings.cardTimeoutSeconds,
      };
    },
    /** Approve a conversation for upload, or take the approval back (`new`). */
    async setReviewState(input: Parsed<'setReviewState'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        await db.conversations.update(conversation.id, { review: input.state === 'new' ? undefined : 'reviewed' });
      });
    },
    /** Keep a conversation, or one of its messages, locally only: never uploaded. */
    async setExcluded(input: Parsed<'setExcluded'>): Promise<void> {
      await db.transaction('rw', db.conversations, db.messages, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        if (input.messageId === undefined) await db.conversations.update(conversation.id, { excluded: input.excluded });
        else {
          const message = await db.messages.get(input.messageId);
          if (message?.conversationId !== conversation.id) throw new InvalidRequestError(`No message ${input.messageId} in this conversation`);
          await db.messages.update(message.id, { excluded: input.excluded });
        }
        await markEdited(conversation.id);
      });
    },
    /** One message and its thoughts and draft go; the branch reads on without it (see `withoutMessage`). */
    async deleteMessage(input: Parsed<'deleteMessage'>): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.drafts], async () => {
        const message = await db.messages.get(input.id);
        if (!message) return;
        const conversation = await db.conversations.get(message.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${message.conversationId}`);
        const messages = await db.messages.where('conversationId').equals(conversation.id).toArray();
        const { changed, leafMessageId } = withoutMessage(conversation, messages, message.id);
        await db.drafts.where('messageId').equals(message.id).delete();
        await db.thoughts.where('messageId').equals(message.id).delete();
        await db.messages.delete(message.id);
        await db.messages.bulkPut(changed);
        await db.conversations.update(conversation.id, { leafMessageId, updatedAt: isoWithOffset(now()) });
        await markEdited(conversation.id);
      });
    },
    async deleteConversation(input: Parsed<'deleteConversation'>): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.drafts], async () => {
        const messageIds = (await db.messages.where('conversationId').equals(input.id).primaryKeys()) as number[];
        await db.drafts.where('messageId').anyOf(messageIds).delete();
        await db.thoughts.where('conversationId').equals(input.id).delete();
        await db.messages.where('conversationId').equals(input.id).delete();
        await db.conversations.delete(input.id);
      });
    },
    /**
     * "Delete all my data": every conversation, message, thought, draft, import in progress, the
     * profile and the "always redact" list (the participant's name, employer, town). The other
     * settings stay (recording on or off is the participant's standing choice).
     */
    async deleteAllData(): Promise<void> {
      await db.transaction('rw', [db.conversations, db.messages, db.thoughts, db.drafts, db.importBatches, db.settings], async () => {
        await Promise.all([db.conversations.clear(), db.messages.clear(), db.thoughts.clear(), db.drafts.clear(), db.importBatches.clear()]);
        await db.settings.delete('profile');
        await writeSettings((settings) => ({ ...settings, alwaysRedact: [] }));
      });
    },
    async getStatus(): Promise<Status> {
      const [settings, counts] = await Promise.all([getSettings(), countAll(db)]);
      return { paused: settings.paused, recording: settings.recording, ...counts };
    },
  };
}
