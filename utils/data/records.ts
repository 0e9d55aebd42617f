import { z } from 'zod';
import {
  REACTION_LABELS,
  REASON_LABELS,
  isoTimestampSchema,
  reactionLabelSchema,
  reasonLabelSchema,
  surveyAnswersSchema,
  thoughtLabelSchema,
  type ThoughtLabel,
} from '@thoughttrace/format';
import { SITES } from '../sites/registry';
import { spanKindSchema, spansSchema } from '../redaction/types';

// zod is the single source of truth: every record type below is z.infer'd.

// The ThoughtTrace JSONL format (CONTRACTS.md section 1) lives in @thoughttrace/format, shared with
// the collector; re-exported here so the extension keeps one place to import schemas from.
export {
  REACTION_LABELS,
  REASON_LABELS,
  isoTimestampSchema,
  isoWithOffset,
  reactionLabelSchema,
  reasonLabelSchema,
  surveyAnswersSchema,
  thoughtLabelSchema,
  thoughtTraceConversationSchema,
  type SurveyAnswers,
  type ThoughtLabel,
  type ThoughtTraceConversation,
  type ThoughtTraceMessage,
  type ThoughtTraceThought,
} from '@thoughttrace/format';

export { SITES, type Site } from '../sites/registry';
export const siteSchema = z.enum(SITES);

/** Whether `label` belongs to the taxonomy of `kind` ("" means none chosen, always allowed). */
export const labelFitsKind = (label: ThoughtLabel | '', kind: ThoughtKind): boolean =>
  label === '' || (kind === 'reason' ? reasonLabelSchema : reactionLabelSchema).safeParse(label).success;

/** A reason is written about a user message, a reaction about an assistant reply. */
export const thoughtKindSchema = z.enum(['reason', 'reaction']);
export type ThoughtKind = z.infer<typeof thoughtKindSchema>;

export const roleSchema = z.enum(['user', 'assistant']);
export type Role = z.infer<typeof roleSchema>;

export const kindForRole = (role: Role): ThoughtKind => (role === 'user' ? 'reason' : 'reaction');

/** Text a participant or the site wrote; bounded so a runaway page cannot fill the disk. */
const text = (max: number) => z.string().max(max);
export const MAX_MESSAGE_CHARS = 2_000_000;
export const MAX_THOUGHT_CHARS = 20_000;
/** The participant's "always redact" words and phrases, and how long each may be. */
export const MAX_ALWAYS_REDACT = 200;
export const MAX_ALWAYS_REDACT_CHARS = 200;
/** Rejected suggestions kept per conversation, and how long a rejected value may be. */
export const MAX_REJECTED_SUGGESTIONS = 10_000;
export const MAX_SUGGESTION_CHARS = 20_000;

/** A suggestion the participant rejected: its kind and its value, compared as `valueKey` does. */
export const rejectedSuggestionSchema = z.object({ kind: spanKindSchema, value: z.string().min(1).max(MAX_SUGGESTION_CHARS) });

// ---- Local records (Dexie) ----

export const conversationRecordSchema = z.object({
  id: z.string().min(1),
  site: siteSchema.or(z.literal('import')),
  /**
   * The id a study receives for this conversation: random, made when the conversation is stored,
   * never the local id, the site's id or anything derived from them.
   */
  uploadId: z.uuid(),
  /** The site's own id (e.g. the ChatGPT UUID); null until the site assigns one. */
  siteConversationId: z.string().min(1).nullable(),
  title: text(1000),
  modelName: text(200),
  modelProvider: text(100),
  createdAt: isoTimestampSchema,
  updatedAt: isoTimestampSchema,
  taskSummary: text(MAX_THOUGHT_CHARS),
  taskExpectation: text(MAX_THOUGHT_CHARS),
  /** Only set for imported conversations; captured ones take the participant's profile at export. */
  surveyAnswers: z.array(surveyAnswersSchema).max(1).optional(),
  /** The last message of the branch the participant ended on; the export follows it. */
  leafMessageId: z.number().int().positive().nullable(),
  /** "Not in this conversation": captured, but never prompted. */
  quiet: z.boolean().optional(),
  /**
   * The task questions on leaving: `due` once the participant chatted here, `asked` once shown
   * (they are asked once; the review page keeps them editable).
   */
  taskAsk: z.enum(['due', 'asked']).optional(),
  /**
   * Where the participant's review stands: absent while new; `reviewed` once approved for upload;
   * `uploaded` once sent; `changed` when an uploaded one was edited since.
   */
  review: z.enum(['reviewed', 'uploaded', 'changed']).optional(),
  /** Kept locally, never uploaded. */
  excluded: z.boolean().optional(),
  /**
   * Suggestions the participant said are not personal, by kind and value (as `valueKey` compares
   * them): not suggested again anywhere in this conversation.
   */
  rejectedSuggestions: z.array(rejectedSuggestionSchema).max(MAX_REJECTED_SUGGESTIONS).optional(),
});
export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

export const messageRecordSchema = z.object({
  id: z.number().int().positive().optional(),
  conversationId: z.string().min(1),
  role: roleSchema,
  content: text(MAX_MESSAGE_CHARS),
  timestamp: isoTimestampSchema,
  /** The message before this one on its branch; null for the first message. */
  parentId: z.number().int().positive().nullable(),
  /** Depth on its branch, 0-based: an edited prompt has the same order as the version it replaces. */
  order: z.number().int().nonnegative(),
  /** `live`: captured as it happened; `history`: already on the page when it was opened; `import`: from a file. */
  source: z.enum(['live', 'history', 'import']),
  /** The dataset's message id: epoch milliseconds (the export keeps them increasing along the branch). */
  datasetId: z.number().int().nonnegative(),
  /** The site's id for this message, when the page exposes one. */
  siteMessageId: z.string().nullable(),
  /** What the participant redacted, as spans over the original text (which stays local). */
  redactions: spansSchema.optional(),
  /** Kept locally, left out of uploads. */
  excluded: z.boolean().optional(),
});
export type MessageRecord = z.infer<typeof messageRecordSchema> & { id: number };

export const thoughtRecordSchema = z.object({
  id: z.number().int().positive().optional(),
  conversationId: z.string().min(1),
  messageId: z.number().int().positive(),
  kind: thoughtKindSchema,
  content: text(MAX_THOUGHT_CHARS),
  label: thoughtLabelSchema.or(z.literal('')),
  createdAt: isoTimestampSchema,
  updatedAt: isoTimestampSchema,
  /** As on messages: spans over the thought's own text. */
  redactions: spansSchema.optional(),
});
export type ThoughtRecord = z.infer<typeof thoughtRecordSchema> & { id: number };

export const draftRecordSchema = z.object({
  /** `${messageId}:${kind}`: one draft per prompt. */
  key: z.string(),
  messageId: z.number().int().positive(),
  kind: thoughtKindSchema,
  content: text(MAX_THOUGHT_CHARS),
  label: thoughtLabelSchema.or(z.literal('')),
  updatedAt: isoTimestampSchema,
});
export type DraftRecord = z.infer<typeof draftRecordSchema>;
export const draftKey = (messageId: number, kind: ThoughtKind) => `${messageId}:${kind}`;

export const settingsSchema = z.object({
  /** When paused, nothing is captured and no prompt is shown. */
  paused: z.boolean(),
  /** Seconds an untouched prompt stays before fading away. */
  cardTimeoutSeconds: z.number().int().min(5).max(3600),
  /** Which thoughts the prompt asks for; capture itself is unaffected. */
  ask: z.enum(['both', 'reasons', 'reactions']),
  /** Ask on every Nth prompt of a conversation (1 = every prompt). */
  everyNth: z.number().int().min(1).max(20),
  /** No prompts until this time (capture goes on). */
  snoozedUntil: isoTimestampSchema.nullable(),
  /** Ask the two task questions when the participant leaves a conversation they chatted in. */
  askTask: z.boolean(),
  /**
   * The sites the participant turned recording on for (on the welcome page or in Settings). Until
   * then nothing is captured there.
   */
  recording: z.object({ chatgpt: z.boolean(), claude: z.boolean(), gemini: z.boolean() }),
  /** Also record what a conversation already shows when it is opened (as context, never asked about). */
  recordOpened: z.boolean(),
  /**
   * The participant's own words to redact everywhere (their name, employer, town): suggested as
   * `custom` in every conversation. Personal, so "delete all my data" clears it.
   */
  alwaysRedact: z.array(z.string().trim().min(1).max(MAX_ALWAYS_REDACT_CHARS)).max(MAX_ALWAYS_REDACT),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  paused: false,
  cardTimeoutSeconds: 60,
  ask: 'both',
  everyNth: 1,
  snoozedUntil: null,
  askTask: true,
  recording: { chatgpt: false, claude: false, gemini: false },
  recordOpened: true,
  alwaysRedact: [],
};
