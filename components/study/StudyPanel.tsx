import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { isEnrolled, type Enrolled, type StudyOffer, type StudyState } from '@/utils/data/study';
import { t, type StaticMessageKey } from '@/utils/i18n';
import { sendMessage } from '@/utils/protocol/messages';
import { dataAccess, hostAccess, requestAccess } from '@/utils/study/access';
import { DEFAULT_STUDY_URL, parseStudyAddress, type AddressProblem } from '@/utils/study/address';
import { danger, formatDate, primary, quiet } from '../review/ui';
import { useStudy, type ConversationStatus, type StudyView } from './live';
import { StudyManifest } from './StudyManifest';

// The review page's Study view: join a study (its manifest shown in full, consent asked for
// actively), see what was sent and what waits, agree again when the consent changes, pause,
// withdraw. Every change goes through the background; the browser's permissions are asked for
// right in the participant's click, as browsers require.

const ADDRESS_PROBLEMS: Record<AddressProblem, StaticMessageKey> = {
  invalid: 'studyAddressInvalid',
  insecure: 'studyAddressInsecure',
  credentials: 'studyAddressCredentials',
};

const card = 'flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';

/** Runs a request for a button: busy while it runs, its error shown. */
function useAction(onError: (message: string) => void) {
  const [busy, setBusy] = useState(false);
  const run = (request: Promise<unknown>) => {
    setBusy(true);
    request.then(
      () => onError(''),
      (error: unknown) => onError(error instanceof Error ? error.message : String(error)),
    ).finally(() => setBusy(false));
  };
  return { busy, run };
}

/**
 * Asks the browser (from the click: call before any await), then sends the request if it
 * agreed. `refused` says what could not be done without it.
 */
const withAccess = (asked: Promise<boolean>, refused: string, then: () => Promise<unknown>) =>
  asked.then((granted) => {
    if (!granted) throw new Error(refused);
    return then();
  });

export function StudyPanel() {
  const view = useStudy();
  const [error, setError] = useState('');
  if (!view) return null;
  const { state, offer } = view;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-8 py-6">
      <h2 className="m-0 text-lg font-semibold">{t('studyHeading')}</h2>
      {error && <p role="alert" className="m-0 rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">{error}</p>}
      {state.state === 'withdrawn' && <Withdrawn state={state} view={view} onError={setError} />}
      {isEnrolled(state) ? (
        <Enrolment state={state} view={view} onError={setError} />
      ) : offer ? (
        <Offer offer={offer} onError={setError} />
      ) : (
        <JoinForm onError={setError} />
      )}
    </main>
  );
}

function JoinForm({ onError }: { onError: (message: string) => void }) {
  const [address, setAddress] = useState(DEFAULT_STUDY_URL);
  const { busy, run } = useAction(onError);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseStudyAddress(address);
    if ('problem' in parsed) return onError(t(ADDRESS_PROBLEMS[parsed.problem]));
    run(withAccess(requestAccess(hostAccess(parsed.permission)), t('studyHostRefused', [new URL(parsed.base).host]), () => sendMessage('lookUpStudy', { address })));
  };
  return (
    <section aria-labelledby={`${id}-heading`} className={card}>
      <h3 id={`${id}-heading`} className="m-0 text-base font-semibold">{t('studyJoinHeading')}</h3>
      <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('studyJoinIntro')}</p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-72 flex-1 flex-col gap-1">
          <label htmlFor={id} className="text-sm">{t('studyAddressLabel')}</label>
          <input
            id={id}
            type="url"
            required
            value={address}
            placeholder="https://"
            onChange={(event) => setAddress(event.target.value)}
            className="rounded-lg border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <button type="submit" className={primary} disabled={busy}>{t('studyLookUp')}</button>
      </form>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('studyJoinPermissionNote')}</p>
    </section>
  );
}

/** "I have read it and agree", then the button that acts on it. */
function Agreement({ label, action, busy, onAgree }: { label: string; action: string; busy: boolean; onAgree: () => void }) {
  const [agreed, setAgreed] = useState(false);
  return (
    <div className="flex flex-col gap-3">
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5" checked={agreed} onChange={(event) => setAgreed(event.target.checked)} />
        <span>{label}</span>
      </label>
      <div>
        <button type="button" className={primary} disabled={!agreed || busy} onClick={onAgree}>{action}</button>
      </div>
    </div>
  );
}

/** Firefox asks for its data collection consent with the study's: both from the same click. */
const askDataAccess = () => {
  const data = dataAccess();
  return data ? requestAccess(data) : Promise.resolve(true);
};

function Offer({ offer, onError }: { offer: StudyOffer; onError: (message: string) => void }) {
  const { busy, run } = useAction(onError);
  const { version } = offer.manifest.consent;
  return (
    <section aria-label={t('studyOfferLabel')} className={card}>
      <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('studyOfferIntro')}</p>
      <StudyManifest manifest={offer.manifest} base={offer.base} />
      {/* Keyed by version: a text that changed while it was read must be agreed to afresh. */}
      <Agreement
        key={version}
        label={t('studyAgreeLabel', [version])}
        action={t('studyJoin')}
        busy={busy}
        onAgree={() => run(withAccess(askDataAccess(), t('studyDataRefused'), () => sendMessage('joinStudy', { consentVersion: version })))}
      />
      <div>
        <button type="button" className={quiet} disabled={busy} onClick={() => run(sendMessage('cancelJoin', undefined))}>{t('studyCancelJoin')}</button>
      </div>
    </section>
  );
}

const STATE_TEXT: Record<Enrolled['state'], StaticMessageKey> = {
  enrolled: 'studyStateEnrolled',
  paused: 'studyStatePaused',
  'consent-changed': 'studyStateConsentChanged',
};

function Enrolment({ state, view, onError }: { state: Enrolled; view: StudyView; onError: (message: string) => void }) {
  const { busy, run } = useAction(onError);
  const [withdrawing, setWithdrawing] = useState(false);
  return (
    <section aria-label={t('studyYourStudy')} className="flex flex-col gap-4">
      <div className={card}>
        <h3 className="m-0 text-base font-semibold">{state.manifest.name}</h3>
        <p className="m-0 text-sm" data-testid="study-state">{t(STATE_TEXT[state.state])}</p>
        <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">
          {t('studyConsentRecord', [state.consent.version, formatDate(state.consent.at)])}
        </p>
        <div className="flex flex-wrap gap-2">
          {state.state === 'enrolled' && (
            <button type="button" className={quiet} disabled={busy} onClick={() => run(sendMessage('pauseStudy', undefined))}>{t('studyPause')}</button>
          )}
          {state.state === 'paused' && (
            <button type="button" className={primary} disabled={busy} onClick={() => run(sendMessage('resumeStudy', undefined))}>{t('studyResume')}</button>
          )}
          {!withdrawing && (
            <button type="button" className={danger} onClick={() => setWithdrawing(true)}>{t('studyWithdrawOpen')}</button>
          )}
        </div>
        {withdrawing && <WithdrawConfirm uploaded={view.counts.uploaded + view.counts.changed} onError={onError} onCancel={() => setWithdrawing(false)} />}
      </div>

      {state.state === 'consent-changed' && (
        <div role="alert" className={`${card} border-amber-300 dark:border-amber-700`}>
          <p className="m-0 text-sm font-medium">{t('studyConsentChangedBody', [state.consent.version, state.offered.consent.version])}</p>
          <StudyManifest manifest={state.offered} base={state.base} />
          <Agreement
            key={state.offered.consent.version}
            label={t('studyAgreeLabel', [state.offered.consent.version])}
            action={t('studyAgreeAgain', [state.offered.consent.version])}
            busy={busy}
            onAgree={() => run(sendMessage('agreeToConsent', { consentVersion: state.offered.consent.version }))}
          />
        </div>
      )}

      <UploadStatus state={state} view={view} onError={onError} />
      <ConversationList view={view} />

      <details className={card}>
        <summary className="cursor-pointer text-sm font-medium">{t('studyDetails')}</summary>
        <StudyManifest manifest={state.manifest} base={state.base} />
      </details>
    </section>
  );
}

function WithdrawConfirm({ uploaded, onError, onCancel }: { uploaded: number; onError: (message: string) => void; onCancel: () => void }) {
  const [deleteUploads, setDeleteUploads] = useState(true);
  const { busy, run } = useAction(onError);
  return (
    <div role="group" aria-label={t('studyWithdrawLabel')} className="flex flex-col gap-3 rounded-lg border border-red-200 p-3 dark:border-red-900">
      <p className="m-0 text-sm">{t('studyWithdrawBody')}</p>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5" checked={deleteUploads} onChange={(event) => setDeleteUploads(event.target.checked)} />
        <span>{uploaded === 1 ? t('studyWithdrawDeleteOne') : t('studyWithdrawDelete', [uploaded])}</span>
      </label>
      <div className="flex gap-2">
        <button type="button" className={`${danger} font-medium`} disabled={busy} onClick={() => run(sendMessage('withdrawFromStudy', { deleteUploads }))}>
          {t('studyWithdraw')}
        </button>
        <button type="button" className={quiet} onClick={onCancel}>{t('studyCancel')}</button>
      </div>
    </div>
  );
}

/** Asks the browser for the study's permissions again (from the click), then tries again. */
function AllowAgain({ permission, withData, label, onError }: { permission: string; withData: boolean; label: string; onError: (message: string) => void }) {
  const { busy, run } = useAction(onError);
  const allow = () => {
    const data = withData ? dataAccess() : null;
    const asked = requestAccess(data ? { ...hostAccess(permission), ...data } : hostAccess(permission));
    run(withAccess(asked, t('studyAccessStillRefused'), () => sendMessage('uploadNow', undefined)));
  };
  return <button type="button" className={primary} disabled={busy} onClick={allow}>{label}</button>;
}

function Line({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex gap-2 text-sm">
      <dt className="font-medium">{label}</dt>
      <dd className="m-0" data-testid={testId}>{children}</dd>
    </div>
  );
}

function UploadStatus({ state, view, onError }: { state: Enrolled; view: StudyView; onError: (message: string) => void }) {
  const { busy, run } = useAction(onError);
  const { uploads, counts } = view;
  const error = uploads.lastError;
  return (
    <section aria-label={t('studyUploads')} className={card}>
      <h3 className="m-0 text-base font-semibold">{t('studyUploads')}</h3>
      <dl className="m-0 flex flex-col gap-1">
        <Line label={t('studyWaiting')} testId="study-waiting">{counts.waiting}</Line>
        <Line label={t('studyUploaded')} testId="study-uploaded">{counts.uploaded}</Line>
        {counts.changed > 0 && <Line label={t('studyChanged')}>{counts.changed}</Line>}
        {counts.refused > 0 && <Line label={t('studyRefused')}>{counts.refused}</Line>}
        <Line label={t('studyLastUpload')} testId="study-last-upload">{uploads.lastSuccessAt ? formatDate(uploads.lastSuccessAt) : t('studyNever')}</Line>
      </dl>
      {state.state === 'paused' && <p className="m-0 text-sm text-amber-700 dark:text-amber-300">{t('studyPausedNote')}</p>}
      {counts.waiting === 0 && counts.uploaded === 0 && <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('studyNothingApproved')}</p>}
      {error && (
        <div aria-label={t('studyLastError')} role="group" className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          <p className="m-0" data-testid="study-last-error">{t('studyLastErrorText', [formatDate(error.at), error.message])}</p>
          {uploads.nextAttemptAt && <p className="m-0 mt-1">{t('studyNextAttempt', [formatDate(uploads.nextAttemptAt)])}</p>}
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {error?.kind === 'permission' && <AllowAgain permission={state.permission} withData label={t('studyAllowAgain')} onError={onError} />}
        {state.state === 'enrolled' && (counts.waiting > 0 || error) && (
          <button type="button" className={quiet} disabled={busy} onClick={() => run(sendMessage('uploadNow', undefined))}>{t('studyRetryNow')}</button>
        )}
      </div>
    </section>
  );
}

const STATUS_TEXT: Record<Exclude<ConversationStatus['kind'], 'uploaded' | 'refused'>, StaticMessageKey> = {
  excluded: 'studyStatusExcluded',
  'not-approved': 'studyStatusNotApproved',
  waiting: 'studyStatusWaiting',
  changed: 'studyStatusChanged',
};

function statusText(status: ConversationStatus): string {
  if (status.kind === 'uploaded') return status.at ? t('studyStatusUploadedAt', [formatDate(status.at)]) : t('studyStatusUploaded');
  if (status.kind === 'refused') return t('studyStatusRefused', [status.message]);
  return t(STATUS_TEXT[status.kind]);
}

function ConversationList({ view }: { view: StudyView }) {
  if (!view.conversations.length && !view.notApproved) return null;
  return (
    <section aria-label={t('studyConversations')} className={card}>
      <h3 className="m-0 text-base font-semibold">{t('studyConversations')}</h3>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('studyConversationsNote')}</p>
      {view.notApproved > 0 && (
        <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">
          {view.notApproved === 1 ? t('studyNotApprovedOne') : t('studyNotApprovedMany', [view.notApproved])}
        </p>
      )}
      <ul className="m-0 flex list-none flex-col divide-y divide-zinc-200 p-0 dark:divide-zinc-800">
        {view.conversations.map(({ conversation, status }) => (
          <li key={conversation.id} className="flex justify-between gap-4 py-2 text-sm">
            <span className="truncate">{conversation.title || t('reviewUntitled')}</span>
            <span className="shrink-0 text-zinc-600 dark:text-zinc-300">{statusText(status)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Withdrawn({ state, view, onError }: { state: Extract<StudyState, { state: 'withdrawn' }>; view: StudyView; onError: (message: string) => void }) {
  const { busy, run } = useAction(onError);
  const { uploads } = state;
  const deleteNow = () =>
    run(withAccess(requestAccess(hostAccess(state.permission)), t('studyHostRefused', [new URL(state.base).host]), () => sendMessage('deleteUploadedData', undefined)));
  return (
    <section aria-label={t('studyWithdrawnLabel')} className={card}>
      <p className="m-0 text-sm font-medium" data-testid="study-state">{t('studyWithdrawnText', [state.manifest.name, formatDate(state.withdrawnAt)])}</p>
      {uploads.fate === 'kept' && (
        <>
          <p className="m-0 text-sm">{t('studyUploadsKept')}</p>
          <div>
            <button type="button" className={danger} disabled={busy} onClick={deleteNow}>{t('studyDeleteUploads')}</button>
          </div>
        </>
      )}
      {uploads.fate === 'requested' && (
        <>
          <p className="m-0 text-sm" data-testid="study-deletion">{t('studyDeletionPending')}</p>
          {view.uploads.lastError && (
            <p className="m-0 text-sm text-red-700 dark:text-red-300" data-testid="study-last-error">
              {t('studyLastErrorText', [formatDate(view.uploads.lastError.at), view.uploads.lastError.message])}
            </p>
          )}
          <div className="flex gap-2">
            {view.uploads.lastError?.kind === 'permission' ? (
              <AllowAgain permission={state.permission} withData={false} label={t('studyAllowAgain')} onError={onError} />
            ) : (
              <button type="button" className={quiet} disabled={busy} onClick={() => run(sendMessage('uploadNow', undefined))}>{t('studyRetryNow')}</button>
            )}
          </div>
        </>
      )}
      {uploads.fate === 'deleted' && (
        <p className="m-0 text-sm" data-testid="study-deletion">
          {uploads.conversations === null
            ? t('studyDeletedAll', [formatDate(uploads.at)])
            : uploads.conversations === 1
              ? t('studyDeletedOne', [formatDate(uploads.at)])
              : t('studyDeleted', [uploads.conversations, formatDate(uploads.at)])}
        </p>
      )}
    </section>
  );
}
