import type { VirtualElement } from '@floating-ui/dom';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { SaveStatus, useAutosave, useConfirmLeavingUnsaved } from '../autosave';
import { useSettings } from '../live';
import { kindName } from './kind-names';
import { MessageView } from './MessageView';
import { Preview } from './Preview';
import { RedactionContext, type RedactionView } from './RedactableText';
import { RedactionDetails, SelectionToolbar, SuggestionDetails } from './RedactionPopover';
import {
  acceptRequest,
  openSuggestions,
  placeholderLabels,
  suggestionsByKind,
  targetRequest,
  textsInExportOrder,
  type Suggestion,
  type TargetKey,
} from './redaction-model';
import { spanOfSelection } from './selection';
import type { Mark } from './source-map';
import { SuggestionsPanel } from './SuggestionsPanel';
import { danger, formatDate, primary, quiet } from './ui';
import { useSuggestions } from './use-suggestions';
import { db } from '@/utils/data/db';
import { branchOf } from '@/utils/data/conversation-tree';
import { MAX_THOUGHT_CHARS, type ConversationRecord, type DraftRecord, type MessageRecord, type ThoughtRecord } from '@/utils/data/records';
import { siteName, t, type StaticMessageKey } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';
import type { Span, SpanKind } from '@/utils/redaction/types';

type Popover =
  | { type: 'redaction'; target: TargetKey; span: Span; anchor: HTMLElement }
  | { type: 'suggestion'; suggestion: Suggestion; anchor: HTMLElement };

type Selected =
  | { target: TargetKey; start: number; end: number; value: string; anchor: VirtualElement }
  | { error: string; anchor: VirtualElement };

const REVIEW_STATES: Record<NonNullable<ConversationRecord['review']> | 'new', StaticMessageKey> = {
  new: 'viewStateNew',
  reviewed: 'viewStateReviewed',
  uploaded: 'viewStateUploaded',
  changed: 'viewStateChanged',
};

/** Alt+R redacts the selection (Option+R on macOS: the key, not the character it types). */
const isRedactShortcut = (event: KeyboardEvent) => event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyR';

export function ConversationView({ conversation, onDeleted }: { conversation: ConversationRecord; onDeleted: () => void }) {
  const data = useLiveQuery(async () => {
    const [messages, thoughts] = await Promise.all([
      db().messages.where('conversationId').equals(conversation.id).sortBy('order'),
      db().thoughts.where('conversationId').equals(conversation.id).toArray(),
    ]);
    const drafts = await db().drafts.where('messageId').anyOf(messages.map((m) => m.id)).toArray();
    return { messages, thoughts, drafts };
  }, [conversation.id]);
  const settings = useSettings();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState('');

  // Every text of the conversation in export order, its placeholders numbered as the export numbers them.
  const texts = useMemo(() => (data ? textsInExportOrder(conversation, data.messages, data.thoughts) : undefined), [conversation, data]);
  const textContents = useMemo(() => texts?.map((text) => text.content), [texts]);
  const suggestionsState = useSuggestions(textContents, settings?.alwaysRedact);
  const labels = useMemo(() => placeholderLabels(texts ?? []), [texts]);
  const byTarget = useMemo(() => new Map((texts ?? []).map((text) => [text.target, text])), [texts]);
  const suggestions = useMemo(
    () => openSuggestions(texts ?? [], suggestionsState.found, conversation.rejectedSuggestions),
    [texts, suggestionsState.found, conversation.rejectedSuggestions],
  );

  const run = useCallback((action: Promise<unknown>) => {
    setProblem('');
    return action.then(
      () => true,
      (error: Error) => {
        setProblem(t('viewActionFailed', [error.message]));
        return false;
      },
    );
  }, []);
  const accept = (chosen: readonly Suggestion[]) => run(sendMessage('redact', { conversationId: conversation.id, redactions: acceptRequest(chosen) }));
  const reject = (chosen: readonly Suggestion[]) =>
    run(sendMessage('rejectSuggestions', { conversationId: conversation.id, suggestions: chosen.map(({ kind, value }) => ({ kind, value })), rejected: true }));

  const [popover, setPopover] = useState<Popover | null>(null);
  const closePopover = useCallback(() => setPopover(null), []);
  const marksByTarget = useMemo(() => {
    const marks = new Map<TargetKey, Mark[]>();
    for (const text of texts ?? []) {
      const own = labels.get(text.target) ?? [];
      marks.set(
        text.target,
        text.redactions.map((span, index) => ({ type: 'redaction' as const, id: `r${index}`, start: span.start, end: span.end, label: own[index] ?? '' })),
      );
    }
    for (const s of suggestions) marks.get(s.target)?.push({ type: 'suggestion', id: s.id, start: s.start, end: s.end, label: kindName(s.kind, 1) });
    for (const list of marks.values()) list.sort((a, b) => a.start - b.start);
    return marks;
  }, [texts, labels, suggestions]);
  const view = useMemo<RedactionView>(
    () => ({
      marksFor: (target) => marksByTarget.get(target) ?? [],
      describe: (mark, text) => (mark.type === 'redaction' ? t('redactPlaceholderName', [text]) : t('redactSuggestionName', [text, mark.label])),
      activate: (target, mark, anchor) => {
        if (mark.type === 'redaction') {
          const span = byTarget.get(target)?.redactions[Number(mark.id.slice(1))];
          if (span) setPopover({ type: 'redaction', target, span, anchor });
        } else {
          const suggestion = suggestions.find((s) => s.id === mark.id);
          if (suggestion) setPopover({ type: 'suggestion', suggestion, anchor });
        }
      },
    }),
    [marksByTarget, byTarget, suggestions],
  );

  // Redaction by selection: a toolbar beside any selection within one message or thought.
  const [selected, setSelected] = useState<Selected | null>(null);
  const [lastKind, setLastKind] = useState<SpanKind>('name');
  const [kindChoice, setKindChoice] = useState<SpanKind | null>(null);
  const toolbar = useRef<HTMLDivElement | null>(null);
  const byTargetRef = useRef(byTarget);
  byTargetRef.current = byTarget;
  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // Choosing a kind in the toolbar keeps the selection it is for.
        if (toolbar.current?.contains(document.activeElement)) return;
        const selection = document.getSelection();
        const span = spanOfSelection(selection, (target) => byTargetRef.current.get(target as TargetKey)?.content);
        if (!span || !selection?.rangeCount) return setSelected(null);
        const range = selection.getRangeAt(0).cloneRange();
        const anchor: VirtualElement = { getBoundingClientRect: () => range.getBoundingClientRect(), contextElement: range.startContainer.parentElement ?? undefined };
        setKindChoice(null);
        if ('error' in span) return setSelected({ error: t(span.error === 'several' ? 'redactSelectOneText' : 'redactSelectPlain'), anchor });
        const content = byTargetRef.current.get(span.target as TargetKey)!.content;
        setSelected({ target: span.target as TargetKey, start: span.start, end: span.end, value: content.slice(span.start, span.end), anchor });
      });
    };
    document.addEventListener('selectionchange', update);
    return () => {
      document.removeEventListener('selectionchange', update);
      cancelAnimationFrame(frame);
    };
  }, []);

  // The kind a selection is redacted as: the participant's choice, else what a detector found there, else the last one used.
  const guessedKind = useMemo(() => {
    if (!selected || 'error' in selected) return lastKind;
    const content = byTarget.get(selected.target)?.content ?? '';
    const found = suggestionsState.found.get(content)?.find((span) => span.start < selected.end && span.end > selected.start);
    return found?.kind ?? lastKind;
  }, [selected, byTarget, suggestionsState.found, lastKind]);
  const selectedKind = kindChoice ?? guessedKind;

  const redactSelection = useCallback(async () => {
    if (!selected || 'error' in selected) return;
    const { target, start, end, value } = selected;
    const done = await run(
      sendMessage('redact', { conversationId: conversation.id, redactions: [{ target: targetRequest(target), start, end, kind: selectedKind, value }] }),
    );
    if (!done) return;
    setLastKind(selectedKind);
    document.getSelection()?.removeAllRanges();
    setSelected(null);
  }, [selected, selectedKind, conversation.id, run]);
  const redactRef = useRef(redactSelection);
  redactRef.current = redactSelection;
  const hasSelection = selected !== null && !('error' in selected);
  useEffect(() => {
    if (!hasSelection) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isRedactShortcut(event)) return;
      event.preventDefault();
      void redactRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hasSelection]);

  const state = conversation.review ?? 'new';
  const excluded = conversation.excluded === true;
  const sameKind = (kind: SpanKind) => suggestionsByKind(suggestions).find((group) => group.kind === kind)?.values.length ?? 0;

  return (
    <main className="h-[calc(100vh-57px)] overflow-y-auto px-8 py-6">
      <RedactionContext value={view}>
        <div className="mx-auto flex max-w-3xl flex-col gap-4">
          <header className="flex flex-wrap items-start gap-3">
            <div className="mr-auto">
              <h2 className="m-0 text-lg font-semibold">{conversation.title || t('reviewUntitled')}</h2>
              <p className="m-0 text-sm text-zinc-500 dark:text-zinc-400">
                {conversation.modelName
                  ? t('reviewMetaModel', [siteName(conversation.site), conversation.modelName, formatDate(conversation.createdAt)])
                  : t('reviewMeta', [siteName(conversation.site), formatDate(conversation.createdAt)])}
              </p>
            </div>
            <button
              type="button"
              className={quiet}
              aria-pressed={conversation.quiet === true}
              onClick={() => void sendMessage('setConversationQuiet', { conversationId: conversation.id, quiet: !conversation.quiet })}
            >
              {t(conversation.quiet ? 'reviewAskAgain' : 'reviewStopAsking')}
            </button>
            {confirming ? (
              <div className="flex items-center gap-2 text-sm">
                <span>{t('reviewDeleteConfirm')}</span>
                <button type="button" className={danger} onClick={() => void sendMessage('deleteConversation', { id: conversation.id }).then(onDeleted)}>
                  {t('reviewDeleteForGood')}
                </button>
                <button type="button" className={quiet} onClick={() => setConfirming(false)}>
                  {t('reviewKeep')}
                </button>
              </div>
            ) : (
              <button type="button" className={danger} onClick={() => setConfirming(true)}>
                {t('reviewDeleteConversation')}
              </button>
            )}
          </header>

          <section
            aria-label={t('viewReviewSection')}
            className="flex flex-wrap items-center gap-3 rounded-xl border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            <span className="mr-auto flex items-center gap-2">
              <span className="text-zinc-600 dark:text-zinc-300">{t('viewStateLabel')}</span>
              <span data-state={state} className={`rounded-full px-2 py-0.5 text-xs font-medium ${state === 'reviewed' || state === 'uploaded' ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' : state === 'changed' ? 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200' : 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200'}`}>
                {t(REVIEW_STATES[state])}
              </span>
            </span>
            {state !== 'reviewed' && state !== 'uploaded' && suggestionsState.status === 'ready' && suggestions.length > 0 && (
              <span className="text-xs text-amber-800 dark:text-amber-200">{t('viewSuggestionsOpen', [suggestions.length])}</span>
            )}
            {state === 'reviewed' ? (
              <button type="button" className={quiet} onClick={() => void run(sendMessage('setReviewState', { conversationId: conversation.id, state: 'new' }))}>
                {t('viewBackToNotReviewed')}
              </button>
            ) : state !== 'uploaded' ? (
              <button type="button" className={primary} disabled={excluded} onClick={() => void run(sendMessage('setReviewState', { conversationId: conversation.id, state: 'reviewed' }))}>
                {t('viewApprove')}
              </button>
            ) : null}
            <button
              type="button"
              className={quiet}
              aria-pressed={excluded}
              onClick={() => void run(sendMessage('setExcluded', { conversationId: conversation.id, excluded: !excluded }))}
            >
              {t('viewKeepLocal')}
            </button>
            {excluded && <p className="m-0 w-full text-zinc-600 dark:text-zinc-300">{t('viewKeptLocal')}</p>}
          </section>

          {problem && (
            <p role="alert" className="m-0 text-sm text-red-600">
              {problem}
            </p>
          )}

          <TaskQuestions conversation={conversation} />
          <SuggestionsPanel
            state={suggestionsState.status}
            suggestions={suggestions}
            rejected={conversation.rejectedSuggestions?.length ?? 0}
            onRedact={(chosen) => void accept(chosen)}
            onReject={(chosen) => void reject(chosen)}
            onRestore={() =>
              void run(sendMessage('rejectSuggestions', { conversationId: conversation.id, suggestions: conversation.rejectedSuggestions ?? [], rejected: false }))
            }
          />
          <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('redactHowTo')}</p>
          {data && <Messages conversation={conversation} messages={data.messages} thoughts={data.thoughts} drafts={data.drafts} />}
          {data && <Preview conversation={conversation} messages={data.messages} thoughts={data.thoughts} />}
        </div>

        {selected && !popover && (
          <SelectionToolbar
            ref={toolbar}
            anchor={selected.anchor}
            kind={selectedKind}
            onKind={setKindChoice}
            onRedact={() => void redactSelection()}
            onClose={() => setSelected(null)}
            error={'error' in selected ? selected.error : undefined}
          />
        )}
        {popover?.type === 'redaction' && (
          <RedactionDetails
            anchor={popover.anchor}
            kind={popover.span.kind}
            original={byTarget.get(popover.target)?.content.slice(popover.span.start, popover.span.end) ?? ''}
            onClose={closePopover}
            onUndo={() => {
              closePopover();
              void run(sendMessage('unredact', { target: targetRequest(popover.target), start: popover.span.start, end: popover.span.end }));
            }}
          />
        )}
        {popover?.type === 'suggestion' && (
          <SuggestionDetails
            anchor={popover.anchor}
            kind={popover.suggestion.kind}
            value={popover.suggestion.value}
            sameKind={sameKind(popover.suggestion.kind)}
            onClose={closePopover}
            onRedact={() => {
              closePopover();
              void accept([popover.suggestion]);
            }}
            onReject={() => {
              closePopover();
              void reject([popover.suggestion]);
            }}
            onRedactAll={() => {
              closePopover();
              void accept(suggestions.filter((s) => s.kind === popover.suggestion.kind));
            }}
          />
        )}
      </RedactionContext>
    </main>
  );
}

/** The branch the participant ended on, each turn with its other versions folded under it. */
function Messages({ conversation, messages, thoughts, drafts }: { conversation: ConversationRecord; messages: MessageRecord[]; thoughts: ThoughtRecord[]; drafts: DraftRecord[] }) {
  const view = (m: MessageRecord) => (
    <MessageView key={m.id} message={m} thoughts={thoughts.filter((thought) => thought.messageId === m.id)} draft={drafts.find((d) => d.messageId === m.id)} />
  );
  return branchOf(conversation, messages).map((message) => {
    const others = messages.filter((m) => m.id !== message.id && m.parentId === message.parentId && m.role === message.role);
    return (
      <div key={message.id} className="flex flex-col gap-2">
        {view(message)}
        {others.length > 0 && (
          <details className="ml-6 rounded-xl border border-dashed border-zinc-300 p-3 text-sm dark:border-zinc-700">
            <summary className="cursor-pointer text-zinc-600 dark:text-zinc-300">
              {message.role === 'user'
                ? others.length === 1 ? t('reviewOtherVersionPrompt') : t('reviewOtherVersionsPrompt', [others.length])
                : others.length === 1 ? t('reviewOtherVersionReply') : t('reviewOtherVersionsReply', [others.length])}
            </summary>
            <div className="mt-2 flex flex-col gap-2">{others.map(view)}</div>
          </details>
        )}
      </div>
    );
  });
}

/** The two task questions, saved as they are typed, like everything else a participant writes. */
function TaskQuestions({ conversation }: { conversation: ConversationRecord }) {
  const [answers, setAnswers] = useState({ taskSummary: conversation.taskSummary, taskExpectation: conversation.taskExpectation });
  const autosave = useAutosave((value: typeof answers) =>
    sendMessage('updateTask', { conversationId: conversation.id, ...value }),
  );
  useConfirmLeavingUnsaved(autosave.pending);
  const summaryId = useId();
  const expectationId = useId();
  const change = (field: keyof typeof answers, value: string) => {
    const next = { ...answers, [field]: value };
    setAnswers(next);
    autosave.schedule(next);
  };
  return (
    <details className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="cursor-pointer text-sm font-medium">{t('reviewAboutConversation')}</summary>
      <div className="mt-3 flex flex-col gap-2 text-sm">
        <label htmlFor={summaryId}>{t('reviewTaskSummary')}</label>
        <textarea id={summaryId} value={answers.taskSummary} maxLength={MAX_THOUGHT_CHARS} onChange={(e) => change('taskSummary', e.target.value)} rows={2} className="rounded-lg border border-zinc-300 bg-transparent p-2 dark:border-zinc-700" />
        <label htmlFor={expectationId}>{t('reviewTaskExpectation')}</label>
        <textarea id={expectationId} value={answers.taskExpectation} maxLength={MAX_THOUGHT_CHARS} onChange={(e) => change('taskExpectation', e.target.value)} rows={2} className="rounded-lg border border-zinc-300 bg-transparent p-2 dark:border-zinc-700" />
        <SaveStatus autosave={autosave} failedMessage={t('taskSaveFailed')} />
      </div>
    </details>
  );
}

