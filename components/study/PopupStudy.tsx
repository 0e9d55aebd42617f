import { browser } from 'wxt/browser';
import { isEnrolled } from '@/utils/data/study';
import { t, type StaticMessageKey } from '@/utils/i18n';
import { formatDate } from '../review/ui';
import { useStudy } from './live';

// The popup's line about the study: which state it is in, what waits and what was sent, and the
// last error with its time. Everything else is on the review page's Study view.

const STATE_TEXT: Record<'enrolled' | 'paused' | 'consent-changed', StaticMessageKey> = {
  enrolled: 'popupStudyEnrolled',
  paused: 'popupStudyPaused',
  'consent-changed': 'popupStudyConsentChanged',
};

export function PopupStudy() {
  const view = useStudy();
  if (!view) return null;
  const { state, uploads, counts } = view;
  const openStudy = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/review.html#study') });
    window.close();
  };
  return (
    <section aria-label={t('popupStudy')} className="flex flex-col gap-1 rounded-lg border border-zinc-200 p-3 dark:border-zinc-700">
      {isEnrolled(state) ? (
        <>
          <p className="m-0 font-medium">{state.manifest.name}</p>
          <p className="m-0" data-testid="popup-study-state">{t(STATE_TEXT[state.state])}</p>
          <p className="m-0 text-xs text-zinc-600 dark:text-zinc-300" data-testid="popup-study-counts">
            {t('popupStudyCounts', [counts.waiting, counts.uploaded])}
            {uploads.lastSuccessAt ? ` · ${t('popupStudyLastUpload', [formatDate(uploads.lastSuccessAt)])}` : ''}
          </p>
        </>
      ) : state.state === 'withdrawn' ? (
        <p className="m-0" data-testid="popup-study-state">{t('popupStudyWithdrawn', [state.manifest.name])}</p>
      ) : (
        <p className="m-0 text-zinc-600 dark:text-zinc-300" data-testid="popup-study-state">{t('popupStudyNone')}</p>
      )}
      {uploads.lastError && (
        <p className="m-0 text-xs text-red-700 dark:text-red-300" data-testid="popup-study-error">
          {t('popupStudyError', [formatDate(uploads.lastError.at), uploads.lastError.message])}
        </p>
      )}
      <div>
        <button type="button" onClick={() => void openStudy()} className="p-0 text-xs text-indigo-700 underline dark:text-indigo-300">
          {t(isEnrolled(state) ? 'popupStudyOpen' : 'popupStudyJoin')}
        </button>
      </div>
    </section>
  );
}
