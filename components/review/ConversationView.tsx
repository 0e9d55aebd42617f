import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useRef, useState } from 'react';
import { SaveStatus, useAutosave, useConfirmLeavingUnsaved } from '../autosave';
import { LABEL_NAMES } from '../labels';
import { danger, formatDate, primary, quiet } from './ui';
import { db } from '@/utils/data/db';
import { branchOf } from '@/utils/data/conversation-tree';
import { kindForRole, MAX_THOUGHT_CHARS, type ConversationRecord, type DraftRecord, type MessageRecord, type ThoughtRecord } from '@/utils/data/records';
import { siteName, t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';

export function ConversationView({ conversation, onDeleted }: { conversation: ConversationRecord; onDeleted: () => void }) {
  const data = useLiveQuery(async () => {
    const [messages, thoughts] = await Promise.all([
      db().messages.where('conversationId').equals(conversation.id).sortBy('order'),
      db().thoughts.where('conversationId').equals(conversation.id).toArray(),
    ]);
    const drafts = await db().drafts.where('messageId').anyOf(messages.map((m) => m.id)).toArray();
    return { messages, thoughts, drafts };
  }, [conversation.id]);
  const [confirming, setConfirming] = useState(false);

  return (
    <main className="h-[calc(100vh-57px)] overflow-y-auto px-8 py-6">
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
        <TaskQuestions conversation={conversation} />
        {data &&
          branchOf(conversation, data.messages).map((message) => {
            const others = data.messages.filter(
              (m) => m.id !== message.id && m.parentId === message.parentId && m.role === message.role,
            );
            const view = (m: MessageRecord) => (
              <MessageView
                key={m.id}
                message={m}
                thoughts={data.thoughts.filter((thought) => thought.messageId === m.id)}
                draft={data.drafts.find((d) => d.messageId === m.id)}
              />
            );
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
          })}
      </div>
    </main>
  );
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

function MessageView({ message, thoughts, draft }: { message: MessageRecord; thoughts: ThoughtRecord[]; draft?: DraftRecord }) {
  const kind = kindForRole(message.role);
  const [adding, setAdding] = useState(false);
  const hasDraft = Boolean(draft?.content.trim());
  const draftLabel = draft?.label ?? '';
  return (
    <article
      aria-label={t(message.role === 'user' ? 'reviewYourPrompt' : 'reviewReply')}
      className={`rounded-xl border p-4 ${message.role === 'user' ? 'border-indigo-200 bg-indigo-50/60 dark:border-indigo-900 dark:bg-indigo-950/40' : 'border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900'}`}
    >
      <p className="m-0 mb-1 text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">
        {message.source === 'history'
          ? t(message.role === 'user' ? 'reviewUserHistory' : 'reviewAssistantHistory')
          : t(message.role === 'user' ? 'reviewUserAt' : 'reviewAssistantAt', [formatDate(message.timestamp)])}
      </p>
      <div className="max-h-96 overflow-y-auto text-sm whitespace-pre-wrap">{message.content}</div>
      <ul className="m-0 mt-3 flex list-none flex-col gap-2 p-0" aria-label={t(kind === 'reason' ? 'reviewReasons' : 'reviewReactions')}>
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
        <div className="mt-2 rounded-lg border border-dashed border-amber-400 p-2 text-sm">
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
        <button type="button" className={`${quiet} mt-2`} onClick={() => setAdding(true)}>
          {t(kind === 'reason' ? 'reviewAddReason' : 'reviewAddReaction')}
        </button>
      )}
    </article>
  );
}

function ThoughtView({ thought }: { thought: ThoughtRecord }) {
  const [editing, setEditing] = useState(false);
  // The words as they were when editing began, and whether an edit has been saved since.
  const original = useRef({ content: thought.content, changed: false });
  const isReason = thought.kind === 'reason';
  if (editing) {
    // Edits are saved to the thought as they are typed; Cancel puts the words back as they were.
    const update = (content: string) => {
      original.current.changed = true;
      return sendMessage('updateThought', { id: thought.id, content, label: thought.label });
    };
    return (
      <li>
        <ThoughtEditor
          label={t(isReason ? 'reviewEditReason' : 'reviewEditReaction')}
          initial={original.current.content}
          cancelLabel={t('reviewCancel')}
          persist={(content) => (content.trim() ? update(content) : Promise.resolve())}
          onSave={async (content) => {
            await update(content);
            setEditing(false);
          }}
          onCancel={async () => {
            if (original.current.changed) await update(original.current.content);
            setEditing(false);
          }}
        />
      </li>
    );
  }
  return (
    <li className="rounded-lg bg-amber-50 p-2 text-sm dark:bg-amber-950/40">
      <p className="m-0 text-xs font-medium text-amber-800 dark:text-amber-200">
        {thought.label
          ? t(isReason ? 'reviewReasonLabel' : 'reviewReactionLabel', [LABEL_NAMES[thought.label]])
          : t(isReason ? 'reason' : 'reaction')}
      </p>
      <p className="m-0 whitespace-pre-wrap">{thought.content}</p>
      <div className="mt-1 flex gap-2">
        <button
          type="button"
          className={quiet}
          aria-label={t(isReason ? 'reviewEditReason' : 'reviewEditReaction')}
          onClick={() => {
            original.current = { content: thought.content, changed: false };
            setEditing(true);
          }}
        >
          {t('reviewEdit')}
        </button>
        <button type="button" className={danger} aria-label={t(isReason ? 'reviewDeleteReason' : 'reviewDeleteReaction')} onClick={() => void sendMessage('deleteThought', { id: thought.id })}>
          {t('reviewDelete')}
        </button>
      </div>
    </li>
  );
}

/**
 * A thought being written on the review page. What is typed is handed to `persist` as it is typed;
 * Save hands the trimmed text to `onSave`, and the other button (Cancel or Discard) to `onCancel`,
 * each after any save under way has landed.
 */
function ThoughtEditor({
  label,
  initial,
  cancelLabel,
  persist,
  onSave,
  onCancel,
}: {
  label: string;
  initial: string;
  cancelLabel: string;
  persist: (content: string) => Promise<unknown>;
  onSave: (content: string) => Promise<void>;
  onCancel: () => Promise<void>;
}) {
  // The editor's first text stays its own even when the stored copy changes under it as it is saved.
  const [text, setText] = useState(initial);
  const [error, setError] = useState('');
  const autosave = useAutosave(persist);
  useConfirmLeavingUnsaved(autosave.pending);
  const finish = (action: () => Promise<void>) => {
    setError('');
    autosave
      .cancel()
      .then(action)
      .catch((e: Error) => {
        setError(t('reviewSaveFailed', [e.message]));
        autosave.schedule(text);
      });
  };
  const save = () => {
    const content = text.trim();
    if (content) finish(() => onSave(content));
  };
  const cancel = () => finish(onCancel);
  return (
    <div className="mt-2 flex flex-col gap-2">
      <textarea
        aria-label={label}
        value={text}
        autoFocus
        rows={3}
        maxLength={MAX_THOUGHT_CHARS}
        onChange={(e) => {
          setText(e.target.value);
          autosave.schedule(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save();
          if (e.key === 'Escape') cancel();
        }}
        className="rounded-lg border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      />
      {error && <p role="alert" className="m-0 text-sm text-red-600">{error}</p>}
      <div className="flex items-center gap-2">
        <button type="button" className={primary} disabled={!text.trim()} onClick={save}>
          {t('save')}
        </button>
        <button type="button" className={quiet} onClick={cancel}>
          {cancelLabel}
        </button>
        <SaveStatus autosave={autosave} />
      </div>
    </div>
  );
}
