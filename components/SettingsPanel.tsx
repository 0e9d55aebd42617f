import { useEffect, useId, useState } from 'react';
import { sendMessage, type SettingsView } from '@/utils/messaging';
import type { Settings, SurveyAnswers } from '@/utils/schema';

const field = 'rounded-lg border border-zinc-300 bg-white p-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';
const button =
  'rounded-lg px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';

const EMPTY_PROFILE: SurveyAnswers = { age: '', gender: '', education: '', occupation: '', frequency: '', purposes: '' };

/** Frequency as the ThoughtTrace survey records it: 1 (rarely) to 5 (daily). */
const FREQUENCIES = [
  ['5', 'Every day'],
  ['4', 'A few times a week'],
  ['3', 'A few times a month'],
  ['2', 'Rarely'],
  ['1', 'Never before'],
] as const;

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
  const [view, setView] = useState<SettingsView | null>(null);
  const [profile, setProfile] = useState<SurveyAnswers>(EMPTY_PROFILE);
  const [notice, setNotice] = useState('');

  const load = async () => {
    const next = await sendMessage('getSettings', undefined);
    setView(next);
    setProfile(next.profile ?? EMPTY_PROFILE);
  };
  useEffect(() => void load(), []);

  if (!view) return null;
  const { settings } = view;
  const change = async (update: Partial<Omit<Settings, 'paused'>>) => {
    await sendMessage('updateSettings', update);
    await load();
    setNotice('Settings saved.');
  };
  const snoozed = settings.snoozedUntil && Date.parse(settings.snoozedUntil) > Date.now();
  const setAnswer = (key: keyof SurveyAnswers) => (value: string) => setProfile((p) => ({ ...p, [key]: value }));

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-8 py-6">
      <p role="status" className="m-0 min-h-5 text-sm text-zinc-600 dark:text-zinc-300">{notice}</p>
      <section aria-labelledby="prompts-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="prompts-heading" className="m-0 text-base font-semibold">When to ask</h2>
        <Select
          label="Ask for"
          value={settings.ask}
          options={[['both', 'Reasons and reactions'], ['reasons', 'Only reasons (why I send a prompt)'], ['reactions', 'Only reactions (what I think of a reply)']]}
          onChange={(ask) => void change({ ask: ask as Settings['ask'] })}
        />
        <Select
          label="How often"
          value={String(settings.everyNth)}
          options={[['1', 'Every prompt'], ['2', 'Every 2nd prompt'], ['3', 'Every 3rd prompt'], ['5', 'Every 5th prompt']]}
          onChange={(n) => void change({ everyNth: Number(n) })}
        />
        <Select
          label="An ignored prompt fades after"
          value={String(settings.promptTimeoutSeconds)}
          options={[['30', '30 seconds'], ['60', '1 minute'], ['120', '2 minutes'], ['300', '5 minutes']]}
          onChange={(seconds) => void change({ promptTimeoutSeconds: Number(seconds) })}
        />
        <div className="flex items-center gap-3 text-sm">
          <span>{snoozed ? `Snoozed until ${new Date(settings.snoozedUntil!).toLocaleTimeString()}.` : 'Not snoozed.'}</span>
          <button
            type="button"
            className={`${button} bg-zinc-100 dark:bg-zinc-800`}
            onClick={() => void sendMessage('snooze', { minutes: snoozed ? 0 : 60 }).then(load)}
          >
            {snoozed ? 'End snooze' : 'Snooze for an hour'}
          </button>
        </div>
        <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">
          Conversations keep being captured while prompts are off; you can add thoughts to any message from the review page.
        </p>
      </section>

      <section aria-labelledby="profile-heading" className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="profile-heading" className="m-0 text-base font-semibold">About you (optional)</h2>
        <p className="m-0 text-sm text-zinc-600 dark:text-zinc-300">
          Answered once, stored on this device, and included with your conversations only when you share them. Every question can be left blank.
        </p>
        <Select label="Age" value={profile.age} options={[['', '—'], ['18-24', '18–24'], ['25-34', '25–34'], ['35-44', '35–44'], ['45-54', '45–54'], ['55-64', '55–64'], ['65+', '65 or older']]} onChange={setAnswer('age')} />
        <Text label="Gender" value={profile.gender} onChange={setAnswer('gender')} />
        <Select label="Education" value={profile.education} options={[['', '—'], ['High school', 'High school'], ['Undergraduate', 'Undergraduate'], ['Graduate', 'Graduate'], ['Doctorate', 'Doctorate'], ['Other', 'Other']]} onChange={setAnswer('education')} />
        <Text label="Occupation" value={profile.occupation} onChange={setAnswer('occupation')} />
        <Select label="How often do you use AI assistants?" value={profile.frequency} options={[['', '—'], ...FREQUENCIES]} onChange={setAnswer('frequency')} />
        <Text label="What do you mostly use them for?" value={profile.purposes} onChange={setAnswer('purposes')} />
        <div className="flex gap-2">
          <button
            type="button"
            className={`${button} bg-indigo-600 font-medium text-white hover:bg-indigo-700`}
            onClick={() => void sendMessage('saveProfile', { profile }).then(load).then(() => setNotice('Profile saved.'))}
          >
            Save profile
          </button>
          <button
            type="button"
            className={`${button} text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950`}
            onClick={() => void sendMessage('saveProfile', { profile: null }).then(load).then(() => setNotice('Profile cleared.'))}
          >
            Clear profile
          </button>
        </div>
      </section>
    </main>
  );
}
