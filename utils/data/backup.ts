import { BACKUP_FORMAT, BACKUP_VERSION, type BackupConversation, type BackupEntry, type BackupHeader } from './backup-format';
import type { ThoughtTraceDb } from './db';
import type { DraftRecord } from './records';
import { forEachConversation } from './read-all';
import { readProfile, readSettings } from './settings';

// Writing the full backup (its format: backup-format.ts). Pages read the database directly, so
// the review page builds the file itself; reading it back is the background's (store/backup.ts).

/** The backup of everything in the database, one JSON line each (without line ends), header first. */
export async function backupLines(db: ThoughtTraceDb, now: Date = new Date()): Promise<string[]> {
  return db.transaction('r', [db.conversations, db.messages, db.thoughts, db.drafts, db.settings], async () => {
    const [conversations, drafts, settings, profile] = await Promise.all([
      db.conversations.toArray(),
      db.drafts.toArray(),
      db.settings.get('settings'),
      db.settings.get('profile'),
    ]);
    const draftsOf = new Map<number, DraftRecord[]>();
    for (const draft of drafts) draftsOf.set(draft.messageId, [...(draftsOf.get(draft.messageId) ?? []), draft]);

    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now.toISOString(), conversations: conversations.length };
    const settingsEntry: BackupEntry = { type: 'settings', settings: readSettings(settings?.value), profile: readProfile(profile?.value) };
    const lines = [JSON.stringify(header), JSON.stringify(settingsEntry)];
    await forEachConversation(db, conversations, (conversation, messages, thoughts) => {
      const entry: BackupConversation = {
        type: 'conversation',
        conversation,
        messages,
        thoughts,
        drafts: messages.flatMap((message) => draftsOf.get(message.id) ?? []),
      };
      lines.push(JSON.stringify(entry));
    });
    return lines;
  });
}
