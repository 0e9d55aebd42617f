import { useId, useState } from 'react';
import { kindName } from './kind-names';
import { suggestionsByKind, type Suggestion, type SuggestedValue } from './redaction-model';
import type { SuggestionsState } from './use-suggestions';
import { primary, quiet } from './ui';
import { t } from '@/utils/i18n';
import type { SpanKind } from '@/utils/redaction/types';

/**
 * The conversation's open suggestions by kind: redact or reject all of a kind at once, or each
 * value; and the rejected values, to suggest again.
 */
export function SuggestionsPanel({
  state,
  suggestions,
  rejected,
  onRedact,
  onReject,
  onRestore,
}: {
  state: SuggestionsState['status'];
  suggestions: readonly Suggestion[];
  rejected: number;
  onRedact: (suggestions: Suggestion[]) => void;
  onReject: (suggestions: Suggestion[]) => void;
  onRestore: () => void;
}) {
  const headingId = useId();
  const groups = suggestionsByKind(suggestions);
  return (
    <section aria-labelledby={headingId} aria-busy={state === 'working'} className="flex flex-col gap-2 rounded-xl border border-amber-200 bg-amber-50/50 p-4 text-sm dark:border-amber-900 dark:bg-amber-950/20">
      <h3 id={headingId} className="m-0 text-sm font-semibold">
        {t('redactSuggestionsHeading')}
      </h3>
      <p className="m-0 text-zinc-600 dark:text-zinc-300">
        {state === 'failed'
          ? t('redactSuggestionsFailed')
          : groups.length
            ? t('redactSuggestionsIntro')
            : state === 'working'
              ? t('redactSuggestionsWorking')
              : t('redactSuggestionsNone')}
      </p>
      {groups.map(({ kind, values }) => (
        <KindRow key={kind} kind={kind} values={values} onRedact={onRedact} onReject={onReject} />
      ))}
      {rejected > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300">
          <span>{t('redactRejectedCount', [rejected])}</span>
          <button type="button" className={`${quiet} text-xs`} onClick={onRestore}>
            {t('redactSuggestAgain')}
          </button>
        </div>
      )}
    </section>
  );
}

function KindRow({ kind, values, onRedact, onReject }: { kind: SpanKind; values: SuggestedValue[]; onRedact: (s: Suggestion[]) => void; onReject: (s: Suggestion[]) => void }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const all = values.flatMap((value) => value.places);
  return (
    <div className="flex flex-col gap-1 rounded-lg bg-white/70 p-2 dark:bg-zinc-900/60">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={`${quiet} mr-auto font-medium`} aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {t('redactKindCount', [values.length, kindName(kind, values.length)])}
        </button>
        <button type="button" className={primary} onClick={() => onRedact(all)}>
          {values.length === 1 ? t('redactTheOne', [kindName(kind, 1)]) : t('redactAllOfKind', [values.length, kindName(kind, values.length)])}
        </button>
        <button type="button" className={quiet} onClick={() => onReject(all)}>
          {values.length === 1 ? t('redactNotPersonal') : t('redactNoneOfKind')}
        </button>
      </div>
      {open && (
        <ul id={listId} className="m-0 flex list-none flex-col gap-1 p-0">
          {values.map((value) => (
            <li key={value.places[0]!.id} className="flex flex-wrap items-center gap-2">
              <span className="mr-auto max-w-full truncate font-mono text-xs" title={value.value}>
                {value.value}
                {value.places.length > 1 && <span className="text-zinc-500"> {t('redactPlaces', [value.places.length])}</span>}
              </span>
              <button type="button" className={`${quiet} text-xs`} aria-label={t('redactValue', [value.value])} onClick={() => onRedact(value.places)}>
                {t('redactThis')}
              </button>
              <button type="button" className={`${quiet} text-xs`} aria-label={t('redactRejectValue', [value.value])} onClick={() => onReject(value.places)}>
                {t('redactNotPersonal')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
