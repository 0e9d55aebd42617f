import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { ConversationView } from './ConversationView';
import { SettingsPanel } from './SettingsPanel';
import { StudyPanel } from '../study/StudyPanel';
import { formatDate, primary, quiet } from './ui';
import { db } from '@/utils/data/db';
import { type ThoughtTraceConversation } from '@/utils/data/records';
import { exportThoughtTrace, parseThoughtTraceJsonl } from '@/utils/data/thoughttrace';
import { siteName, t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';
import { IMPORT_BATCH_MAX } from '@/utils/protocol/requests';

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Review() {
  const conversations = useLiveQuery(() => db().conversations.orderBy('updatedAt').reverse().toArray(), []);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const selected = conversations?.find((c) => c.id === selectedId) ?? conversations?.[0];
  const viewOfHash = () => (location.hash === '#settings' ? 'settings' : location.hash === '#study' ? 'study' : 'conversations');
  const [view, setView] = useState(viewOfHash);
  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const onExport = async () => {
    // The optional profile fills survey_answers.
    const { profile } = await sendMessage('getSettings', undefined);
    const jsonl = await exportThoughtTrace(db(), profile);
    const day = new Date().toISOString().slice(0, 10);
    download(jsonl, `thoughttrace-${day}.jsonl`);
    setNotice(t('reviewExported', [jsonl ? jsonl.trimEnd().split('\n').length : 0]));
  };

  return (
    <div className="min-h-screen bg-zinc-50 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <header className="sticky top-0 z-10 flex flex-wrap items-center gap-3 border-b border-zinc-200 bg-white/90 px-6 py-3 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
        <h1 className="m-0 text-lg font-semibold">{t('extName')}</h1>
        <nav aria-label={t('reviewSections')} className="mr-auto flex gap-1 text-sm">
          {(
            [
              ['conversations', t('conversations'), ''],
              ['settings', t('reviewSettingsNav'), '#settings'],
              ['study', t('reviewStudyNav'), '#study'],
            ] as const
          ).map(([id, name, hash]) => (
            <a
              key={id}
              href={hash || '#'}
              aria-current={view === id ? 'page' : undefined}
              onClick={() => setView(id)}
              className={`rounded-lg px-3 py-1.5 no-underline ${view === id ? 'bg-indigo-50 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800'}`}
            >
              {name}
            </a>
          ))}
        </nav>
        <p role="status" className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{notice}</p>
        <ImportButton onDone={setNotice} />
        <button type="button" className={primary} onClick={() => void onExport()}>
          {t('reviewExport')}
        </button>
      </header>

      {view === 'study' ? (
        <StudyPanel />
      ) : view === 'settings' ? (
        <SettingsPanel />
      ) : conversations === undefined ? null : conversations.length === 0 ? (
        <section className="mx-auto max-w-xl p-10 text-center">
          <h2 className="text-base font-semibold">{t('reviewEmptyHeading')}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">{t('reviewEmptyBody')}</p>
        </section>
      ) : (
        <div className="grid grid-cols-[minmax(14rem,20rem)_1fr] gap-0">
          <nav aria-label={t('conversations')} className="h-[calc(100vh-57px)] overflow-y-auto border-r border-zinc-200 dark:border-zinc-800">
            <ul className="m-0 list-none p-2">
              {conversations.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    aria-current={c.id === selected?.id ? 'true' : undefined}
                    onClick={() => setSelectedId(c.id)}
                    className={`w-full rounded-lg px-3 py-2 text-left text-sm ${c.id === selected?.id ? 'bg-indigo-50 dark:bg-indigo-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-900'}`}
                  >
                    <span className="block truncate font-medium">{c.title || t('reviewUntitled')}</span>
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                      {t('reviewListMeta', [siteName(c.site), formatDate(c.updatedAt)])}
                    </span>
                    {c.taskAsk && !c.taskSummary.trim() && !c.taskExpectation.trim() && (
                      <span className="block text-xs text-indigo-700 dark:text-indigo-300">{t('reviewTaskUnanswered')}</span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {selected && <ConversationView key={selected.id} conversation={selected} onDeleted={() => setSelectedId(null)} />}
        </div>
      )}
    </div>
  );
}

/** An extension message has a size limit (64 MiB in Chrome): a file goes in batches well under it. */
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Sends a file's conversations in batches, staged by the background and written at once when the
 * last has arrived: all or nothing, and importing the same file twice changes nothing.
 */
async function importInBatches(conversations: ThoughtTraceConversation[]) {
  if (!conversations.length) return { imported: 0, skipped: 0 };
  const importId = crypto.randomUUID();
  let batch: ThoughtTraceConversation[] = [];
  let bytes = 0;
  let index = 0;
  const flush = async () => {
    await sendMessage('stageImport', { importId, index: index++, conversations: batch });
    batch = [];
    bytes = 0;
  };
  try {
    for (const conversation of conversations) {
      const size = JSON.stringify(conversation).length * 2;
      if (batch.length && (bytes + size > BATCH_BYTES || batch.length === IMPORT_BATCH_MAX)) await flush();
      batch.push(conversation);
      bytes += size;
    }
    if (batch.length) await flush();
    return await sendMessage('commitImport', { importId, batches: index });
  } catch (error) {
    await sendMessage('discardImport', { importId }).catch(() => undefined);
    throw error;
  }
}

function ImportButton({ onDone }: { onDone: (notice: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const onFile = async (file: File) => {
    const { conversations, errors } = parseThoughtTraceJsonl(await file.text());
    if (errors.length) {
      const first = errors[0]!;
      onDone(t('reviewImportInvalid', [first.line, first.message.split('\n')[0] ?? '']));
      return;
    }
    const { imported, skipped } = await importInBatches(conversations);
    onDone(skipped ? t('reviewImportedSkipped', [imported, skipped]) : t('reviewImported', [imported]));
  };
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
          if (file) void onFile(file).catch((error: Error) => onDone(t('reviewImportFailed', [error.message])));
        }}
      />
      <button type="button" className={quiet} onClick={() => input.current?.click()}>
        {t('reviewImport')}
      </button>
    </>
  );
}

