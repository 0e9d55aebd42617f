import { useEffect, useId, useRef, useState } from 'react';
import { siteName, t } from '@/utils/i18n';
import type { TaskContext } from '@/utils/protocol/messages';
import { MAX_THOUGHT_CHARS } from '@/utils/data/records';
import {
  CARD_CLASS,
  FIELD_CLASS,
  QUIET_BUTTON_CLASS,
  SAVE_BUTTON_CLASS,
  useCardChannel,
  useFadeWhenIgnored,
  useHostFocus,
  useReportReady,
} from './frame';
import { CardAlert, ShortcutHint } from './CardParts';
import { useAutosave } from '../autosave';

/**
 * The two optional task questions about a conversation the participant just left. Answers are
 * saved as they are typed (the review page shows and edits the same fields), so closing the tab,
 * skipping or fading loses nothing.
 */
export function TaskCard({ conversationId }: { conversationId: string }) {
  const { send, tellHost } = useCardChannel();
  const [context, setContext] = useState<TaskContext | null>(null);
  const [answers, setAnswers] = useState({ taskSummary: '', taskExpectation: '' });
  const { fading, touch, touched } = useFadeWhenIgnored(context ? context.timeoutSeconds : null);
  const latest = useRef(answers);
  const firstRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  useEffect(() => {
    send('getTaskContext', { conversationId })
      .then((loaded) => {
        setContext(loaded);
        if (!touched.current) {
          const stored = { taskSummary: loaded.taskSummary, taskExpectation: loaded.taskExpectation };
          latest.current = stored;
          setAnswers(stored);
        }
      })
      // The conversation was deleted meanwhile: nothing to ask about.
      .catch(() => tellHost({ type: 'closed', outcome: 'skipped' }));
  }, [conversationId, touched]);

  const autosave = useAutosave((value: typeof answers) => send('updateTask', { conversationId, ...value }));

  useReportReady();
  useHostFocus(() => {
    touch();
    firstRef.current?.focus();
  });

  const change = (field: keyof typeof answers, value: string) => {
    touch();
    latest.current = { ...latest.current, [field]: value };
    setAnswers(latest.current);
    autosave.schedule(latest.current);
  };

  const close = async (outcome: 'saved' | 'skipped') => {
    try {
      await autosave.flush();
      tellHost({ type: 'closed', outcome });
    } catch {
      // The answers stay in the card, with the error shown, until they can be saved.
    }
  };

  const dontAskAgain = async () => {
    await send('updateSettings', { askTask: false }).catch(() => undefined);
    await close('skipped');
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void close('saved');
    } else if (event.key === 'Escape') {
      event.preventDefault();
      void close('skipped');
    }
  };

  const site = context ? siteName(context.site) : '';
  const fields = [
    ['taskSummary', t('reviewTaskSummary'), firstRef],
    ['taskExpectation', t('reviewTaskExpectation'), undefined],
  ] as const;

  return (
    <div
      role="dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-intro`}
      onKeyDown={onKeyDown}
      onPointerDown={touch}
      onFocus={touch}
      className={`${CARD_CLASS} flex flex-col gap-2 p-3 ${fading ? 'opacity-0' : 'opacity-100'}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={`${ids}-title`} className="m-0 text-[11px] font-medium tracking-wide text-indigo-600 uppercase dark:text-indigo-300">
          {t('taskEyebrow')}
        </h2>
        <span className="shrink-0 text-[11px] text-zinc-500 dark:text-zinc-400">{t('extName')}</span>
      </div>
      <p id={`${ids}-intro`} className="m-0 line-clamp-3 text-xs text-zinc-500 dark:text-zinc-400">
        {context ? (context.title ? t('taskIntro', [context.title, site]) : t('taskIntroUntitled', [site])) : ''}
      </p>
      {fields.map(([field, label, ref]) => (
        <label key={field} className="flex flex-col gap-1 text-sm font-medium">
          {label}
          <textarea
            ref={ref}
            value={answers[field]}
            rows={2}
            maxLength={MAX_THOUGHT_CHARS}
            onChange={(event) => change(field, event.target.value)}
            className={`${FIELD_CLASS} font-normal`}
          />
        </label>
      ))}
      <CardAlert message={autosave.failed ? t('taskSaveFailed') : ''} />
      <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
        <ShortcutHint />
        <div className="flex shrink-0 gap-1 whitespace-nowrap">
          <button type="button" onClick={() => void close('skipped')} className={QUIET_BUTTON_CLASS}>
            {t('cardSkip')}
          </button>
          <button type="button" onClick={() => void close('saved')} className={SAVE_BUTTON_CLASS}>
            {t('save')}
          </button>
        </div>
      </div>
      <button
        type="button"
        onClick={() => void dontAskAgain()}
        className="self-start rounded-md px-1 text-[11px] text-zinc-500 underline hover:text-zinc-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-400 dark:hover:text-zinc-200"
      >
        {t('taskDontAsk')}
      </button>
    </div>
  );
}
