import { useId, useState } from 'react';
import { quiet } from './ui';
import type { ConversationRecord, MessageRecord, SurveyAnswers, ThoughtRecord } from '@/utils/data/records';
import { toUploadLine } from '@/utils/data/upload-record';
import { t } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';

/**
 * What a study would receive for this conversation: the upload's own line (toUploadLine),
 * redactions applied, left-out messages gone, shown spread over lines; Copy copies the line.
 */
export function Preview({ conversation, messages, thoughts }: { conversation: ConversationRecord; messages: MessageRecord[]; thoughts: ThoughtRecord[] }) {
  const headingId = useId();
  const [open, setOpen] = useState(false);
  // The profile fills survey_answers, as in the export; read when the preview opens.
  const [profile, setProfile] = useState<SurveyAnswers | null | undefined>(undefined);
  const [copied, setCopied] = useState('');
  const [problem, setProblem] = useState('');
  const toggle = () => {
    setOpen(!open);
    setCopied('');
    setProblem('');
    if (!open) {
      sendMessage('getSettings', undefined).then(
        (view) => setProfile(view.profile),
        (error: Error) => setProblem(t('viewActionFailed', [error.message])),
      );
    }
  };
  const line = open && profile !== undefined && !conversation.excluded ? toUploadLine(conversation, messages, thoughts, profile) : null;
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t('previewCopied'));
    } catch {
      setCopied(t('previewCopyFailed'));
    }
  };
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h3 id={headingId} className="m-0 text-sm font-semibold">
        <button type="button" className={`${quiet} -mx-3 font-semibold`} aria-expanded={open} onClick={toggle}>
          {t('previewHeading')}
        </button>
      </h3>
      {open && conversation.excluded && <p className="m-0">{t('previewExcluded')}</p>}
      {open && problem && <p role="alert" className="m-0 text-red-600">{problem}</p>}
      {line !== null && (
        <>
          <p className="m-0 text-zinc-600 dark:text-zinc-300">{t('previewExplain')}</p>
          <div className="flex items-center gap-2">
            <button type="button" className={quiet} onClick={() => void copy(line)}>
              {t('previewCopy')}
            </button>
            <span role="status" className="text-xs text-zinc-600 dark:text-zinc-300">{copied}</span>
          </div>
          <pre aria-label={t('previewRecord')} tabIndex={0} className="m-0 max-h-[32rem] overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs break-words whitespace-pre-wrap dark:bg-zinc-950">
            {JSON.stringify(JSON.parse(line), null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
