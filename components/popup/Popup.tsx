import { useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { sendMessage, type Status } from '@/utils/protocol/messages';
import { t, type StaticMessageKey } from '@/utils/i18n';
import { pageStatusSchema, type PageStatus } from '@/utils/protocol/requests';

const STATE_TEXT: Record<PageStatus['state'], StaticMessageKey> = {
  capturing: 'popupStateCapturing',
  paused: 'popupStatePaused',
  off: 'popupStateOff',
  private: 'popupStatePrivate',
  'not-a-conversation': 'popupStateNotConversation',
  'site-changed': 'popupStateSiteChanged',
};

async function activeTabStatus(): Promise<PageStatus | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return null;
  try {
    // Only our content script answers, and only on a supported chat site.
    const parsed = pageStatusSchema.safeParse(await sendMessage('getPageStatus', undefined, tab.id));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function Popup() {
  const [status, setStatus] = useState<Status | null>(null);
  const [page, setPage] = useState<PageStatus | null | undefined>(undefined);
  const [error, setError] = useState('');

  const refresh = useCallback(async () => {
    try {
      const [next, tab] = await Promise.all([sendMessage('getStatus', undefined), activeTabStatus()]);
      setStatus(next);
      setPage(tab);
    } catch {
      setError(t('popupReadError'));
    }
  }, []);

  useEffect(() => void refresh(), [refresh]);

  const togglePause = async () => {
    if (!status) return;
    await sendMessage('setPaused', { paused: !status.paused });
    await refresh();
  };

  const startRecording = async (site: PageStatus['site']) => {
    const { settings } = await sendMessage('getSettings', undefined);
    await sendMessage('updateSettings', { recording: { ...settings.recording, [site]: true } });
    await refresh();
  };

  const openReview = async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/review.html') });
    window.close();
  };

  return (
    <main className="flex flex-col gap-3 p-4 text-sm">
      <header className="flex items-center justify-between">
        <h1 className="m-0 text-base font-semibold">{t('extName')}</h1>
        {status && (
          <span className={`rounded-full px-2 py-0.5 text-xs ${status.paused ? 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100' : 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100'}`}>
            {t(status.paused ? 'popupBadgePaused' : 'popupBadgeOn')}
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
            <p className="m-0 font-medium">{page.conversationTitle ? t('popupPageTitle', [page.siteName, page.conversationTitle]) : page.siteName}</p>
            <p className="m-0 mt-1 text-zinc-600 dark:text-zinc-300">
              {t(page.state === 'capturing' && status?.paused ? STATE_TEXT.paused : STATE_TEXT[page.state])}
            </p>
            {page.state === 'off' && (
              <button
                type="button"
                className="mt-2 rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none"
                onClick={() => void startRecording(page.site)}
              >
                {t('popupStartRecordingSite', [page.siteName])}
              </button>
            )}
            {page.state === 'site-changed' && page.missing && (
              <p className="m-0 mt-1 text-xs text-zinc-500 dark:text-zinc-400">{t('popupMissing', [page.missing])}</p>
            )}
            {page.degraded && page.degraded.length > 0 && (
              <p className="m-0 mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                {t(page.degraded.includes('composer') ? 'popupDegradedComposer' : 'popupDegraded', [page.degraded.join(', ')])}
              </p>
            )}
          </>
        )}
      </section>

      {status && (
        <dl className="m-0 grid grid-cols-2 gap-2">
          <div className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-700">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('conversations')}</dt>
            <dd className="m-0 text-lg font-semibold" data-testid="conversation-count">{status.conversations}</dd>
          </div>
          <div className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-700">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{t('popupThoughts')}</dt>
            <dd className="m-0 text-lg font-semibold" data-testid="thought-count">{status.thoughts}</dd>
          </div>
        </dl>
      )}

      {status && (
        <label className="flex cursor-pointer items-center justify-between gap-2">
          <span>{t('popupPauseEverywhere')}</span>
          <input
            type="checkbox"
            role="switch"
            checked={status.paused}
            onChange={() => void togglePause()}
            className="h-4 w-4 accent-indigo-600"
          />
        </label>
      )}

      {error && <p role="alert" className="m-0 text-red-600">{error}</p>}

      {status && status.tasksUnanswered > 0 && (
        <p className="m-0 text-xs text-indigo-700 dark:text-indigo-300">
          {status.tasksUnanswered === 1 ? t('popupTasksUnansweredOne') : t('popupTasksUnanswered', [status.tasksUnanswered])}
        </p>
      )}

      <button
        type="button"
        onClick={() => void openReview()}
        className="rounded-lg bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none"
      >
        {t('popupOpenReview')}
      </button>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('popupPrivacyNote')}</p>
    </main>
  );
}
