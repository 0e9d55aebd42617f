import { useLiveQuery } from 'dexie-react-hooks';
import { countAll, type Counts } from '@/utils/data/counts';
import { db } from '@/utils/data/db';
import { readProfile, readSettings } from '@/utils/data/settings';
import type { Settings, SurveyAnswers } from '@/utils/data/records';

// The one read rule for extension pages: they read the database directly, as live queries, and
// write only by asking the background. So whatever changes it (a card, another page, the
// background) shows at once on every open page: settings and the profile included.

/** The participant's settings; undefined while the first read runs. */
export function useSettings(): Settings | undefined {
  return useLiveQuery(async () => readSettings((await db().settings.get('settings'))?.value), []);
}

/** The optional profile (null: none given); undefined while the first read runs. */
export function useProfile(): SurveyAnswers | null | undefined {
  return useLiveQuery(async () => readProfile((await db().settings.get('profile'))?.value), []);
}

/** The popup's counts: conversations, thoughts, unanswered task questions. */
export function useCounts(): Counts | undefined {
  return useLiveQuery(() => countAll(db()), []);
}
