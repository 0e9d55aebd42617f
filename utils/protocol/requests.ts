import { z } from 'zod';
import {
  MAX_MESSAGE_CHARS,
  MAX_REJECTED_SUGGESTIONS,
  rejectedSuggestionSchema,
  MAX_THOUGHT_CHARS,
  roleSchema,
  siteSchema,
  thoughtKindSchema,
  thoughtLabelSchema,
  thoughtTraceConversationSchema,
  settingsSchema,
  surveyAnswersSchema,
} from '../data/records';
import { spanKindSchema, spansSchema } from '../redaction/types';
import { consentVersionSchema } from '@thoughttrace/format';
import { BACKUP_VERSION, backupEntrySchema } from '../data/backup-format';

// Every message the background accepts, as a zod schema. The background parses each
// incoming payload against its schema before touching the database.

const messageId = z.number().int().positive();
const label = thoughtLabelSchema.or(z.literal(''));
const thoughtText = z.string().max(MAX_THOUGHT_CHARS);
/** A message or a thought, as redactions name it. */
const redactionTarget = z.union([z.strictObject({ messageId }), z.strictObject({ thoughtId: messageId })]);

/** A conversation a tab shows: ours once stored, and the site's id once it has one. */
export const openConversation = z.strictObject({
  conversationId: z.string().min(1).nullable(),
  site: siteSchema,
  siteConversationId: z.string().min(1).max(200).nullable(),
});
export type OpenConversation = z.infer<typeof openConversation>;

/** Conversations in one import message; a larger file is sent in batches. */
export const IMPORT_BATCH_MAX = 2000;

/** An imported conversation keeps to the limits of what can be captured or typed. */
const importedConversation = thoughtTraceConversationSchema.superRefine((conversation, ctx) => {
  const tooLong = (path: (string | number)[], value: string, max: number) => {
    if (value.length > max) ctx.addIssue({ code: 'custom', path, message: `longer than ${max} characters` });
  };
  tooLong(['id'], conversation.id, 200);
  tooLong(['model_name'], conversation.model_name, 200);
  tooLong(['model_provider'], conversation.model_provider, 100);
  tooLong(['task_summary'], conversation.task_summary, MAX_THOUGHT_CHARS);
  tooLong(['task_expectation'], conversation.task_expectation, MAX_THOUGHT_CHARS);
  conversation.messages.forEach((message, i) => {
    tooLong(['messages', i, 'content'], message.content, MAX_MESSAGE_CHARS);
    const thoughts = message.type === 'user' ? message.reasons : message.reactions;
    thoughts.forEach((thought, j) => tooLong(['messages', i, message.type === 'user' ? 'reasons' : 'reactions', j, 'content'], thought.content, MAX_THOUGHT_CHARS));
  });
});

export const backgroundRequests = {
  /** A captured user prompt or a finished reply. Creates the conversation on first use. */
  recordMessage: z.strictObject({
    site: siteSchema,
    conversationId: z.string().min(1).nullable(),
    siteConversationId: z.string().min(1).max(200).nullable(),
    title: z.string().max(1000),
    modelName: z.string().max(200),
    role: roleSchema,
    content: z.string().min(1).max(MAX_MESSAGE_CHARS),
    siteMessageId: z.string().max(200).nullable(),
    /** The message this one follows: null for the first, omitted for "after the current branch's last". */
    parentMessageId: messageId.nullable().optional(),
  }),
  /**
   * Turns that were on the page when it was opened or scrolled into view, in page order. Known
   * turns are matched by their site id and never duplicated; new ones are placed between them.
   */
  recordHistory: z.strictObject({
    site: siteSchema,
    conversationId: z.string().min(1).nullable(),
    siteConversationId: z.string().min(1).max(200),
    title: z.string().max(1000),
    modelName: z.string().max(200),
    turns: z
      .array(z.strictObject({ role: roleSchema, content: z.string().min(1).max(MAX_MESSAGE_CHARS), siteMessageId: z.string().min(1).max(200) }))
      .min(1)
      .max(2000),
    /** The last turn is the newest on the page, so the branch the page shows ends there. */
    atEnd: z.boolean(),
  }),
  /** The site assigned its id, or the page revealed a title or model, after capture began. */
  updateConversation: z.strictObject({
    conversationId: z.string().min(1),
    siteConversationId: z.string().min(1).max(200).nullable(),
    title: z.string().max(1000).optional(),
    modelName: z.string().max(200).optional(),
  }),
  saveDraft: z.strictObject({ messageId, kind: thoughtKindSchema, content: thoughtText, label }),
  discardDraft: z.strictObject({ messageId, kind: thoughtKindSchema }),
  addThought: z.strictObject({ messageId, kind: thoughtKindSchema, content: thoughtText.min(1), label }),
  updateThought: z.strictObject({ id: messageId, content: thoughtText.min(1), label }),
  deleteThought: z.strictObject({ id: messageId }),
  /** The participant's redactions of one message or thought, as spans over its text (replacing the earlier ones). */
  setRedactions: z.strictObject({
    target: redactionTarget,
    spans: spansSchema.max(10_000),
  }),
  /**
   * Redacts more of a conversation's messages and thoughts at once (a selection, one suggestion,
   * or all of a kind), added to what is already redacted. Each names the text it covers, so a
   * text changed since the page showed it is refused rather than redacted in the wrong place.
   */
  redact: z.strictObject({
    conversationId: z.string().min(1),
    redactions: z
      .array(
        z
          .strictObject({
            target: redactionTarget,
            start: z.number().int().nonnegative(),
            end: z.number().int().positive(),
            kind: spanKindSchema,
            value: z.string().min(1).max(MAX_MESSAGE_CHARS),
          })
          .refine((r) => r.end - r.start === r.value.length, { message: 'the value must be as long as the span' }),
      )
      .min(1)
      .max(10_000),
  }),
  /** Undoes one redaction: the stored span from `start` to `end` goes, the original text shows again. */
  unredact: z.strictObject({ target: redactionTarget, start: z.number().int().nonnegative(), end: z.number().int().positive() }),
  /** Suggestions the participant says are not personal (or takes that back): by kind and value, for the whole conversation. */
  rejectSuggestions: z.strictObject({
    conversationId: z.string().min(1),
    suggestions: z.array(z.strictObject(rejectedSuggestionSchema.shape)).min(1).max(MAX_REJECTED_SUGGESTIONS),
    rejected: z.boolean(),
  }),
  /** Deletes one message and its thoughts; the messages after it follow its parent (see `withoutMessage`). */
  deleteMessage: z.strictObject({ id: messageId }),
  deleteConversation: z.strictObject({ id: z.string().min(1) }),
  setReviewState: z.strictObject({ conversationId: z.string().min(1), state: z.enum(['new', 'reviewed']) }),
  setExcluded: z.strictObject({ conversationId: z.string().min(1), messageId: messageId.optional(), excluded: z.boolean() }),
  /** The participant confirmed by typing the word the page asks for. */
  deleteAllData: z.strictObject({ confirm: z.literal('DELETE') }),
  updateTask: z.strictObject({
    conversationId: z.string().min(1),
    taskSummary: thoughtText,
    taskExpectation: thoughtText,
  }),
  setPaused: z.strictObject({ paused: z.boolean() }),
  /** The welcome page: recording on for these sites (the others stay as they are), and whether opened conversations are recorded. */
  startRecording: z.strictObject({ sites: z.array(siteSchema).min(1).max(3), recordOpened: z.boolean() }),
  /** Prompt frequency and timing; omitted fields stay as they are. */
  updateSettings: settingsSchema.omit({ paused: true }).partial().strict(),
  /** Snooze prompts for `minutes` (0 ends a snooze). */
  snooze: z.strictObject({ minutes: z.number().int().min(0).max(24 * 60) }),
  /** "Not in this conversation" (or undo it). */
  setConversationQuiet: z.strictObject({ conversationId: z.string().min(1), quiet: z.boolean() }),
  /** The participant's one-time, optional profile; it fills survey_answers in the export. */
  saveProfile: z.strictObject({ profile: surveyAnswersSchema.nullable() }),
  getSettings: z.undefined(),
  importConversations: z.strictObject({ conversations: z.array(importedConversation).max(IMPORT_BATCH_MAX) }),
  /** One batch of a large file; nothing is written until `commitImport`. */
  stageImport: z.strictObject({
    importId: z.uuid(),
    index: z.number().int().min(0).max(100_000),
    conversations: z.array(importedConversation).min(1).max(IMPORT_BATCH_MAX),
  }),
  /** Writes every staged batch of the file at once (all or nothing), or nothing if one is missing. */
  commitImport: z.strictObject({ importId: z.uuid(), batches: z.number().int().min(1).max(100_000) }),
  /** Stops an import (a ThoughtTrace file or a backup) whose batches were not all sent; its staged batches go. */
  discardImport: z.strictObject({ importId: z.uuid() }),
  /** One batch of a full backup's entries (utils/data/backup-format.ts); nothing is written until `commitBackup`. */
  stageBackup: z.strictObject({
    importId: z.uuid(),
    index: z.number().int().min(0).max(100_000),
    entries: z.array(backupEntrySchema).min(1).max(IMPORT_BATCH_MAX),
  }),
  /** Restores every staged batch of a backup at once (all or nothing), merging as store/backup.ts says. */
  commitBackup: z.strictObject({ importId: z.uuid(), batches: z.number().int().min(1).max(100_000), version: z.literal(BACKUP_VERSION) }),
  /** The review page, while conversations wait to be indexed for search: index them now; answers how many are left. */
  indexSearch: z.undefined(),
  getStatus: z.undefined(),
  /** The content script's one question about settings: whether capture is paused, and whether its site records. */
  /**
   * A tab moved away from a conversation: whether to ask its task questions now (the participant
   * chatted in it, has not answered them, was not asked yet, and no other tab still shows it).
   * Marks them asked, so they are asked once.
   */
  leftConversation: z.strictObject({ conversationId: z.string().min(1).max(200) }),
  /**
   * A page of `site` opened: the latest conversation there whose tab was closed before its task
   * questions were asked (chatted in within a day, open in no tab), if any. Marks them asked.
   */
  taskQuestionsOnReturn: z.strictObject({ site: siteSchema }),
  /** What the task card shows: the conversation's title and its answers so far. */
  getTaskContext: z.strictObject({ conversationId: z.string().min(1).max(200) }),
  /** What the thought prompt shows: an excerpt of the message, any saved draft, the fade delay. */
  getCardContext: z.strictObject({ messageId, kind: thoughtKindSchema }),
} as const;

export type BackgroundRequest = keyof typeof backgroundRequests;

/**
 * Taking part in a study: only the extension's own pages may send these (the sender policy), and
 * only the background reaches the study. Each one is something the participant did on a page.
 */
export const studyRequests = {
  /** Fetch the study's manifest at the address typed (its host permission was just granted) and show it. */
  lookUpStudy: z.strictObject({ address: z.string().trim().min(1).max(2000) }),
  /** Stop looking at the study looked up, without joining. */
  cancelJoin: z.undefined(),
  /** The participant agreed to the consent version shown: enrol, then upload what was approved. */
  joinStudy: z.strictObject({ consentVersion: consentVersionSchema }),
  /** The participant agreed to the study's new consent version: uploads go on. */
  agreeToConsent: z.strictObject({ consentVersion: consentVersionSchema }),
  pauseStudy: z.undefined(),
  resumeStudy: z.undefined(),
  /** Stops every upload at once; `deleteUploads` also asks the study to delete what it received. */
  withdrawFromStudy: z.strictObject({ deleteUploads: z.boolean() }),
  /** After withdrawing: delete what was uploaded after all. */
  deleteUploadedData: z.undefined(),
  /** Try now what waits (the participant's "Retry now"), whatever the backoff says. */
  uploadNow: z.undefined(),
} as const;

export type StudyRequest = keyof typeof studyRequests;
export type StudyRequestData<K extends StudyRequest> = z.input<(typeof studyRequests)[K]>;
export type RequestData<K extends BackgroundRequest> = z.input<(typeof backgroundRequests)[K]>;

/**
 * What the content script on a chat tab reports to the popup: what capture sees on the page. The
 * popup adds what the participant chose (paused, recording on for the site) from the database.
 */
export const pageReportSchema = z.object({
  site: siteSchema,
  /** A conversation, a private chat (never captured), or another page of the site. */
  page: z.enum(['conversation', 'private', 'other']),
  conversationTitle: z.string().max(1000),
  /** What the page no longer has, so capture is paused there (e.g. "conversation turns"). */
  siteChanged: z.string().max(200).nullable(),
  /** What capture goes on without (the composer, or wrappers replaced by fallbacks). */
  degraded: z.array(z.string().max(200)).max(20),
});
export type PageReport = z.infer<typeof pageReportSchema>;
