import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { activeFilters, NO_FILTERS, reviewState, type Filters, type ListedConversation, type ReviewState } from './filters';
import { field, formatCount, formatDate, quiet } from './ui';
import type { ConversationStatsRow } from '@/utils/data/db';
import { SITES, type ConversationRecord } from '@/utils/data/records';
import { hasTaskAnswers } from '@/utils/data/counts';
import { siteName, t, type StaticMessageKey } from '@/utils/i18n';

// The review page's list: the search box, the filters, how many match, and the conversations
// newest first. The list is virtualized (@tanstack/react-virtual): only the rows in view exist,
// so 21,550 conversations render as fast as 20. It is a list of buttons in a navigation region;
// the selected one is `aria-current` and the one Tab reaches; the arrow keys, Home, End and
// Page Up/Down move through all of them, and each row says its place in the whole list.

export interface ListProps {
  /** Every conversation, newest first (the newest only, while the rest are read). */
  listed: readonly ListedConversation[];
  /** How many conversations there are. */
  total: number;
  /** Those the search and filters let through, in the same order. */
  shown: readonly ListedConversation[];
  stats: ReadonlyMap<string, ConversationStatsRow>;
  query: string;
  onQuery: (query: string) => void;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  /** A search is running for the query as typed (the list shows the previous results meanwhile). */
  searching: boolean;
  /** Conversations written since the background last indexed them. */
  queued: number;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  onDownloadShown: () => void;
  busy: boolean;
}

const STATE_NAMES: Record<ReviewState, StaticMessageKey> = {
  new: 'reviewListStateNew',
  reviewed: 'reviewListStateReviewed',
  uploaded: 'reviewListStateUploaded',
  changed: 'reviewListStateChanged',
};

const STATE_STYLES: Record<ReviewState, string> = {
  new: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  reviewed: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  uploaded: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
  changed: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
};

const badge = 'rounded px-1.5 py-0.5 text-[11px] font-medium';

export function ConversationList(props: ListProps) {
  const { shown, total, query, filters, searching, queued } = props;
  const searched = query.trim() !== '';
  const count = !searched && !activeFilters(filters)
    ? total === 1 ? t('reviewListCountOne') : t('reviewListCount', [formatCount(total)])
    : searched
      ? t('reviewListCountFor', [formatCount(shown.length), formatCount(total), query.trim()])
      : t('reviewListCountShown', [formatCount(shown.length), formatCount(total)]);

  return (
    <div className="flex h-[calc(100vh-57px)] min-w-0 flex-col border-r border-zinc-200 dark:border-zinc-800">
      <SearchAndFilters {...props} />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800">
        <p role="status" className="m-0 mr-auto text-zinc-600 dark:text-zinc-300">
          {searching ? t('reviewListSearching') : count}
        </p>
        {(searched || activeFilters(filters) > 0) && shown.length > 0 && !searching && (
          <button type="button" className={`${quiet} text-xs`} disabled={props.busy} onClick={props.onDownloadShown}>
            {t('reviewListDownloadShown', [formatCount(shown.length)])}
          </button>
        )}
        {queued > 0 && <p className="m-0 w-full text-zinc-500 dark:text-zinc-400">{t('reviewListIndexing', [formatCount(queued)])}</p>}
      </div>
      {shown.length === 0 ? (
        <div className="flex flex-col items-start gap-2 p-4 text-sm text-zinc-600 dark:text-zinc-300">
          <p className="m-0">{t('reviewListNoMatch')}</p>
          <button
            type="button"
            className={quiet}
            onClick={() => {
              props.onQuery('');
              props.onFilters(NO_FILTERS);
            }}
          >
            {t('reviewListClearAll')}
          </button>
        </div>
      ) : (
        <Rows {...props} />
      )}
    </div>
  );
}

function SearchAndFilters({ listed, query, onQuery, filters, onFilters }: ListProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const models = useMemo(
    () => [...new Set(listed.map(({ conversation }) => conversation.modelName).filter(Boolean))].sort((a, b) => a.localeCompare(b)),
    [listed],
  );
  const on = activeFilters(filters);
  const set = <K extends keyof Filters>(key: K) => (value: string) => onFilters({ ...filters, [key]: value as Filters[K] });

  return (
    <div role="search" className="flex flex-col gap-2 border-b border-zinc-200 p-3 dark:border-zinc-800">
      <label htmlFor={`${id}-q`} className="sr-only">
        {t('reviewListSearch')}
      </label>
      <input
        id={`${id}-q`}
        type="search"
        value={query}
        placeholder={t('reviewListSearchPlaceholder')}
        aria-describedby={`${id}-hint`}
        className={`${field} w-full`}
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={(event) => {
          // Down from the search box goes to the results.
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            document.querySelector<HTMLButtonElement>('[data-conversation-row][tabindex="0"]')?.focus();
          }
        }}
      />
      <p id={`${id}-hint`} className="sr-only">
        {t('reviewListSearchHint')}
      </p>
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)} className="text-sm">
        <summary className="cursor-pointer text-zinc-700 select-none dark:text-zinc-200">
          {on ? t('reviewListFiltersOn', [on]) : t('reviewListFilters')}
        </summary>
        <div className="mt-2 grid grid-cols-2 gap-2">
          <Choice label={t('reviewListSite')} value={filters.site} onChange={set('site')}>
            <option value="">{t('reviewListAnySite')}</option>
            {[...SITES, 'import' as const].map((site) => (
              <option key={site} value={site}>
                {siteName(site)}
              </option>
            ))}
          </Choice>
          <Choice label={t('reviewListModel')} value={filters.model} onChange={set('model')}>
            <option value="">{t('reviewListAnyModel')}</option>
            {models.map((model) => (
              <option key={model} value={model}>
                {model}
              </option>
            ))}
          </Choice>
          <DateField label={t('reviewListFrom')} value={filters.from} max={filters.to} onChange={set('from')} />
          <DateField label={t('reviewListTo')} value={filters.to} min={filters.from} onChange={set('to')} />
          <Choice label={t('reviewListThoughts')} value={filters.thoughts} onChange={set('thoughts')}>
            <option value="">{t('reviewListAnyThoughts')}</option>
            <option value="with">{t('reviewListWithThoughts')}</option>
            <option value="without">{t('reviewListWithoutThoughts')}</option>
          </Choice>
          <Choice label={t('reviewListReview')} value={filters.review} onChange={set('review')}>
            <option value="">{t('reviewListAny')}</option>
            <option value="new">{t('reviewListStateNew')}</option>
            <option value="reviewed">{t('reviewListStateReviewed')}</option>
            <option value="changed">{t('reviewListStateChanged')}</option>
          </Choice>
          <Choice label={t('reviewListUpload')} value={filters.upload} onChange={set('upload')}>
            <option value="">{t('reviewListAny')}</option>
            <option value="not-uploaded">{t('reviewListNotUploaded')}</option>
            <option value="uploaded">{t('reviewListStateUploaded')}</option>
            <option value="excluded">{t('reviewListExcluded')}</option>
          </Choice>
          {on > 0 && (
            <button type="button" className={`${quiet} self-end`} onClick={() => onFilters(NO_FILTERS)}>
              {t('reviewListClearFilters')}
            </button>
          )}
        </div>
      </details>
    </div>
  );
}

const labelled = 'flex min-w-0 flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-300';

function Choice({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <div className={labelled}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} className={`${field} w-full`} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}

function DateField({ label, value, min, max, onChange }: { label: string; value: string; min?: string; max?: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className={labelled}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} min={min || undefined} max={max || undefined} className={`${field} w-full`} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

/** How tall a row is before it is measured (a title, its details, its badges). */
const ROW_ESTIMATE = 84;

function Rows({ shown, stats, selectedId, onSelect, searching }: ListProps) {
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (index) => shown[index]!.conversation.id,
    overscan: 6,
    // Rows on the first render, before the list's size is measured.
    initialRect: { width: 320, height: typeof window === 'undefined' ? 800 : window.innerHeight },
  });
  const current = shown.findIndex(({ conversation }) => conversation.id === selectedId);
  const tabStop = current >= 0 ? current : 0;

  // A row reached by the keyboard takes focus once it is rendered (it may first scroll into view).
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    if (focusIndex.current === null) return;
    const row = scroller.current?.querySelector<HTMLButtonElement>(`[data-index="${focusIndex.current}"] button`);
    if (row) {
      row.focus();
      focusIndex.current = null;
    }
  });

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_ESTIMATE) / ROW_ESTIMATE) - 1);
    const target =
      event.key === 'ArrowDown' ? tabStop + 1
      : event.key === 'ArrowUp' ? tabStop - 1
      : event.key === 'PageDown' ? tabStop + page
      : event.key === 'PageUp' ? tabStop - page
      : event.key === 'Home' ? 0
      : event.key === 'End' ? shown.length - 1
      : null;
    if (target === null) return;
    event.preventDefault();
    const index = Math.min(shown.length - 1, Math.max(0, target));
    onSelect(shown[index]!.conversation.id);
    virtualizer.scrollToIndex(index);
    focusIndex.current = index;
  };

  return (
    <nav ref={scroller} aria-label={t('conversations')} aria-busy={searching} className="min-h-0 flex-1 overflow-y-auto">
      <ul className="relative m-0 list-none p-0" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
        {virtualizer.getVirtualItems().map((item) => {
          const { conversation } = shown[item.index]!;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              aria-setsize={shown.length}
              aria-posinset={item.index + 1}
              className="absolute top-0 left-0 w-full px-2 py-0.5"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Row
                conversation={conversation}
                thoughts={stats.get(conversation.id)?.thoughts}
                tabStop={item.index === tabStop}
                current={conversation.id === selectedId || (current < 0 && item.index === 0)}
                onSelect={() => onSelect(conversation.id)}
              />
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Row({
  conversation,
  thoughts,
  tabStop,
  current,
  onSelect,
}: {
  conversation: ConversationRecord;
  /** Unknown until the background has indexed the conversation. */
  thoughts: number | undefined;
  /** The row Tab reaches. */
  tabStop: boolean;
  /** The conversation shown beside the list. */
  current: boolean;
  onSelect: () => void;
}) {
  const state = reviewState(conversation);
  const date = formatDate(conversation.updatedAt);
  return (
    <button
      type="button"
      data-conversation-row=""
      tabIndex={tabStop ? 0 : -1}
      aria-current={current ? 'true' : undefined}
      onClick={onSelect}
      className={`w-full rounded-lg px-3 py-2 text-left text-sm focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none ${current ? 'bg-indigo-50 dark:bg-indigo-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-900'}`}
    >
      <span className="block truncate font-medium">{conversation.title || t('reviewUntitled')}</span>
      <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
        {conversation.modelName
          ? t('reviewListMetaModel', [siteName(conversation.site), conversation.modelName, date])
          : t('reviewListMeta', [siteName(conversation.site), date])}
      </span>
      <span className="mt-1 flex flex-wrap gap-1">
        {thoughts !== undefined && (
          <span className={`${badge} ${thoughts ? 'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200' : 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300'}`}>
            {thoughts === 0 ? t('reviewListNoThoughts') : thoughts === 1 ? t('reviewListOneThought') : t('reviewListThoughtCount', [formatCount(thoughts)])}
          </span>
        )}
        <span className={`${badge} ${STATE_STYLES[state]}`}>{t(STATE_NAMES[state])}</span>
        {conversation.excluded && <span className={`${badge} bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200`}>{t('reviewListExcludedBadge')}</span>}
      </span>
      {conversation.taskAsk && !hasTaskAnswers(conversation) && (
        <span className="mt-1 block text-xs text-indigo-700 dark:text-indigo-300">{t('reviewTaskUnanswered')}</span>
      )}
    </button>
  );
}
