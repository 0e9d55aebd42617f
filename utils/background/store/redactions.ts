import { MAX_REJECTED_SUGGESTIONS, type MessageRecord, type ThoughtRecord } from '../../data/records';
import { valueKey } from '../../redaction/placeholders';
import { normalizeSpans, spansFit } from '../../redaction/spans';
import type { Span } from '../../redaction/types';
import { InvalidRequestError, storeHelpers, type Parsed, type StoreContext } from './context';

// Redactions over messages and thoughts (spans over the original text, which stays local), and
// the suggestions the participant rejected.

type Target = Parsed<'unredact'>['target'];
const targetKey = (target: Target) => ('messageId' in target ? `m:${target.messageId}` : `t:${target.thoughtId}`);

export function redactionOperations(ctx: StoreContext) {
  const { db } = ctx;
  const { markEdited } = storeHelpers(ctx);

  const read = (target: Target): Promise<MessageRecord | ThoughtRecord | undefined> =>
    'messageId' in target ? db.messages.get(target.messageId) : db.thoughts.get(target.thoughtId);

  /** Stores `spans` (normalized, checked to fit) as the target's redactions. Call inside a transaction. */
  async function write(target: Target, record: MessageRecord | ThoughtRecord, spans: Span[]) {
    const normalized = normalizeSpans(spans);
    if (!spansFit(record.content, normalized)) throw new InvalidRequestError('A redaction lies outside the text or splits a character');
    if ('messageId' in target) await db.messages.update(target.messageId, { redactions: normalized });
    else await db.thoughts.update(target.thoughtId, { redactions: normalized });
  }

  return {
    async setRedactions(input: Parsed<'setRedactions'>): Promise<void> {
      await db.transaction('rw', db.messages, db.thoughts, db.conversations, async () => {
        const record = await read(input.target);
        if (!record) throw new InvalidRequestError('No such message or thought');
        await write(input.target, record, input.spans);
        await markEdited(record.conversationId);
      });
    },
    async redact(input: Parsed<'redact'>): Promise<void> {
      await db.transaction('rw', db.messages, db.thoughts, db.conversations, async () => {
        const byTarget = new Map<string, { target: Target; spans: Span[] }>();
        for (const { target, start, end, kind } of input.redactions) {
          const key = targetKey(target);
          if (!byTarget.has(key)) byTarget.set(key, { target, spans: [] });
          byTarget.get(key)!.spans.push({ start, end, kind });
        }
        for (const { target, spans } of byTarget.values()) {
          const record = await read(target);
          if (record?.conversationId !== input.conversationId) throw new InvalidRequestError('No such message or thought in this conversation');
          const changed = input.redactions.some(
            (r) => targetKey(r.target) === targetKey(target) && record.content.slice(r.start, r.end) !== r.value,
          );
          if (changed) throw new InvalidRequestError('The text changed since it was shown: nothing was redacted, try again');
          await write(target, record, [...(record.redactions ?? []), ...spans]);
        }
        await markEdited(input.conversationId);
      });
    },
    async unredact(input: Parsed<'unredact'>): Promise<void> {
      await db.transaction('rw', db.messages, db.thoughts, db.conversations, async () => {
        const record = await read(input.target);
        if (!record) throw new InvalidRequestError('No such message or thought');
        const kept = (record.redactions ?? []).filter((span) => span.start !== input.start || span.end !== input.end);
        if (kept.length === (record.redactions ?? []).length) return;
        await write(input.target, record, kept);
        await markEdited(record.conversationId);
      });
    },
    async rejectSuggestions(input: Parsed<'rejectSuggestions'>): Promise<void> {
      await db.transaction('rw', db.conversations, async () => {
        const conversation = await db.conversations.get(input.conversationId);
        if (!conversation) throw new InvalidRequestError(`No conversation ${input.conversationId}`);
        // Kept as compared: a value rejected as "Anna" is rejected as "ANNA" too.
        const id = (s: { kind: string; value: string }) => `${s.kind}\n${s.value}`;
        const named = new Map(input.suggestions.map(({ kind, value }) => [id({ kind, value: valueKey(kind, value) }), { kind, value: valueKey(kind, value) }]));
        const kept = (conversation.rejectedSuggestions ?? []).filter((s) => !named.has(id(s)));
        const rejectedSuggestions = input.rejected ? [...kept, ...named.values()] : kept;
        if (rejectedSuggestions.length > MAX_REJECTED_SUGGESTIONS) throw new InvalidRequestError('Too many rejected suggestions in one conversation');
        await db.conversations.update(conversation.id, { rejectedSuggestions });
      });
    },
  };
}
