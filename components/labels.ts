import { REACTION_LABELS, REASON_LABELS, type ThoughtLabel } from '@/utils/data/records';
import { t } from '@/utils/i18n';

// The ThoughtTrace categories as participants see them: names and one-line descriptions from the
// i18n catalogue. UI only; the dataset format knows the labels, not their wording.

/** Display name of each category, from the i18n catalogue (read when used, in the current UI language). */
export const LABEL_NAMES: Readonly<Record<ThoughtLabel, string>> = lazyMessages((label) => t(`labelName_${label}`));

/** One line per category, shown on hover or focus of its chip. */
export const LABEL_DESCRIPTIONS: Readonly<Record<ThoughtLabel, string>> = lazyMessages((label) => t(`labelDescription_${label}`));

function lazyMessages(lookup: (label: ThoughtLabel) => string): Readonly<Record<ThoughtLabel, string>> {
  const record = {} as Record<ThoughtLabel, string>;
  for (const label of [...REASON_LABELS, ...REACTION_LABELS]) {
    Object.defineProperty(record, label, { enumerable: true, get: () => lookup(label) });
  }
  return Object.freeze(record);
}

