import { useEffect, useMemo, useRef, useState } from 'react';
import { CardChannelContext } from '../card/frame';
import { ThoughtCard } from '../card/ThoughtCard';
import { TurnWaiting } from '../card/TurnWaiting';
import { LABEL_NAMES } from '../labels';
import { CARD_HEIGHTS, type CloseOutcome } from '@/utils/protocol/card';
import { t } from '@/utils/i18n';
import { DEMO_PROMPT, DEMO_REPLY, demoChannel, type DemoRecord } from './demo';

/** The card showing in the demo turn, as on a chat page: the reason, the slim strip while the reply is written, the reaction. */
type DemoCard = 'reason' | 'waiting' | 'reaction' | null;

/** Words of the demo reply added per tick: about six seconds of "writing", like a short real reply. */
const WORDS_PER_TICK = 2;
const TICK_MS = 140;

const STEPS = { reason: 'welcomeDemoStepReason', waiting: 'welcomeDemoStepWaiting', reaction: 'welcomeDemoStepReaction' } as const;

const panel = 'rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900';
const button =
  'rounded-lg px-4 py-2 text-sm font-medium focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';

/**
 * A one-minute walkthrough on a pretend chat inside the welcome page: the participant sends a
 * prompt, the real thought card asks why, the demo reply is written, and the card asks what they
 * think. The cards are the ones chat pages show, given a channel that keeps everything here
 * (demo.ts), so the demo stores nothing.
 */
export function Walkthrough() {
  const [run, setRun] = useState(0);
  // A new run starts from a clean slate: new state, new channel, new cards.
  return <DemoTurn key={run} onAgain={() => setRun((n) => n + 1)} />;
}

function DemoTurn({ onAgain }: { onAgain: () => void }) {
  const [prompt, setPrompt] = useState(() => t('welcomeDemoPrompt'));
  const [sent, setSent] = useState<string | null>(null);
  const [shownWords, setShownWords] = useState(0);
  const [card, setCard] = useState<DemoCard>(null);
  const record = useRef<DemoRecord>({ thoughts: [], askedLess: null }).current;

  const replyWords = useMemo(
    () => (sent === null ? [] : (sent.trim() === t('welcomeDemoPrompt') ? t('welcomeDemoReply') : t('welcomeDemoReplyOther')).split(/(?<=\s)/)),
    [sent],
  );
  const replyDone = sent !== null && shownWords >= replyWords.length;
  const finished = sent !== null && replyDone && card === null;

  // The reply is written while the reason card is open, as on a real site.
  useEffect(() => {
    if (sent === null || replyDone) return;
    const timer = setTimeout(() => setShownWords((n) => n + WORDS_PER_TICK), TICK_MS);
    return () => clearTimeout(timer);
  }, [sent, replyDone, shownWords]);

  // The strip turns into the reaction question when the reply ends.
  useEffect(() => {
    if (replyDone && card === 'waiting') setCard('reaction');
  }, [replyDone, card]);

  // How a card closed decides what follows, as the content script decides on a chat page. The
  // channel lives as long as the turn; it reads the turn's latest state through this ref.
  const latest = useRef({ sent, reply: '', replyDone });
  latest.current = { sent, reply: replyWords.join(''), replyDone };
  const [channel] = useState(() =>
    demoChannel(
      record,
      (messageId) => (messageId === DEMO_PROMPT ? (latest.current.sent ?? '') : latest.current.reply),
      (outcome: CloseOutcome) =>
        setCard((current) => {
          if (current !== 'reason' || outcome === 'dismissed') return null;
          return latest.current.replyDone ? 'reaction' : 'waiting';
        }),
    ),
  );

  const send = () => {
    const text = prompt.trim();
    if (!text || sent !== null) return;
    setSent(text);
    setPrompt('');
    setCard('reason');
  };

  const step = sent === null ? 'welcomeDemoStepSend' : card && STEPS[card];

  return (
    <div className="flex flex-col gap-3">
      <p aria-live="polite" className="m-0 text-sm text-zinc-700 dark:text-zinc-300">
        {step && t(step)}
      </p>
      <div role="region" aria-label={t('welcomeDemoChatLabel')} className={`${panel} flex flex-col overflow-hidden bg-zinc-50 dark:bg-zinc-950`}>
        <div className="border-b border-zinc-200 px-4 py-2 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">{t('welcomeDemoChatLabel')}</div>
        <ol aria-label={t('welcomeDemoMessages')} className="m-0 flex min-h-24 list-none flex-col gap-3 p-4">
          {sent !== null && (
            <li className="max-w-[85%] self-end rounded-2xl bg-indigo-100 px-3 py-2 text-sm text-zinc-900 dark:bg-indigo-950 dark:text-zinc-100">
              <span className="sr-only">{t('welcomeDemoYou')}: </span>
              {sent}
            </li>
          )}
          {sent !== null && shownWords > 0 && (
            <li aria-busy={!replyDone} className="max-w-[85%] self-start text-sm whitespace-pre-line text-zinc-800 dark:text-zinc-200">
              <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">{t('welcomeDemoAssistant')}</span>
              {replyWords.slice(0, shownWords).join('')}
            </li>
          )}
        </ol>
        {card && (
          // Where a chat page places the card: beside the chat box, in a box of the card's own height.
          <div className="flex justify-end px-4 pb-2">
            <div className="w-full max-w-[380px]" style={{ height: CARD_HEIGHTS[card] }}>
              <CardChannelContext value={channel}>
                {card === 'waiting' ? <TurnWaiting key="waiting" /> : <ThoughtCard key={card} messageId={card === 'reason' ? DEMO_PROMPT : DEMO_REPLY} kind={card} />}
              </CardChannelContext>
            </div>
          </div>
        )}
        <form
          className="flex items-end gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
        >
          <textarea
            aria-label={t('welcomeDemoComposer')}
            value={prompt}
            rows={2}
            disabled={sent !== null}
            onChange={(event) => setPrompt(event.target.value)}
            onKeyDown={(event) => {
              // Enter sends, Shift+Enter is a new line: as on the chat sites.
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault();
                send();
              }
            }}
            className="flex-1 resize-none rounded-lg border border-zinc-300 bg-white p-2 text-sm text-zinc-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 disabled:opacity-60 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100"
          />
          <button type="submit" disabled={sent !== null || !prompt.trim()} className={`${button} bg-zinc-800 text-white hover:bg-zinc-900 dark:bg-zinc-200 dark:text-zinc-900`}>
            {t('welcomeDemoSend')}
          </button>
        </form>
      </div>
      {finished && <DemoSummary record={record} onAgain={onAgain} />}
    </div>
  );
}

/** The end of the walkthrough: what a real chat would have saved, and that the demo saved nothing. */
function DemoSummary({ record, onAgain }: { record: DemoRecord; onAgain: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The walkthrough's last step takes the reader's attention, as a new step would.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="demo-done" className={`${panel} flex flex-col gap-2 p-4 text-sm`}>
      <h3 id="demo-done" ref={heading} tabIndex={-1} className="m-0 text-sm font-semibold outline-none">
        {t('welcomeDemoDoneHeading')}
      </h3>
      <p className="m-0">{t('welcomeDemoDone')}</p>
      {record.thoughts.length ? (
        <ul className="m-0 flex list-disc flex-col gap-1 pl-5">
          {record.thoughts.map((thought, i) => (
            <li key={i}>
              {t(thought.kind === 'reason' ? 'welcomeDemoSavedReason' : 'welcomeDemoSavedReaction', [thought.content])}
              {thought.label && <span className="text-zinc-500 dark:text-zinc-400"> ({LABEL_NAMES[thought.label]})</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="m-0 text-zinc-600 dark:text-zinc-400">{t('welcomeDemoSavedNothing')}</p>
      )}
      {record.askedLess && <p className="m-0">{t('welcomeDemoAskedLess', [record.askedLess])}</p>}
      <p className="m-0 font-medium">{t('welcomeDemoNothingStored')}</p>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={onAgain} className={`${button} bg-zinc-100 dark:bg-zinc-800`}>
          {t('welcomeDemoAgain')}
        </button>
        <span className="text-zinc-600 dark:text-zinc-400">{t('welcomeDemoNext')}</span>
      </div>
    </section>
  );
}
