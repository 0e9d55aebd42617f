import { useEffect, useRef, useState } from 'react';
import type { CardContext } from '@/utils/protocol/messages';
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
import { browser } from 'wxt/browser';
import { t, type StaticMessageKey } from '@/utils/i18n';
import {
  DEFAULT_SETTINGS,
  MAX_THOUGHT_CHARS,
  REACTION_LABELS,
  REASON_LABELS,
  type ThoughtKind,
  type ThoughtLabel,
} from '@/utils/data/records';
import { LABEL_DESCRIPTIONS, LABEL_NAMES } from '../labels';

const COPY = {
  reason: {
    eyebrow: 'cardReasonEyebrow',
    question: 'cardReasonQuestion',
    field: 'reason',
    placeholder: 'cardReasonPlaceholder',
    written: 'cardReasonsWritten',
    stopAsking: 'cardStopAskingReasons',
  },
  reaction: {
    eyebrow: 'cardReactionEyebrow',
    question: 'cardReactionQuestion',
    field: 'reaction',
    placeholder: 'cardReactionPlaceholder',
    written: 'cardReactionsWritten',
    stopAsking: 'cardStopAskingReactions',
  },
} as const satisfies Record<ThoughtKind, Record<string, StaticMessageKey>>;

/**
 * The reason/reaction prompt. It lives in an extension page inside an iframe, so the chat
 * site's scripts cannot read what is typed; drafts go to the background as the participant types.
 */
export function ThoughtCard({ messageId, kind }: { messageId: number; kind: ThoughtKind }) {
  const copy = COPY[kind];
  const { send, tellHost } = useCardChannel();
  const [context, setContext] = useState<CardContext | null>(null);
  const [text, setText] = useState('');
  const [label, setLabel] = useState<ThoughtLabel | ''>('');
  const [described, setDescribed] = useState<ThoughtLabel | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const { fading, touch, touched } = useFadeWhenIgnored(context ? context.timeoutSeconds : null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    send('getCardContext', { messageId, kind })
      .then((loaded) => {
        setContext(loaded);
        // Words typed while the context loaded are newer than the stored draft.
        if (loaded.draft && !touched.current) {
          setText(loaded.draft.content);
          setLabel(loaded.draft.label);
        }
      })
      .catch(() => {
        setError(t('cardMessageGone'));
        setContext({ excerpt: '', draft: null, timeoutSeconds: DEFAULT_SETTINGS.cardTimeoutSeconds, conversationId: '', thoughts: [] });
      });
  }, [messageId, kind]);

  const labelRef = useRef<ThoughtLabel | ''>('');
  labelRef.current = label;
  // Drafts are saved as they are typed, with the label chosen at the time of saving.
  const draft = useAutosave((content: string) => send('saveDraft', { messageId, kind, content, label: labelRef.current }));

  useReportReady();
  useHostFocus(() => {
    touch();
    fieldRef.current?.focus();
  });

  const onChange = (value: string) => {
    touch();
    setText(value);
    draft.schedule(value);
  };

  const save = async () => {
    const content = text.trim();
    if (!content || saving) return;
    setSaving(true);
    setError('');
    try {
      await draft.cancel();
      await send('addThought', { messageId, kind, content, label });
      tellHost({ type: 'closed', outcome: 'saved' });
    } catch {
      setSaving(false);
      setError(t('cardSaveFailed'));
      await send('saveDraft', { messageId, kind, content: text, label }).catch(() => undefined);
    }
  };

  const chooseLabel = (next: ThoughtLabel) => {
    touch();
    const chosen = label === next ? '' : next;
    setLabel(chosen);
    labelRef.current = chosen;
    if (text) {
      draft.schedule(text);
      void draft.flush().catch(() => undefined);
    }
  };

  /**
   * A fatigue control from the menu: it applies at once and closes the prompt, keeping any draft.
   * Only "stop asking for reasons" leaves this turn's reply to be asked about; the others end the turn's card.
   */
  const quiet = async (action: () => Promise<unknown>, turnGoesOn: boolean) => {
    await action().catch(() => undefined);
    await skip(turnGoesOn ? 'skipped' : 'dismissed');
  };

  async function skip(outcome: 'skipped' | 'dismissed' = 'skipped') {
    if (saving) return;
    // Skipping never throws away words: a non-empty draft stays for the review page.
    if (text.trim()) {
      draft.schedule(text);
      await draft.flush().catch(() => undefined);
    } else {
      await draft.cancel();
      await send('discardDraft', { messageId, kind }).catch(() => undefined);
    }
    tellHost({ type: 'closed', outcome });
  }

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (menuOpen) setMenuOpen(false);
      else void skip();
    }
  };

  const labels = kind === 'reason' ? REASON_LABELS : REACTION_LABELS;

  return (
    <div
      role="dialog"
      aria-labelledby="tt-eyebrow tt-question"
      aria-describedby="tt-excerpt"
      onKeyDown={onKeyDown}
      onPointerDown={touch}
      onFocus={touch}
      className={`${CARD_CLASS} flex flex-col gap-2 p-3 ${fading ? 'opacity-0' : 'opacity-100'}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        <h2 className="m-0 text-sm font-semibold">
          <span id="tt-eyebrow" className="block text-[11px] font-medium tracking-wide text-indigo-600 uppercase dark:text-indigo-300">
            {t(copy.eyebrow)}
          </span>
          <span id="tt-question">{t(copy.question)}</span>
        </h2>
        <span className="shrink-0 text-[11px] text-zinc-500 dark:text-zinc-400">{t('extName')}</span>
      </div>
      {context?.excerpt && (
        <p id="tt-excerpt" className="m-0 line-clamp-2 text-xs text-zinc-500 dark:text-zinc-400">
          {t('cardExcerpt', [context.excerpt])}
        </p>
      )}
      {context && context.thoughts.length > 0 && (
        <ul aria-label={t(copy.written)} className="m-0 flex list-none flex-col gap-1 p-0 text-xs">
          {context.thoughts.map((thought) => (
            <li key={thought.id} className="rounded-md bg-amber-50 px-2 py-1 text-zinc-700 dark:bg-amber-950/50 dark:text-zinc-200">
              {thought.label ? <><span className="font-medium">{t('cardThoughtLabel', [LABEL_NAMES[thought.label]])}</span> </> : null}
              {thought.content}
            </li>
          ))}
        </ul>
      )}
      <textarea
        ref={fieldRef}
        aria-label={t(copy.field)}
        value={text}
        rows={3}
        maxLength={MAX_THOUGHT_CHARS}
        placeholder={t(copy.placeholder)}
        onChange={(event) => onChange(event.target.value)}
        className={FIELD_CLASS}
      />
      <div role="group" aria-label={t('cardCategoryGroup')} className="flex flex-wrap gap-1">
        {labels.map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={label === value}
            aria-describedby="tt-label-help"
            title={LABEL_DESCRIPTIONS[value]}
            onClick={() => chooseLabel(value)}
            onFocus={() => setDescribed(value)}
            onMouseEnter={() => setDescribed(value)}
            onMouseLeave={() => setDescribed(null)}
            className={`rounded-full border px-2 py-0.5 text-[11px] focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none ${label === value ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-600 dark:text-zinc-200 dark:hover:bg-zinc-800'}`}
          >
            {LABEL_NAMES[value]}
          </button>
        ))}
      </div>
      <p id="tt-label-help" className="m-0 min-h-4 text-[11px] text-zinc-500 dark:text-zinc-400">
        {described ? LABEL_DESCRIPTIONS[described] : t('cardCategoryHint')}
      </p>
      <CardAlert message={error} />
      <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
        <ShortcutHint />
        <div className="relative flex shrink-0 gap-1 whitespace-nowrap">
          <button
            type="button"
            aria-expanded={menuOpen}
            aria-controls="tt-menu"
            onClick={() => setMenuOpen((open) => !open)}
            className="rounded-lg px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {t('cardAskLessButton')}
          </button>
          <button
            type="button"
            onClick={() => void skip()}
            disabled={saving}
            className={QUIET_BUTTON_CLASS}
          >
            {t('cardSkip')}
          </button>
          <button
            type="button"
            onClick={() => void save()}
            disabled={!text.trim() || saving}
            className={SAVE_BUTTON_CLASS}
          >
            {t('save')}
          </button>
        </div>
      </div>
      {menuOpen && (
        <div id="tt-menu" role="group" aria-label={t('cardAskLessGroup')} className="flex flex-col gap-1 border-t border-zinc-200 pt-2 dark:border-zinc-700">
          {(
            [
              [t('snoozeForAnHour'), () => send('snooze', { minutes: 60 }), false],
              [t('cardNotInConversation'), () => send('setConversationQuiet', { conversationId: context?.conversationId ?? '', quiet: true }), false],
              // The other kind only: a reason card stops reasons and still asks about this reply.
              [t(copy.stopAsking), () => send('updateSettings', { ask: kind === 'reason' ? 'reactions' : 'reasons' }), kind === 'reason'],
              [t('cardEveryThird'), () => send('updateSettings', { everyNth: 3 }), false],
            ] as const
          ).map(([name, action, turnGoesOn]) => (
            <button
              key={name}
              type="button"
              onClick={() => void quiet(action, turnGoesOn)}
              className="rounded-md px-2 py-1 text-left text-sm text-zinc-700 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-200 dark:hover:bg-zinc-800"
            >
              {name}
            </button>
          ))}
          <a
            href={browser.runtime.getURL('/review.html#settings')}
            target="_blank"
            rel="noreferrer"
            className="rounded-md px-2 py-1 text-sm text-indigo-700 underline focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-indigo-300"
          >
            {t('cardAllSettings')}
          </a>
        </div>
      )}
    </div>
  );
}
