import { useEffect, useRef } from 'react';
import { t } from '@/utils/i18n';
import { CARD_CLASS, useCardChannel, useHostFocus, useReportReady } from './frame';

/** A strip that is still waiting after this long (a reply that never ended) goes by itself. */
const WAITING_MAX_MS = 15 * 60_000;

/**
 * The turn's card between its two questions: the reason was answered (or let go) and the reply is
 * still being written. It turns into the reaction question when the reply ends, so a turn
 * interrupts once. Closing it declines this reply's question. The page can tell that the turn's
 * card waits (its kind shows in its frame's size), never how the reason went.
 */
export function TurnWaiting() {
  const { tellHost } = useCardChannel();
  const closeRef = useRef<HTMLButtonElement>(null);
  useReportReady();
  useHostFocus(() => closeRef.current?.focus());
  useEffect(() => {
    const timer = setTimeout(() => tellHost({ type: 'closed', outcome: 'faded' }), WAITING_MAX_MS);
    return () => clearTimeout(timer);
  }, [tellHost]);
  const dismiss = () => tellHost({ type: 'closed', outcome: 'dismissed' });

  return (
    <section aria-label={t('cardFrameTitleWaiting')} className={`${CARD_CLASS} flex items-center gap-2 px-3 py-2`}>
      <span aria-hidden="true" className="size-2 shrink-0 animate-pulse rounded-full bg-indigo-500" />
      <p className="m-0 flex-1 text-xs text-zinc-600 dark:text-zinc-300">
        {t('waitingForReply')}
      </p>
      <button
        ref={closeRef}
        type="button"
        aria-label={t('waitingDismiss')}
        title={t('waitingDismiss')}
        onClick={dismiss}
        onKeyDown={(event) => {
          if (event.key === 'Escape') dismiss();
        }}
        className="shrink-0 rounded-md px-1.5 text-base leading-none text-zinc-500 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-400 dark:hover:bg-zinc-800"
      >
        ×
      </button>
    </section>
  );
}
