import { DEFAULT_SETTINGS, settingsSchema, surveyAnswersSchema, type Settings, type SurveyAnswers } from './records';

// How a stored settings row reads, for the background and for the pages alike (pages read the
// database directly with live queries; only the background writes).

/** The participant's settings from the stored row: defaults for anything missing, all defaults if the row is unreadable. */
export function readSettings(value: unknown): Settings {
  const stored = value as (Partial<Settings> & { promptTimeoutSeconds?: unknown }) | undefined;
  // Stored before the card's timeout had its name: the same setting under its old one.
  const legacy =
    stored?.cardTimeoutSeconds === undefined && stored?.promptTimeoutSeconds !== undefined ? { cardTimeoutSeconds: stored.promptTimeoutSeconds } : {};
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored, ...legacy });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** The optional profile, or null when none was given (or the row is unreadable). */
export function readProfile(value: unknown): SurveyAnswers | null {
  const parsed = surveyAnswersSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
