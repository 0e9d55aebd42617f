import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { RedactableText } from './RedactableText';
import { messageTarget } from './redaction-model';
import { ThoughtEditor, ThoughtView } from './ThoughtView';
import { danger, formatDate, quiet } from './ui';
import { kindForRole, type DraftRecord, type MessageRecord, type ThoughtRecord } from '@/utils/data/records';
import { t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';

// One message on the review page: its text (formatted, or as the plain Markdown it is stored
// as), its thoughts, and what the participant can do with it (leave it out of upload, delete it).

/** A long message shows its first screenful until the participant asks for the rest. */
function Collapsible({ children }: { children: ReactNode }) {
  const inner = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const element = inner.current;
    if (!element || open) return;
    const check = () => setOverflows(element.scrollHeight > element.clientHeight + 1);
    const observer = new ResizeObserver(check);
    observer.observe(element);
    check();
    return () => observer.disconnect();
  }, [open]);
  return (
    <>
      <div ref={inner} className={open ? '' : 'max-h-96 overflow-hidden'} style={!open && overflows ? { maskImage: 'linear-gradient(to bottom, black 80%, transparent)' } : undefined}>
        {children}
      </div>
      {(overflows || open) && (
        <button type="button" className={`${quiet} self-start`} aria-expanded={open} onClick={() => setOpen(!open)}>
          {t(open ? 'viewShowLess' : 'viewShowMore')}
        </button>
      )}
    </>
  );
}

export function MessageView({ message, thoughts, draft }: { message: MessageRecord; thoughts: ThoughtRecord[]; draft?: DraftRecord }) {
  const kind = kindForRole(message.role);
  const [adding, setAdding] = useState(false);
  const [plain, setPlain] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [problem, setProblem] = useState('');
  const hasDraft = Boolean(draft?.content.trim());
  const draftLabel = draft?.label ?? '';
  const run = (action: Promise<unknown>) => {
    setProblem('');
    action.catch((error: Error) => setProblem(t('viewActionFailed', [error.message])));
  };
  const excluded = message.excluded === true;
  return (
    <article
      aria-label={t(message.role === 'user' ? 'reviewYourPrompt' : 'reviewReply')}
      className={`flex flex-col gap-2 rounded-xl border p-4 ${excluded ? 'border-dashed opacity-70' : ''} ${message.role === 'user' ? 'border-indigo-200 bg-indigo-50/60 dark:border-indigo-900 dark:bg-indigo-950/40' : 'border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900'}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <p className="m-0 mr-auto text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">
          {message.source === 'history'
            ? t(message.role === 'user' ? 'reviewUserHistory' : 'reviewAssistantHistory')
            : t(message.role === 'user' ? 'reviewUserAt' : 'reviewAssistantAt', [formatDate(message.timestamp)])}
        </p>
        {excluded && (
          <span className="rounded-full bg-zinc-200 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">{t('viewMessageLeftOut')}</span>
        )}
        <button type="button" className={`${quiet} text-xs`} aria-pressed={plain} onClick={() => setPlain(!plain)}>
          {t('viewShowPlain')}
        </button>
        <button
          type="button"
          className={`${quiet} text-xs`}
          aria-pressed={excluded}
          onClick={() => run(sendMessage('setExcluded', { conversationId: message.conversationId, messageId: message.id, excluded: !excluded }))}
        >
          {t('viewLeaveOutMessage')}
        </button>
        <button type="button" className={`${danger} text-xs`} onClick={() => setConfirmingDelete(true)}>
          {t('viewDeleteMessage')}
        </button>
      </div>
      {confirmingDelete && (
        <div className="flex flex-wrap items-center gap-2 rounded-lg border border-red-200 p-2 text-sm dark:border-red-900">
          <span className="mr-auto">{t('viewDeleteMessageConfirm')}</span>
          <button type="button" className={danger} onClick={() => run(sendMessage('deleteMessage', { id: message.id }))}>
            {t('viewDeleteMessageForGood')}
          </button>
          <button type="button" className={quiet} onClick={() => setConfirmingDelete(false)}>
            {t('reviewKeep')}
          </button>
        </div>
      )}
      {problem && <p role="alert" className="m-0 text-sm text-red-600">{problem}</p>}
      <Collapsible>
        <RedactableText target={messageTarget(message.id)} content={message.content} markdown={!plain} className={plain ? 'font-mono text-xs' : ''} />
      </Collapsible>
      <ul className="m-0 flex list-none flex-col gap-2 p-0" aria-label={t(kind === 'reason' ? 'reviewReasons' : 'reviewReactions')}>
        {thoughts.map((thought) => (
          <ThoughtView key={thought.id} thought={thought} />
        ))}
      </ul>
      {adding ? (
        // A new thought is the message's draft until it is saved: typed words survive a closed tab.
        <ThoughtEditor
          label={t(kind === 'reason' ? 'reviewNewReason' : 'reviewNewReaction')}
          initial={draft?.content ?? ''}
          cancelLabel={t('reviewDiscard')}
          persist={(content) =>
            content.trim()
              ? sendMessage('saveDraft', { messageId: message.id, kind, content, label: draftLabel })
              : sendMessage('discardDraft', { messageId: message.id, kind })
          }
          onSave={async (content) => {
            await sendMessage('addThought', { messageId: message.id, kind, content, label: draftLabel });
            setAdding(false);
          }}
          onCancel={async () => {
            await sendMessage('discardDraft', { messageId: message.id, kind });
            setAdding(false);
          }}
        />
      ) : hasDraft ? (
        <div className="rounded-lg border border-dashed border-amber-400 p-2 text-sm">
          <p className="m-0 text-xs font-medium text-amber-700 dark:text-amber-300">{t('reviewUnsavedDraft')}</p>
          <p className="m-0 whitespace-pre-wrap">{draft!.content}</p>
          <div className="mt-1 flex gap-2">
            <button type="button" className={quiet} onClick={() => void sendMessage('addThought', { messageId: message.id, kind, content: draft!.content.trim(), label: draftLabel })}>
              {t(kind === 'reason' ? 'reviewSaveDraftAsReason' : 'reviewSaveDraftAsReaction')}
            </button>
            <button type="button" className={quiet} onClick={() => setAdding(true)}>
              {t('reviewEditDraft')}
            </button>
            <button type="button" className={danger} onClick={() => void sendMessage('discardDraft', { messageId: message.id, kind })}>
              {t('reviewDiscardDraft')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className={`${quiet} self-start`} onClick={() => setAdding(true)}>
          {t(kind === 'reason' ? 'reviewAddReason' : 'reviewAddReaction')}
        </button>
      )}
    </article>
  );
}
