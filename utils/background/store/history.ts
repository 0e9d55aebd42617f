import { hasTaskAnswers } from '../../data/counts';
import { renumbered } from '../../data/conversation-tree';
import { isoWithOffset, type ConversationRecord, type MessageRecord, type Settings, type Site } from '../../data/records';
import type { RecordHistoryResult, RecordMessageResult } from '../../protocol/messages';
import { siteInfo } from '../../sites/registry';
import { askAbout, turnAsks } from '../asking';
import { InvalidRequestError, storeHelpers, type Parsed, type StoreContext } from './context';

// What the chat pages record: prompts and replies as they happen, and turns already on a page as
// history, placed in the conversation's tree of versions (edits, regenerations) without duplicates.

export function historyOperations(ctx: StoreContext) {
  const { db, now } = ctx;
  const { getSettings } = storeHelpers(ctx);

  async function findConversation(input: {
    site: Site;
    conversationId: string | null;
    siteConversationId: string | null;
  }): Promise<ConversationRecord | undefined> {
    if (input.conversationId) {
      const byId = await db.conversations.get(input.conversationId);
      if (byId) return byId;
    }
    if (input.siteConversationId) {
      return db.conversations
        .where('[site+siteConversationId]')
        .equals([input.site, input.siteConversationId])
        .first();
    }
    return undefined;
  }

  /** The conversation a capture belongs to, created on first use; its metadata refreshed. Call inside a transaction. */
  async function conversationFor(
    input: { site: Site; conversationId: string | null; siteConversationId: string | null; title: string; modelName: string },
    at: Date,
    /** Whether this is activity (a capture) rather than only viewing what was there. */
    touch = true,
  ): Promise<ConversationRecord> {
    const existing = await findConversation(input);
    if (!existing) {
      const created: ConversationRecord = {
        id: crypto.randomUUID(),
        uploadId: crypto.randomUUID(),
        site: input.site,
        siteConversationId: input.siteConversationId,
        title: input.title,
        modelName: input.modelName,
        modelProvider: siteInfo(input.site).provider,
        createdAt: isoWithOffset(at),
        updatedAt: isoWithOffset(at),
        taskSummary: '',
        taskExpectation: '',
        leafMessageId: null,
      };
      await db.conversations.add(created);
      return created;
    }
    const changes: Partial<ConversationRecord> = touch ? { updatedAt: isoWithOffset(at) } : {};
    if (input.siteConversationId && !existing.siteConversationId) changes.siteConversationId = input.siteConversationId;
    if (input.title) changes.title = input.title;
    if (input.modelName) changes.modelName = input.modelName;
    await db.conversations.update(existing.id, changes);
    return { ...existing, ...changes };
  }

  async function addMessage(
    conversationId: string,
    message: Pick<MessageRecord, 'role' | 'content' | 'siteMessageId' | 'parentId' | 'source'>,
    at: Date,
  ): Promise<number> {
    const siblings = await db.messages.where('conversationId').equals(conversationId).toArray();
    const parent = message.parentId === null ? undefined : siblings.find((m) => m.id === message.parentId);
    if (message.parentId !== null && !parent) throw new InvalidRequestError(`No message ${message.parentId} in this conversation`);
    const latest = siblings.reduce((max, m) => Math.max(max, m.datasetId), -1);
    return (await db.messages.add({
      conversationId,
      ...message,
      timestamp: at.toISOString(),
      order: parent ? parent.order + 1 : 0,
      datasetId: Math.max(at.getTime(), latest + 1),
    } as Parameters<typeof db.messages.add>[0])) as number;
  }

  const findBySiteId = (conversationId: string, siteMessageId: string) =>
    db.messages.where('[conversationId+siteMessageId]').equals([conversationId, siteMessageId]).first();

  /**
   * Which thoughts to ask about the turn of a message just captured live (see asking.ts); the
   * turn is counted only when asking on every Nth.
   */
  async function askingFor(settings: Settings, conversation: ConversationRecord, at: Date): Promise<{ reason: boolean; reaction: boolean }> {
    const liveTurn =
      settings.everyNth > 1
        ? await db.messages.where('conversationId').equals(conversation.id).filter((m) => m.role === 'user' && m.source === 'live').count()
        : 1;
    return turnAsks(settings, conversation, liveTurn, at);
  }

  /** Recomputes every message's depth from the parent links, after history was put in front of stored turns. */
  async function renumber(conversationId: string) {
    await db.messages.bulkPut(renumbered(await db.messages.where('conversationId').equals(conversationId).toArray()));
  }

  return {
    async recordMessage(input: Parsed<'recordMessage'>): Promise<RecordMessageResult> {
      const settings = await getSettings();
      if (settings.paused) return { captured: false, reason: 'paused' };
      if (!settings.recording[input.site]) return { captured: false, reason: 'off' };
      const at = now();
      return db.transaction('rw', db.conversations, db.messages, db.settings, async () => {
        const conversation = await conversationFor(input, at);
        // The same turn seen again (a reload mid-exchange) is the message already stored.
        const existing = input.siteMessageId ? await findBySiteId(conversation.id, input.siteMessageId) : undefined;
        const messageId =
          existing?.id ??
          (await addMessage(
            conversation.id,
            {
              role: input.role,
              content: input.content,
              siteMessageId: input.siteMessageId,
              parentId: input.parentMessageId === undefined ? conversation.leafMessageId : input.parentMessageId,
              source: 'live',
            },
            at,
          ));
        // Chatting in a conversation makes its task questions due for when the participant leaves it.
        const taskDue = !existing && input.role === 'user' && !conversation.taskAsk && !hasTaskAnswers(conversation);
        await db.conversations.update(conversation.id, { leafMessageId: messageId, ...(taskDue ? { taskAsk: 'due' as const } : {}) });
        const { ask, thenReaction } = existing ? { ask: false, thenReaction: false } : askAbout(input.role, await askingFor(settings, conversation, at));
        return { captured: true as const, conversationId: conversation.id, messageId, ask, thenReaction };
      });
    },
    async recordHistory(input: Parsed<'recordHistory'>): Promise<RecordHistoryResult> {
      const settings = await getSettings();
      if (settings.paused) return { captured: false, reason: 'paused' };
      if (!settings.recording[input.site] || !settings.recordOpened) return { captured: false, reason: 'off' };
      const at = now();
      return db.transaction('rw', db.conversations, db.messages, async () => {
        const conversation = await conversationFor(input, at, false);
        const known = await Promise.all(input.turns.map((turn) => findBySiteId(conversation.id, turn.siteMessageId)));
        const firstKnown = known.findIndex(Boolean);
        const hasMessages = (await db.messages.where('conversationId').equals(conversation.id).count()) > 0;
        // Turns that overlap nothing stored cannot be placed (e.g. scrolled far up past a gap).
        if (firstKnown < 0 && hasMessages) return { captured: true as const, conversationId: conversation.id, messageIds: input.turns.map(() => null) };

        const ids: number[] = [];
        let previous: number | null = firstKnown > 0 ? known[firstKnown]!.parentId : null;
        let reparented = false;
        for (const [i, turn] of input.turns.entries()) {
          const stored = known[i];
          if (stored) {
            // A turn newly found right before a stored one now comes between it and its parent.
            if (i > 0 && !known[i - 1] && stored.parentId !== previous) {
              await db.messages.update(stored.id, { parentId: previous });
              reparented = true;
            }
            previous = stored.id;
          } else {
            previous = await addMessage(
              conversation.id,
              { role: turn.role, content: turn.content, siteMessageId: turn.siteMessageId, parentId: previous, source: 'history' },
              at,
            );
          }
          ids.push(previous!);
        }
        if (reparented) await renumber(conversation.id);
        await db.conversations.update(conversation.id, {
          ...(input.atEnd ? { leafMessageId: ids.at(-1)! } : {}),
          ...(known.some((m) => !m) ? { updatedAt: isoWithOffset(at) } : {}),
        });
        return { captured: true as const, conversationId: conversation.id, messageIds: ids };
      });
    },
  };
}
