import { z } from 'zod';
import {
  conversationRecordSchema,
  draftKey,
  draftRecordSchema,
  isoTimestampSchema,
  kindForRole,
  labelFitsKind,
  messageRecordSchema,
  settingsSchema,
  surveyAnswersSchema,
  thoughtRecordSchema,
} from './records';
import { spansFit } from '../redaction/spans';

// The full backup: everything ThoughtTrace keeps in this browser, in a file it can read back.
// JSON Lines: a header line naming the format and its version, then one line per entry: the
// settings and profile, then one line per conversation holding its record (review state,
// exclusion, task answers, upload id), every message of every branch (redaction spans and
// exclusion included), every thought and every unsaved draft. The records are the database's own
// (utils/data/records.ts), so nothing is lost or renamed on the way. README.md ("Full backup")
// says how an import merges.

export const BACKUP_FORMAT = 'thoughttrace-backup';
/** Raised when an entry's meaning changes; an importer refuses a version it does not know. */
export const BACKUP_VERSION = 1;

export const backupHeaderSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: isoTimestampSchema,
  /** How many conversation lines follow: a file cut short is refused. */
  conversations: z.number().int().nonnegative(),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

const storedMessage = messageRecordSchema.extend({ id: z.number().int().positive() });
const storedThought = thoughtRecordSchema.extend({ id: z.number().int().positive() });

/** One conversation with everything that hangs on it; every link stays inside the entry. */
export const backupConversationSchema = z
  .strictObject({
    type: z.literal('conversation'),
    conversation: conversationRecordSchema.extend({ id: z.string().min(1).max(200) }),
    messages: z.array(storedMessage).max(100_000),
    thoughts: z.array(storedThought).max(100_000),
    drafts: z.array(draftRecordSchema).max(100_000),
  })
  .superRefine((entry, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { conversation } = entry;
    const messages = new Map(entry.messages.map((message) => [message.id, message]));
    if (messages.size !== entry.messages.length) issue(['messages'], 'two messages have the same id');
    entry.messages.forEach((message, i) => {
      if (message.conversationId !== conversation.id) issue(['messages', i, 'conversationId'], 'belongs to another conversation');
      if (message.parentId !== null && (message.parentId === message.id || !messages.has(message.parentId))) {
        issue(['messages', i, 'parentId'], 'names no other message of this conversation');
      }
      if (message.redactions && !spansFit(message.content, message.redactions)) issue(['messages', i, 'redactions'], 'a redaction lies outside the text');
    });
    if (conversation.leafMessageId !== null && !messages.has(conversation.leafMessageId)) {
      issue(['conversation', 'leafMessageId'], 'names no message of this conversation');
    }
    if (new Set(entry.thoughts.map((thought) => thought.id)).size !== entry.thoughts.length) issue(['thoughts'], 'two thoughts have the same id');
    entry.thoughts.forEach((thought, i) => {
      const message = messages.get(thought.messageId);
      if (thought.conversationId !== conversation.id) issue(['thoughts', i, 'conversationId'], 'belongs to another conversation');
      if (!message) issue(['thoughts', i, 'messageId'], 'names no message of this conversation');
      else if (kindForRole(message.role) !== thought.kind) issue(['thoughts', i, 'kind'], `a ${thought.kind} cannot be about a ${message.role} message`);
      if (!labelFitsKind(thought.label, thought.kind)) issue(['thoughts', i, 'label'], `"${thought.label}" is not a ${thought.kind} label`);
      if (thought.redactions && !spansFit(thought.content, thought.redactions)) issue(['thoughts', i, 'redactions'], 'a redaction lies outside the text');
    });
    entry.drafts.forEach((draft, i) => {
      const message = messages.get(draft.messageId);
      if (!message) issue(['drafts', i, 'messageId'], 'names no message of this conversation');
      else if (kindForRole(message.role) !== draft.kind) issue(['drafts', i, 'kind'], `a ${draft.kind} cannot be about a ${message.role} message`);
      if (draft.key !== draftKey(draft.messageId, draft.kind)) issue(['drafts', i, 'key'], 'does not match its message and kind');
      if (!labelFitsKind(draft.label, draft.kind)) issue(['drafts', i, 'label'], `"${draft.label}" is not a ${draft.kind} label`);
    });
  });
export type BackupConversation = z.infer<typeof backupConversationSchema>;

export const backupSettingsSchema = z.strictObject({
  type: z.literal('settings'),
  settings: settingsSchema,
  profile: surveyAnswersSchema.nullable(),
});

export const backupEntrySchema = z.discriminatedUnion('type', [backupConversationSchema, backupSettingsSchema]);
export type BackupEntry = z.infer<typeof backupEntrySchema>;

/** A problem with one line of a file, numbered from 1. */
export interface LineError {
  line: number;
  message: string;
}

export type ParsedBackup =
  | { ok: true; header: BackupHeader; entries: BackupEntry[] }
  | { ok: false; errors: LineError[] };

/** The first line of `text`, if it is a backup header at all (of any version): how a file says what it is. */
export function isBackup(text: string): boolean {
  const first = text.slice(0, text.search(/\r?\n|$/));
  try {
    return (JSON.parse(first) as { format?: unknown } | null)?.format === BACKUP_FORMAT;
  } catch {
    return false;
  }
}

const firstLine = (error: z.ZodError) => z.prettifyError(error).split('\n').slice(0, 2).join(' ');

/**
 * Reads a whole backup file and checks every line before anything is written: the header, each
 * entry's own consistency, conversations named twice, and that no line is missing. Any problem
 * makes the whole file unusable; up to ten are reported.
 */
export function parseBackup(text: string): ParsedBackup {
  const errors: LineError[] = [];
  const lines = text.split(/\r?\n/);
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  const json = (raw: string, line: number): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      errors.push({ line, message: 'not valid JSON' });
      return undefined;
    }
  };

  const head = json(lines[0] ?? '', 1) as { format?: unknown; version?: unknown } | undefined;
  if (head?.format !== BACKUP_FORMAT) return { ok: false, errors: [{ line: 1, message: 'not a ThoughtTrace backup' }] };
  if (typeof head.version === 'number' && head.version > BACKUP_VERSION) {
    return { ok: false, errors: [{ line: 1, message: `made by a newer ThoughtTrace (backup version ${head.version}): update the extension to import it` }] };
  }
  const header = backupHeaderSchema.safeParse(head);
  if (!header.success) return { ok: false, errors: [{ line: 1, message: firstLine(header.error) }] };

  const entries: BackupEntry[] = [];
  const seen = new Set<string>();
  let settings = 0;
  for (let i = 1; i < lines.length && errors.length < 10; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) {
      errors.push({ line: i + 1, message: 'empty line' });
      continue;
    }
    const value = json(raw, i + 1);
    if (value === undefined) continue;
    const entry = backupEntrySchema.safeParse(value);
    if (!entry.success) {
      errors.push({ line: i + 1, message: firstLine(entry.error) });
      continue;
    }
    if (entry.data.type === 'settings' && ++settings > 1) errors.push({ line: i + 1, message: 'a second settings line' });
    if (entry.data.type === 'conversation') {
      const { id } = entry.data.conversation;
      if (seen.has(id)) errors.push({ line: i + 1, message: `conversation "${id}" appears twice` });
      seen.add(id);
    }
    entries.push(entry.data);
  }
  if (!errors.length && seen.size !== header.data.conversations) {
    errors.push({ line: lines.length, message: `the file is incomplete: it should hold ${header.data.conversations} conversations, it holds ${seen.size}` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, header: header.data, entries };
}
