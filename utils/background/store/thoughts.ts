import { draftKey, isoWithOffset } from '../../data/records';
import type { CardContext } from '../../protocol/messages';
import { rebaseSpans } from '../../redaction/rebase';
import { InvalidRequestError, storeHelpers, type Parsed, type StoreContext } from './context';

// What the participant writes about messages: drafts as they type, thoughts (their redactions
// kept through edits), and what a card shows about its message.

export function thoughtOperations(ctx: StoreContext) {
  const { db, now } = ctx;
  const { getSettings, markEdited, requireMessageFor, requireLabelFits } = storeHelpers(ctx);

  return {
    /** A draft with no words left (typed, then all deleted) is no draft: it is removed. */
    async saveDraft(input: Parsed<'saveDraft'>): Promise<void> {
      await db.transaction('rw', db.messages, db.drafts, async () => {
        await requireMessageFor(input.messageId, input.kind);
        requireLabelFits(input.label, input.kind);
        if (input.content.trim() === '') return db.drafts.delete(draftKey(input.messageId, input.kind));
        await db.drafts.put({
          key: draftKey(input.messageId, input.kind),
          messageId: input.messageId,
          kind: input.kind,
          content: input.content,
          label: input.label,
          updatedAt: now().toISOString(),
        });
      });
    },
    async discardDraft(input: Parsed<'discardDraft'>): Promise<void> {
      await db.drafts.delete(draftKey(input.messageId, input.kind));
    },
    async addThought(input: Parsed<'addThought'>): Promise<number> {
      return db.transaction('rw', [db.messages, db.thoughts, db.drafts, db.conversations], async () => {
        const message = await requireMessageFor(input.messageId, input.kind);
        requireLabelFits(input.label, input.kind);
        const at = now();
        const id = await db.thoughts.add({
          conversationId: message.conversationId,
          messageId: message.id,
          kind: input.kind,
          content: input.content,
          label: input.label,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
        } as Parameters<typeof db.thoughts.add>[0]);
        await db.drafts.delete(draftKey(input.messageId, input.kind));
        await db.conversations.update(message.conversationId, { updatedAt: isoWithOffset(at) });
        await markEdited(message.conversationId);
        return id as number;
      });
    },
    async updateThought(input: Parsed<'updateThought'>): Promise<void> {
      await db.transaction('rw', db.thoughts, db.conversations, async () => {
        const thought = await db.thoughts.get(input.id);
        if (!thought) throw new InvalidRequestError(`No thought ${input.id}`);
        requireLabelFits(input.label, thought.kind);
        const at = now();
        // Redactions stay on the words they covered; a span whose words were edited goes.
        const redactions = thought.redactions?.length ? rebaseSpans(thought.content, input.content, thought.redactions) : thought.redactions;
        await db.thoughts.update(input.id, { content: input.content, label: input.label, updatedAt: at.toISOString(), redactions });
        await db.conversations.update(thought.conversationId, { updatedAt: isoWithOffset(at) });
        await markEdited(thought.conversationId);
      });
    },
    async deleteThought(input: Parsed<'deleteThought'>): Promise<void> {
      await db.transaction('rw', db.thoughts, db.conversations, async () => {
        const thought = await db.thoughts.get(input.id);
        if (!thought) return;
        await db.thoughts.delete(input.id);
        await db.conversations.update(thought.conversationId, { updatedAt: isoWithOffset(now()) });
        await markEdited(thought.conversationId);
      });
    },
    async getCardContext(input: Parsed<'getCardContext'>): Promise<CardContext> {
      const message = await requireMessageFor(input.messageId, input.kind);
      const [draft, settings] = await Promise.all([
        db.drafts.get(draftKey(input.messageId, input.kind)),
        getSettings(),
      ]);
      // Code points, not UTF-16 units, so an emoji is never cut in half.
      const flat = [...message.content.replace(/\s+/g, ' ').trim()];
      const thoughts = await db.thoughts.where('messageId').equals(message.id).sortBy('id');
      return {
        excerpt: flat.length > 160 ? `${flat.slice(0, 157).join('')}…` : flat.join(''),
        draft: draft ? { content: draft.content, label: draft.label } : null,
        timeoutSeconds: settings.cardTimeoutSeconds,
        conversationId: message.conversationId,
        thoughts: thoughts.map((t) => ({ id: t.id, content: t.content, label: t.label })),
      };
    },
  };
}
