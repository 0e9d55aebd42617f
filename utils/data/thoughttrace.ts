import type { ThoughtTraceDb } from './db';
import {
  kindForRole,
  type ConversationRecord,
  type MessageRecord,
  type SurveyAnswers,
  type ThoughtRecord,
  type ThoughtTraceConversation,
  type ThoughtTraceMessage,
  type ThoughtTraceThought,
} from './records';
import { branchOf } from './conversation-tree';
import { forEachConversation } from './read-all';
import { applySpans, createPlaceholders, type PlaceholderMap } from '../redaction/placeholders';

// The ThoughtTrace JSONL format (CONTRACTS.md section 1): one conversation a line.

export { parseThoughtTraceJsonl, type ParsedJsonl } from '@thoughttrace/format';

type Reason = Extract<ThoughtTraceMessage, { type: 'user' }>['reasons'][number];
type Reaction = Extract<ThoughtTraceMessage, { type: 'assistant' }>['reactions'][number];

// The store only accepts labels that fit the thought's kind, so the casts below hold.
/** The text as it may leave the browser: each redaction replaced by its conversation-wide placeholder. */
const redacted = (text: string, spans: MessageRecord['redactions'], placeholders: PlaceholderMap) =>
  spans?.length ? applySpans(text, spans, placeholders) : text;

/** How a record is shaped beyond the redactions, which always apply. */
export interface RecordOptions {
  /** The record's id (the local conversation id unless given). */
  id?: string;
  /** Messages of the branch to keep (all unless given). */
  keep?: (message: MessageRecord) => boolean;
  /** A last pass over every text (after the redactions). */
  text?: (text: string) => string;
}

/**
 * One conversation in the dataset's shape, keys in the release's order, with the participant's
 * redactions applied (placeholders numbered across the whole conversation, so it still reads).
 */
export function toThoughtTrace(
  conversation: ConversationRecord,
  messages: MessageRecord[],
  thoughts: ThoughtRecord[],
  profile: SurveyAnswers | null,
  { id: recordId = conversation.id, keep = () => true, text = (value) => value }: RecordOptions = {},
): ThoughtTraceConversation {
  const byMessage = new Map<number, ThoughtRecord[]>();
  for (const t of [...thoughts].sort((a, b) => a.id - b.id)) {
    byMessage.set(t.messageId, [...(byMessage.get(t.messageId) ?? []), t]);
  }
  let lastId = -Infinity;
  const placeholders = createPlaceholders();
  const toThought = (t: ThoughtRecord) =>
    ({ content: text(redacted(t.content, t.redactions, placeholders)), timestamp: t.createdAt, label: t.label }) as ThoughtTraceThought;
  return {
    id: recordId,
    messages: branchOf(conversation, messages).filter(keep).map((m) => {
      // Ids increase along the branch even where history was captured after later turns.
      const id = (lastId = Math.max(m.datasetId, lastId + 1));
      const content = text(redacted(m.content, m.redactions, placeholders));
      const own = (byMessage.get(m.id) ?? []).map(toThought);
      return m.role === 'user'
        ? { content, timestamp: m.timestamp, type: 'user' as const, id, reasons: own as Reason[] }
        : { content, timestamp: m.timestamp, type: 'assistant' as const, id, reactions: own as Reaction[] };
    }),
    model_name: conversation.modelName,
    model_provider: conversation.modelProvider,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
    task_summary: text(conversation.taskSummary),
    task_expectation: text(conversation.taskExpectation),
    survey_answers: conversation.surveyAnswers ?? (profile ? [profile] : []),
  };
}

/**
 * The conversations (all, or those in `ids`), oldest first, one JSON line each (without line
 * ends): what an export writes, kept as separate strings so a large export never needs one string
 * of its whole size.
 */
export async function thoughtTraceLines(db: ThoughtTraceDb, profile: SurveyAnswers | null = null, ids?: ReadonlySet<string>): Promise<string[]> {
  return db.transaction('r', [db.conversations, db.messages, db.thoughts], async () => {
    const all = await db.conversations.toArray();
    const chosen = ids ? all.filter((conversation) => ids.has(conversation.id)) : all;
    const lines = new Map<string, string>();
    await forEachConversation(db, chosen, (conversation, messages, thoughts) => {
      // A conversation without messages (imported so) is kept for its task answers.
      if (messages.length === 0 && !conversation.taskSummary && !conversation.taskExpectation) return;
      lines.set(conversation.id, JSON.stringify(toThoughtTrace(conversation, messages, thoughts, profile)));
    });
    chosen.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
    return chosen.flatMap((conversation) => lines.get(conversation.id) ?? []);
  });
}

/** Every conversation in the database, oldest first, as JSON Lines. */
export async function exportThoughtTrace(db: ThoughtTraceDb, profile: SurveyAnswers | null = null): Promise<string> {
  const lines = await thoughtTraceLines(db, profile);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * Writes dataset conversations into the database. Call it inside one read-write transaction over
 * conversations, messages and thoughts (the store's import does), so a file is written whole or
 * not at all. Conversations whose id is already present are skipped, so importing twice changes
 * nothing.
 */
export async function importThoughtTrace(
  db: ThoughtTraceDb,
  conversations: ThoughtTraceConversation[],
): Promise<{ imported: number; skipped: number }> {
  let imported = 0;
  let skipped = 0;
  for (const c of conversations) {
    if (await db.conversations.get(c.id)) {
      skipped++;
      continue;
    }
    await db.conversations.add({
      id: c.id,
      uploadId: crypto.randomUUID(),
      site: 'import',
      siteConversationId: null,
      title: c.task_summary.slice(0, 120),
      modelName: c.model_name,
      modelProvider: c.model_provider,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      taskSummary: c.task_summary,
      taskExpectation: c.task_expectation,
      surveyAnswers: c.survey_answers,
      leafMessageId: null,
    });
    let parentId: number | null = null;
    for (const [order, m] of c.messages.entries()) {
      const messageId = (await db.messages.add({
        conversationId: c.id,
        role: m.type,
        content: m.content,
        timestamp: m.timestamp,
        parentId,
        order,
        source: 'import',
        datasetId: m.id,
        siteMessageId: null,
      } as Parameters<typeof db.messages.add>[0])) as number;
      parentId = messageId;
      const thoughts = m.type === 'user' ? m.reasons : m.reactions;
      await db.thoughts.bulkAdd(
        thoughts.map((t) => ({
          conversationId: c.id,
          messageId,
          kind: kindForRole(m.type),
          content: t.content,
          label: t.label,
          createdAt: t.timestamp,
          updatedAt: t.timestamp,
        })) as Parameters<typeof db.thoughts.bulkAdd>[0],
      );
    }
    await db.conversations.update(c.id, { leafMessageId: parentId });
    imported++;
  }
  return { imported, skipped };
}
