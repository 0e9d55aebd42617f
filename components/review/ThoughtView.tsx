import { useRef, useState } from 'react';
import { SaveStatus, useAutosave, useConfirmLeavingUnsaved } from '../autosave';
import { LABEL_NAMES } from '../labels';
import { RedactableText } from './RedactableText';
import { thoughtTarget } from './redaction-model';
import { danger, primary, quiet } from './ui';
import { MAX_THOUGHT_CHARS, type ThoughtRecord } from '@/utils/data/records';
import { t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';

// A thought on the review page: shown with its redactions, edited as it is typed, deleted.

export function ThoughtView({ thought }: { thought: ThoughtRecord }) {
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
      <RedactableText target={thoughtTarget(thought.id)} content={thought.content} markdown={false} />
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
export function ThoughtEditor({
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
