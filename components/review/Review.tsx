import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { NO_FILTERS, activeFilters, newestFirst, shownConversations, type Filters } from './filters';
import { SettingsPanel } from './SettingsPanel';
import { StudyPanel } from '../study/StudyPanel';
import { BackupButton, ExportButton, ImportButton, exportJsonl, type RunTask } from './transfer';
import { db, type ConversationStatsRow } from '@/utils/data/db';
import { searchConversations, searchTerms } from '@/utils/data/search';
import { t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';

// The review page's shell: its sections (conversations, settings, study), the file actions (import,
// backup, export), and the list beside the conversation it selects.

/** Rows read first, so the list shows before every conversation is read (the screenful and more). */
const FIRST_ROWS = 40;

/**
 * The newest conversations and how many there are, then every one newest first. With tens of
 * thousands, reading all of them takes a while; the first screen does not wait for it.
 */
function useListed() {
  const first = useLiveQuery(async () => {
    const [newest, total] = await Promise.all([
      db().conversations.orderBy('updatedAt').reverse().limit(FIRST_ROWS).toArray(),
      db().conversations.count(),
    ]);
    return { newest: newestFirst(newest), total };
  }, []);
  const ready = first !== undefined;
  const all = useLiveQuery(async () => (ready ? newestFirst(await db().conversations.toArray()) : undefined), [ready]);
  if (all) return { listed: all, total: all.length, complete: true };
  return first && { listed: first.newest, total: first.total, complete: false };
}

/**
 * Thought counts and how many conversations wait to be indexed for search: read apart from the
 * conversations, so the list never waits for the background writing the index.
 */
function useSearchStats() {
  return useLiveQuery(async () => {
    const [stats, queued] = await Promise.all([db().conversationStats.toArray(), db().searchQueue.count()]);
    return { stats: new Map(stats.map((row) => [row.conversationId, row])), queued };
  }, []);
}

const NO_STATS = { stats: new Map<string, ConversationStatsRow>(), queued: 0 };

const viewOfHash = () => (location.hash === '#settings' ? 'settings' : location.hash === '#study' ? 'study' : 'conversations');

export function Review() {
  const list = useListed();
  const listed = list?.listed;
  const { stats, queued } = useSearchStats() ?? NO_STATS;
  const conversationOf = useMemo(() => new Map([...stats.values()].map((row) => [row.doc, row.conversationId])), [stats]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [view, setView] = useState(viewOfHash);
  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // The results stay those of an earlier query until the current one's arrive.
  const search = useLiveQuery(async () => ({ query, found: await searchConversations(db(), query, conversationOf) }), [query, conversationOf]);
  const searched = searchTerms(query).length > 0;
  // Results and counts are complete once every conversation is read.
  const searching = (searched && search?.query !== query) || (!list?.complete && (searched || activeFilters(filters) > 0));
  const found = searched ? (search?.found ?? null) : null;
  const shown = useMemo(() => (listed ? shownConversations(listed, stats, filters, found) : []), [listed, stats, filters, found]);
  const selected = (shown.find(({ conversation }) => conversation.id === selectedId) ?? shown[0])?.conversation;
  // The list answers a keystroke first; the conversation beside it follows in a later render.
  const viewed = useDeferredValue(selected, undefined);

  // Conversations wait to be indexed (after an import, or a background stopped mid-way): asking
  // the background to index them keeps it awake until it has. Asked again while any are left (a
  // service worker stopped mid-way answers with an error).
  const [asked, setAsked] = useState(0);
  const waiting = queued > 0;
  useEffect(() => {
    if (!waiting) return;
    let mounted = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    void sendMessage('indexSearch', undefined)
      .catch(() => undefined)
      .finally(() => {
        if (mounted) retry = setTimeout(() => setAsked((n) => n + 1), 1000);
      });
    return () => {
      mounted = false;
      clearTimeout(retry);
    };
  }, [waiting, asked]);

  const run: RunTask = (working, task, failed = (error) => t('reviewActionFailed', [error])) => {
    setBusy(true);
    setNotice(working);
    void task()
      .then(setNotice, (error: Error) => setNotice(failed(error.message)))
      .finally(() => setBusy(false));
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
        <ImportButton run={run} disabled={busy} notice={setNotice} />
        <BackupButton run={run} disabled={busy} />
        <ExportButton run={run} disabled={busy} />
      </header>

      {view === 'study' ? (
        <StudyPanel />
      ) : view === 'settings' ? (
        <SettingsPanel />
      ) : list === undefined || listed === undefined ? null : list.total === 0 ? (
        <section className="mx-auto max-w-xl p-10 text-center">
          <h2 className="text-base font-semibold">{t('reviewEmptyHeading')}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">{t('reviewEmptyBody')}</p>
        </section>
      ) : (
        <div className="grid grid-cols-[minmax(16rem,22rem)_1fr] gap-0">
          <ConversationList
            listed={listed}
            total={list.total}
            shown={shown}
            stats={stats}
            query={query}
            onQuery={setQuery}
            filters={filters}
            onFilters={setFilters}
            searching={searching}
            queued={queued}
            selectedId={selected?.id}
            onSelect={setSelectedId}
            busy={busy}
            onDownloadShown={() =>
              run(t('reviewExporting'), async () => t('reviewListDownloadedShown', [await exportJsonl(new Set(shown.map(({ conversation }) => conversation.id)))]))
            }
          />
          {viewed ? (
            <ConversationView key={viewed.id} conversation={viewed} onDeleted={() => setSelectedId(null)} />
          ) : selected ? (
            <main />
          ) : (
            <main className="p-10 text-sm text-zinc-600 dark:text-zinc-300">{t('reviewListNoMatch')}</main>
          )}
        </div>
      )}
    </div>
  );
}
