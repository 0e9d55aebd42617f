import { useState } from 'react';
import { browser } from 'wxt/browser';
import { sendMessage } from '@/utils/protocol/messages';
import { siteName, t } from '@/utils/i18n';
import { SITES, type Site } from '@/utils/data/records';
import { Walkthrough } from './Walkthrough';

const button =
  'rounded-lg px-4 py-2 text-sm font-medium focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';

const section = 'flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900';

/**
 * The first-run page, opened on install: what is recorded and where it stays, how to annotate,
 * a walkthrough on a demo conversation, then recording turned on for all three sites or the
 * chosen ones. Until then nothing is captured.
 */
export function Welcome() {
  const [sites, setSites] = useState<Set<Site>>(new Set(SITES));
  const [recordOpened, setRecordOpened] = useState(true);
  const [started, setStarted] = useState<Site[] | null>(null);
  const [error, setError] = useState('');

  const toggle = (site: Site) => {
    const next = new Set(sites);
    if (next.has(site)) next.delete(site);
    else next.add(site);
    setSites(next);
    setError('');
  };

  const start = async () => {
    const chosen = SITES.filter((site) => sites.has(site));
    if (!chosen.length) return setError(t('welcomeNoSite'));
    try {
      await sendMessage('startRecording', { sites: chosen, recordOpened });
      setStarted(chosen);
    } catch {
      setError(t('popupWriteError'));
    }
  };

  const all = sites.size === SITES.length;
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-8 py-10">
      <header className="flex flex-col gap-2">
        <h1 className="m-0 text-2xl font-semibold">{t('welcomeTitle')}</h1>
        <p className="m-0 text-zinc-700 dark:text-zinc-300">{t('welcomeIntro')}</p>
      </header>

      <section aria-labelledby="what-heading" className={section}>
        <h2 id="what-heading" className="m-0 text-base font-semibold">{t('welcomeWhatHeading')}</h2>
        <ul className="m-0 flex list-disc flex-col gap-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>{t('welcomeWhatPrompts')}</li>
          <li>{t('welcomeWhatThoughts')}</li>
          <li>{t('welcomeWhatLocal')}</li>
          <li>{t('welcomeWhatPrivate')}</li>
        </ul>
        <a href={browser.runtime.getURL('/privacy.html')} target="_blank" rel="noreferrer" className="self-start text-sm text-indigo-700 underline dark:text-indigo-300">
          {t('welcomePrivacyLink')}
        </a>
      </section>

      <section aria-labelledby="how-heading" className={section}>
        <h2 id="how-heading" className="m-0 text-base font-semibold">{t('welcomeHowHeading')}</h2>
        <ol className="m-0 flex list-decimal flex-col gap-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>{t('welcomeHowSend')}</li>
          <li>{t('welcomeHowReply')}</li>
          <li>{t('welcomeHowKeys')}</li>
          <li>{t('welcomeHowLater')}</li>
        </ol>
      </section>

      <section aria-labelledby="demo-heading" className={section}>
        <header className="flex flex-col gap-1">
          <h2 id="demo-heading" className="m-0 text-base font-semibold">{t('welcomeDemoHeading')}</h2>
          <p className="m-0 text-sm text-zinc-700 dark:text-zinc-300">{t('welcomeDemoIntro')}</p>
        </header>
        <Walkthrough />
      </section>

      <section aria-labelledby="sites-heading" className={section}>
        <h2 id="sites-heading" className="m-0 text-base font-semibold">{t('welcomeSitesHeading')}</h2>
        {started ? (
          <>
            <p role="status" className="m-0 text-sm">{t('welcomeStarted', [started.map(siteName).join(', ')])}</p>
            <button
              type="button"
              className={`${button} self-start bg-zinc-100 dark:bg-zinc-800`}
              onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/review.html') })}
            >
              {t('welcomeOpenReview')}
            </button>
          </>
        ) : (
          <>
            <div role="group" aria-labelledby="sites-heading" className="flex flex-wrap gap-4">
              {SITES.map((site) => (
                <label key={site} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={sites.has(site)} onChange={() => toggle(site)} />
                  {siteName(site)}
                </label>
              ))}
            </div>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5" checked={recordOpened} onChange={(event) => setRecordOpened(event.target.checked)} />
              <span>{t('welcomeOpenedLabel')}</span>
            </label>
            {error && <p role="alert" className="m-0 text-sm text-red-700 dark:text-red-300">{error}</p>}
            <button type="button" className={`${button} self-start bg-indigo-600 text-white hover:bg-indigo-700`} onClick={() => void start()}>
              {t(all ? 'welcomeStart' : 'welcomeStartChosen')}
            </button>
          </>
        )}
      </section>
    </main>
  );
}
