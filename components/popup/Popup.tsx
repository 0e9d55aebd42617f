import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/utils/protocol/messages';
import { siteName, t, type StaticMessageKey } from '@/utils/i18n';
import { pageReportSchema, type PageReport } from '@/utils/protocol/requests';
import type { Site } from '@/utils/data/records';
import { useCounts, useSettings } from '../live';
import { PopupStudy } from '../study/PopupStudy';
import { pageState, type PageState } from './page-state';

const STATE_TEXT: Record<PageState, StaticMessageKey> = {
  capturing: 'popupStateCapturing',
  paused: 'popupStatePaused',
  off: 'popupStateOff',
  private: 'popupStatePrivate',
  'not-a-conversation': 'popupStateNotConversation',
  'site-changed': 'popupStateSiteChanged',
};

async function activeTabReport(): Promise<PageReport | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return null;
  try {
    // Only our content script answers, and only on a supported chat site.
    const parsed = pageReportSchema.safeParse(await sendMessage('getPageReport', undefined, tab.id));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function Popup() {
  // Settings and counts are live: a change made anywhere (a card, the review page) shows at once.
  const settings = useSettings();
  const counts = useCounts();
  const [report, setReport] = useState<PageReport | null | undefined>(undefined);
  const [error, setError] = useState('');
  const page = report && settings ? { ...report, state: pageState(report, settings) } : report === null ? null : undefined;

  useEffect(() => void activeTabReport().then(setReport), []);

  const run = async (request: Promise<unknown>) => {
    try {
      await request;
      setError('');
    } catch {
      setError(t('popupWriteError'));
    }
  };
  const togglePause = () => settings && void run(sendMessage('setPaused', { paused: !settings.paused }));
  const startRecording = (site: Site) =>
    settings && void run(sendMessage('updateSettings', { recording: { ...settings.recording, [site]: true } }));

  const openReview = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/review.html') });
    window.close();
  };

  return (
    <main className="flex flex-col gap-3 p-4 text-sm">
      <header className="flex items-center justify-between">
        <h1 className="m-0 text-base font-semibold">{t('extName')}</h1>
        {settings && (
          <span className={`rounded-full px-2 py-0.5 text-xs ${settings.paused ? 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100' : 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100'}`}>
            {t(settings.paused ? 'popupBadgePaused' : 'popupBadgeOn')}
          </span>
        )}
      </header>

      <section aria-label={t('popupThisTab')} className="rounded-lg bg-zinc-100 p-3 dark:bg-zinc-800">
        {page === undefined ? (
          <p className="m-0 text-zinc-500">{t('popupCheckingTab')}</p>
        ) : page === null ? (
          <p className="m-0">{t('popupUnsupportedTab')}</p>
        ) : (
          <>
            <p className="m-0 font-medium">{page.conversationTitle ? t('popupPageTitle', [siteName(page.site), page.conversationTitle]) : siteName(page.site)}</p>
            <p className="m-0 mt-1 text-zinc-600 dark:text-zinc-300">
              {t(STATE_TEXT[page.state])}
            </p>
            {page.state === 'off' && (
              <button
                type="button"
                className="mt-2 rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none"
                onClick={() => startRecording(page.site)}
              >
                {t('popupStartRecordingSite', [siteName(page.site)])}
              </button>
            )}
            {page.state === 'site-changed' && page.siteChanged && (
              <p className="m-0 mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t('popupMissing', [page.siteChanged])}</p>
            )}
            {page.state === 'capturing' && page.degraded.length > 0 && (
              <p className="m-0 mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                {t(page.degraded.includes('composer') ? 'popupDegradedComposer' : 'popupDegraded', [page.degraded.join(', ')])}
              </p>
            )}
          </>
        )}
      </section>

      {counts && (
        <dl className="m-0 grid grid-cols-2 gap-2">
          <div className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-700">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('conversations')}</dt>
            <dd className="m-0 text-lg font-semibold" data-testid="conversation-count">{counts.conversations}</dd>
          </div>
          <div className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-700">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('popupThoughts')}</dt>
            <dd className="m-0 text-lg font-semibold" data-testid="thought-count">{counts.thoughts}</dd>
          </div>
        </dl>
      )}

      <PopupStudy />

      {settings && (
        <label className="flex cursor-pointer items-center justify-between gap-2">
          <span>{t('popupPauseEverywhere')}</span>
          <input
            type="checkbox"
            role="switch"
            checked={settings.paused}
            onChange={togglePause}
            className="h-4 w-4 accent-indigo-600"
          />
        </label>
      )}

      {error && <p role="alert" className="m-0 text-red-600">{error}</p>}

      {counts && counts.tasksUnanswered > 0 && (
        <p className="m-0 text-xs text-indigo-700 dark:text-indigo-300">
          {counts.tasksUnanswered === 1 ? t('popupTasksUnansweredOne') : t('popupTasksUnanswered', [counts.tasksUnanswered])}
        </p>
      )}

      <button
        type="button"
        onClick={() => void openReview()}
        className="rounded-lg bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none"
      >
        {t('popupOpenReview')}
      </button>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">
        {t('popupPrivacyNote')}{' '}
        <a href={browser.runtime.getURL('/privacy.html')} target="_blank" rel="noreferrer" className="text-indigo-700 underline dark:text-indigo-300">
          {t('welcomePrivacyLink')}
        </a>
      </p>
    </main>
  );
}
