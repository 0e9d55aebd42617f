import { useEffect, useId, useRef, useState } from 'react';
import { sendMessage } from '@/utils/protocol/messages';
import { siteName, t, type StaticMessageKey } from '@/utils/i18n';
import { MAX_ALWAYS_REDACT, MAX_ALWAYS_REDACT_CHARS, SITES, type Settings, type SurveyAnswers } from '@/utils/data/records';
import { SaveStatus, useAutosave, useConfirmLeavingUnsaved } from '../autosave';
import { useProfile, useSettings } from '../live';

const field = 'rounded-lg border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const button =
  'rounded-lg px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';

const EMPTY_PROFILE: SurveyAnswers = { age: '', gender: '', education: '', occupation: '', frequency: '', purposes: '' };

/** Frequency as the ThoughtTrace survey records it: 1 (rarely) to 5 (daily). */
const FREQUENCIES: readonly (readonly [string, StaticMessageKey])[] = [
  ['5', 'profileFrequencyDaily'],
  ['4', 'profileFrequencyWeekly'],
  ['3', 'profileFrequencyMonthly'],
  ['2', 'profileFrequencyRarely'],
  ['1', 'profileFrequencyNever'],
];
const AGES: readonly (readonly [string, StaticMessageKey])[] = [
  ['18-24', 'profileAge18to24'],
  ['25-34', 'profileAge25to34'],
  ['35-44', 'profileAge35to44'],
  ['45-54', 'profileAge45to54'],
  ['55-64', 'profileAge55to64'],
  ['65+', 'profileAge65plus'],
];
/** The stored values stay English (they go into survey_answers); only their display names are translated. */
const EDUCATIONS: readonly (readonly [string, StaticMessageKey])[] = [
  ['High school', 'profileEducationHighSchool'],
  ['Undergraduate', 'profileEducationUndergraduate'],
  ['Graduate', 'profileEducationGraduate'],
  ['Doctorate', 'profileEducationDoctorate'],
  ['Other', 'profileEducationOther'],
];

/** Profile choices with their display names, after the empty "no answer" choice. */
const profileOptions = (choices: readonly (readonly [string, StaticMessageKey])[]): [string, string][] => [
  ['', t('profileNoAnswer')],
  ...choices.map(([value, key]): [string, string] => [value, t(key)]),
];

function Select({ label, value, options, onChange }: { label: string; value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={field}>
        {options.map(([v, name]) => (
          <option key={v} value={v}>{name}</option>
        ))}
      </select>
    </div>
  );
}

function Text({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm">{label}</label>
      <input id={id} value={value} maxLength={500} onChange={(e) => onChange(e.target.value)} className={field} />
    </div>
  );
}

/** Prompt frequency, snooze and the optional participant profile. */
export function SettingsPanel() {
  // Live: a setting changed from a card or another page shows here at once.
  const settings = useSettings();
  const stored = useProfile();
  const [profile, setProfile] = useState<SurveyAnswers>(EMPTY_PROFILE);
  const [notice, setNotice] = useState('');
  // The profile is saved as it is typed; one with no answers at all is no profile.
  const profileSave = useAutosave((answers: SurveyAnswers) =>
    sendMessage('saveProfile', { profile: Object.values(answers).some((answer) => answer.trim()) ? answers : null }),
  );
  useConfirmLeavingUnsaved(profileSave.pending);

  // The stored profile fills the form once; after that the form is what the participant typed.
  const filled = useRef(false);
  useEffect(() => {
    if (stored === undefined || filled.current) return;
    filled.current = true;
    setProfile(stored ?? EMPTY_PROFILE);
  }, [stored]);

  if (!settings || stored === undefined) return null;
  const change = async (update: Partial<Omit<Settings, 'paused'>>) => {
    await sendMessage('updateSettings', update);
    setNotice(t('settingsSaved'));
  };
  const snoozed = settings.snoozedUntil && Date.parse(settings.snoozedUntil) > Date.now();
  const setAnswer = (key: keyof SurveyAnswers) => (value: string) => {
    const next = { ...profile, [key]: value };
    setProfile(next);
    profileSave.schedule(next);
  };
  const clearProfile = async () => {
    await profileSave.cancel();
    await sendMessage('saveProfile', { profile: null });
    setProfile(EMPTY_PROFILE);
    setNotice(t('profileCleared'));
  };

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-8 py-6">
      <p role="status" className="m-0 min-h-5 text-sm text-zinc-600 dark:text-zinc-300">{notice}</p>
      <section aria-labelledby="prompts-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="prompts-heading" className="m-0 text-base font-semibold">{t('settingsWhenToAsk')}</h2>
        <Select
          label={t('settingsAskFor')}
          value={settings.ask}
          options={[['both', t('settingsAskBoth')], ['reasons', t('settingsAskReasons')], ['reactions', t('settingsAskReactions')]]}
          onChange={(ask) => void change({ ask: ask as Settings['ask'] })}
        />
        <Select
          label={t('settingsHowOften')}
          value={String(settings.everyNth)}
          options={[['1', t('settingsEveryPrompt')], ['2', t('settingsEvery2nd')], ['3', t('settingsEvery3rd')], ['5', t('settingsEvery5th')]]}
          onChange={(n) => void change({ everyNth: Number(n) })}
        />
        <Select
          label={t('settingsFadeAfter')}
          value={String(settings.cardTimeoutSeconds)}
          options={[['30', t('settingsFade30s')], ['60', t('settingsFade1m')], ['120', t('settingsFade2m')], ['300', t('settingsFade5m')]]}
          onChange={(seconds) => void change({ cardTimeoutSeconds: Number(seconds) })}
        />
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5"
            checked={settings.askTask}
            onChange={(event) => void change({ askTask: event.target.checked })}
          />
          <span>{t('settingsAskTask')}</span>
        </label>
        <div className="flex items-center gap-3 text-sm">
          <span>{snoozed ? t('settingsSnoozedUntil', [new Date(settings.snoozedUntil!).toLocaleTimeString()]) : t('settingsNotSnoozed')}</span>
          <button
            type="button"
            className={`${button} bg-zinc-100 dark:bg-zinc-800`}
            onClick={() => void sendMessage('snooze', { minutes: snoozed ? 0 : 60 })}
          >
            {t(snoozed ? 'settingsEndSnooze' : 'snoozeForAnHour')}
          </button>
        </div>
        <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('settingsCardsOffNote')}</p>
      </section>

      <section aria-labelledby="recording-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="recording-heading" className="m-0 text-base font-semibold">{t('settingsRecordingHeading')}</h2>
        {SITES.map((site) => (
          <label key={site} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={settings.recording[site]}
              onChange={(event) => void change({ recording: { ...settings.recording, [site]: event.target.checked } })}
            />
            <span>{t('settingsRecordOn', [siteName(site)])}</span>
          </label>
        ))}
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-0.5" checked={settings.recordOpened} onChange={(event) => void change({ recordOpened: event.target.checked })} />
          <span>{t('settingsRecordOpened')}</span>
        </label>
      </section>

      <AlwaysRedact stored={settings.alwaysRedact} />

      <DeleteAllData onDone={(message) => setNotice(message)} />

      <section aria-labelledby="profile-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="profile-heading" className="m-0 text-base font-semibold">{t('profileHeading')}</h2>
        <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('profileIntro')}</p>
        <Select label={t('profileAge')} value={profile.age} options={profileOptions(AGES)} onChange={setAnswer('age')} />
        <Text label={t('profileGender')} value={profile.gender} onChange={setAnswer('gender')} />
        <Select label={t('profileEducation')} value={profile.education} options={profileOptions(EDUCATIONS)} onChange={setAnswer('education')} />
        <Text label={t('profileOccupation')} value={profile.occupation} onChange={setAnswer('occupation')} />
        <Select label={t('profileFrequency')} value={profile.frequency} options={profileOptions(FREQUENCIES)} onChange={setAnswer('frequency')} />
        <Text label={t('profilePurposes')} value={profile.purposes} onChange={setAnswer('purposes')} />
        <div className="flex items-center gap-3">
          <SaveStatus autosave={profileSave} />
          <button
            type="button"
            className={`${button} text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950`}
            onClick={() => void clearProfile()}
          >
            {t('profileClear')}
          </button>
        </div>
      </section>
    </main>
  );
}

/** The list as stored: one entry a line, trimmed, no blanks or repeats, within the limits. */
export const alwaysRedactList = (typed: string): string[] =>
  [...new Set(typed.split('\n').map((line) => line.trim().slice(0, MAX_ALWAYS_REDACT_CHARS).trim()).filter(Boolean))].slice(0, MAX_ALWAYS_REDACT);

/** The participant's "always redact" list, saved as it is typed like the profile. */
function AlwaysRedact({ stored }: { stored: string[] }) {
  const id = useId();
  const [typed, setTyped] = useState(() => stored.join('\n'));
  const save = useAutosave((text: string) => sendMessage('updateSettings', { alwaysRedact: alwaysRedactList(text) }));
  useConfirmLeavingUnsaved(save.pending);
  // Emptied elsewhere ("delete all my data"): the box follows a change of the stored list once nothing typed is waiting.
  const storedText = stored.join('\n');
  useEffect(() => {
    if (!save.pending && alwaysRedactList(typed).join('\n') !== storedText) setTyped(storedText);
  }, [storedText]);
  const lines = typed.split('\n').filter((line) => line.trim());
  const clipped = lines.length > MAX_ALWAYS_REDACT || lines.some((line) => line.trim().length > MAX_ALWAYS_REDACT_CHARS);
  return (
    <section aria-labelledby="always-redact-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="always-redact-heading" className="m-0 text-base font-semibold">{t('settingsAlwaysRedactHeading')}</h2>
      <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('settingsAlwaysRedactIntro')}</p>
      <label htmlFor={id} className="text-sm">{t('settingsAlwaysRedactLabel')}</label>
      <textarea
        id={id}
        value={typed}
        rows={4}
        spellCheck={false}
        onChange={(event) => {
          setTyped(event.target.value);
          save.schedule(event.target.value);
        }}
        className={field}
      />
      {clipped && <p className="m-0 text-sm text-amber-700 dark:text-amber-300">{t('settingsAlwaysRedactTooMany', [MAX_ALWAYS_REDACT, MAX_ALWAYS_REDACT_CHARS])}</p>}
      <SaveStatus autosave={save} />
    </section>
  );
}

/** "Delete all my data", confirmed by typing DELETE: nothing is asked twice, nothing can be undone. */
function DeleteAllData({ onDone }: { onDone: (message: string) => void }) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const confirmed = typed.trim() === 'DELETE';
  const run = async () => {
    await sendMessage('deleteAllData', { confirm: 'DELETE' });
    setTyped('');
    onDone(t('settingsDeletedAll'));
  };
  return (
    <section aria-labelledby="delete-heading" className="flex flex-col gap-3 rounded-xl border border-red-200 bg-white p-4 dark:border-red-900 dark:bg-zinc-900">
      <h2 id="delete-heading" className="m-0 text-base font-semibold">{t('settingsDeleteAllHeading')}</h2>
      <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">{t('settingsDeleteAllBody')}</p>
      <label htmlFor={id} className="text-sm">{t('settingsDeleteAllConfirm')}</label>
      <input id={id} value={typed} onChange={(event) => setTyped(event.target.value)} className={`${field} max-w-40`} autoComplete="off" />
      <button type="button" disabled={!confirmed} className={`${button} self-start bg-red-600 font-medium text-white hover:bg-red-700`} onClick={() => void run()}>
        {t('settingsDeleteAll')}
      </button>
    </section>
  );
}
