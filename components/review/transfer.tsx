import { useRef } from 'react';
import { primary, quiet } from './ui';
import { backupLines } from '@/utils/data/backup';
import { BACKUP_VERSION, isBackup, parseBackup } from '@/utils/data/backup-format';
import { db } from '@/utils/data/db';
import { parseThoughtTraceJsonl, thoughtTraceLines } from '@/utils/data/thoughttrace';
import { t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';
import { IMPORT_BATCH_MAX } from '@/utils/protocol/requests';

// Files in and out of the review page: the ThoughtTrace JSONL export (everything, or what the
// list shows), the full backup, and importing either. Pages read the database themselves, so
// exports are built here; imports go to the background in batches.

/** A long task of the page: `working` is shown while it runs, its result (a notice) after, or `failed`'s words for its error. */
export type RunTask = (working: string, task: () => Promise<string>, failed?: (error: string) => string) => void;

const today = () => new Date().toISOString().slice(0, 10);

/** Saves JSON lines as a file, without ever joining them into one string of the file's size. */
function download(lines: string[], name: string) {
  const parts: string[] = [];
  for (const line of lines) parts.push(line, '\n');
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The ThoughtTrace JSONL of every conversation, or only of `ids`: redactions applied, the optional profile as survey answers. */
export async function exportJsonl(ids?: ReadonlySet<string>): Promise<number> {
  const { profile } = await sendMessage('getSettings', undefined);
  const lines = await thoughtTraceLines(db(), profile, ids);
  download(lines, ids ? `thoughttrace-${today()}-selection.jsonl` : `thoughttrace-${today()}.jsonl`);
  return lines.length;
}

export function ExportButton({ run, disabled }: { run: RunTask; disabled: boolean }) {
  return (
    <button
      type="button"
      className={primary}
      disabled={disabled}
      onClick={() => run(t('reviewExporting'), async () => t('reviewExported', [await exportJsonl()]))}
    >
      {t('reviewExport')}
    </button>
  );
}

export function BackupButton({ run, disabled }: { run: RunTask; disabled: boolean }) {
  const backUp = async () => {
    const lines = await backupLines(db());
    download(lines, `thoughttrace-backup-${today()}.jsonl`);
    // The header and the settings come before the conversations.
    return t('reviewBackupDone', [lines.length - 2]);
  };
  return (
    <button type="button" className={quiet} title={t('reviewBackupHint')} disabled={disabled} onClick={() => run(t('reviewBackingUp'), backUp)}>
      {t('reviewBackup')}
    </button>
  );
}

/** An extension message has a size limit (64 MiB in Chrome): a file goes in batches well under it. */
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Sends a file's items in batches the background stages, then commits them: it writes all of
 * them at once when the last has arrived, or nothing (and importing the same file twice changes
 * nothing). On any failure the staged batches are discarded.
 */
async function sendInBatches<T, R>(
  items: T[],
  stage: (importId: string, index: number, batch: T[]) => Promise<void>,
  commit: (importId: string, batches: number) => Promise<R>,
  progress: (part: number, parts: number) => void,
): Promise<R> {
  const batches: T[][] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item).length * 2;
    const last = batches.at(-1);
    if (!last || bytes + size > BATCH_BYTES || last.length === IMPORT_BATCH_MAX) {
      batches.push([item]);
      bytes = size;
    } else {
      last.push(item);
      bytes += size;
    }
  }
  const importId = crypto.randomUUID();
  try {
    for (const [index, batch] of batches.entries()) {
      progress(index + 1, batches.length);
      await stage(importId, index, batch);
    }
    return await commit(importId, batches.length);
  } catch (error) {
    await sendMessage('discardImport', { importId }).catch(() => undefined);
    throw error;
  }
}

/** Imports a file: a full backup (told by its first line) or ThoughtTrace JSONL. Every line is checked before anything is sent. */
async function importFile(file: File, notice: (text: string) => void): Promise<string> {
  const text = await file.text();
  const progress = (part: number, parts: number) => notice(t('reviewImportSending', [part, parts]));
  if (isBackup(text)) {
    const parsed = parseBackup(text);
    if (!parsed.ok) {
      const [first] = parsed.errors;
      return t('reviewBackupInvalid', [first!.line, first!.message]);
    }
    const { imported, skipped } = await sendInBatches(
      parsed.entries,
      (importId, index, entries) => sendMessage('stageBackup', { importId, index, entries }),
      (importId, batches) => sendMessage('commitBackup', { importId, batches, version: BACKUP_VERSION }),
      progress,
    );
    return skipped ? t('reviewBackupRestoredSkipped', [imported, skipped]) : t('reviewBackupRestored', [imported]);
  }
  const { conversations, errors } = parseThoughtTraceJsonl(text);
  if (errors.length) {
    const first = errors[0]!;
    return t('reviewImportInvalid', [first.line, first.message.split('\n')[0] ?? '']);
  }
  if (!conversations.length) return t('reviewImported', [0]);
  const { imported, skipped } = await sendInBatches(
    conversations,
    (importId, index, batch) => sendMessage('stageImport', { importId, index, conversations: batch }),
    (importId, batches) => sendMessage('commitImport', { importId, batches }),
    progress,
  );
  return skipped ? t('reviewImportedSkipped', [imported, skipped]) : t('reviewImported', [imported]);
}

export function ImportButton({ run, disabled, notice }: { run: RunTask; disabled: boolean; notice: (text: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".jsonl,application/x-ndjson,application/json"
        className="hidden"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) run(t('reviewImportChecking'), () => importFile(file, notice), (error) => t('reviewImportFailed', [error]));
        }}
      />
      <button type="button" className={quiet} title={t('reviewImportHint')} disabled={disabled} onClick={() => input.current?.click()}>
        {t('reviewImport')}
      </button>
    </>
  );
}
