import { z } from 'zod';
import { consentVersionSchema, errorCodeSchema, studyManifestSchema } from '@thoughttrace/format';
import { isoTimestampSchema } from './records';

// What is stored about the study the participant takes part in, read alike by the background and
// the pages (which read it as live queries). utils/background/study/machine.ts owns how the state
// changes; only the background writes it.

export { studyManifestSchema, type StudyManifest } from '@thoughttrace/format';

/** What the participant agreed to, and when. */
export const consentRecordSchema = z.strictObject({ version: consentVersionSchema, at: isoTimestampSchema });
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

/** A study joined: where it is, what it said, and who this browser is to it. */
const enrolment = {
  /** The collector's base URL (utils/study/address.ts). */
  base: z.string().url(),
  /** The host permission uploads use. */
  permission: z.string().min(1),
  /** The manifest as the participant last agreed to it. */
  manifest: studyManifestSchema,
  /** Random, from the collector; never derived from anything of the participant's. */
  participantId: z.string().min(1),
  /** The secret bearer token the collector gave at enrolment. */
  token: z.string().min(32),
  consent: consentRecordSchema,
  joinedAt: isoTimestampSchema,
};

/**
 * The explicit study states (as in Mozilla Rally). Only `enrolled` uploads. A study that raised
 * its consent version is `consent-changed` until the participant agrees to the new text
 * (`offered`). After withdrawing, the token is kept only until what was uploaded is deleted, or
 * for as long as the participant may still ask for that.
 */
export const studyStateSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('not-enrolled') }),
  z.strictObject({ state: z.literal('enrolled'), ...enrolment }),
  z.strictObject({ state: z.literal('paused'), ...enrolment, pausedAt: isoTimestampSchema }),
  z.strictObject({ state: z.literal('consent-changed'), ...enrolment, offered: studyManifestSchema }),
  z.strictObject({
    state: z.literal('withdrawn'),
    base: enrolment.base,
    permission: enrolment.permission,
    manifest: studyManifestSchema,
    participantId: enrolment.participantId,
    consent: consentRecordSchema,
    joinedAt: isoTimestampSchema,
    withdrawnAt: isoTimestampSchema,
    /**
     * What happens to what was uploaded: `kept` (the participant may still ask), `requested`
     * (asked, to be sent to the collector), `deleted` (the collector confirmed; the token is gone).
     */
    uploads: z.discriminatedUnion('fate', [
      z.strictObject({ fate: z.literal('kept'), token: enrolment.token }),
      z.strictObject({ fate: z.literal('requested'), token: enrolment.token, requestedAt: isoTimestampSchema }),
      /** `conversations`: how many the collector deleted; null when it no longer knew the token (an earlier request went through unanswered). */
      z.strictObject({ fate: z.literal('deleted'), at: isoTimestampSchema, conversations: z.number().int().nonnegative().nullable() }),
    ]),
  }),
]);
export type StudyState = z.infer<typeof studyStateSchema>;
export type StudyStateName = StudyState['state'];
export type Enrolment = Extract<StudyState, { state: 'enrolled' }>;
/** Every state that holds a live enrolment. */
export type Enrolled = Extract<StudyState, { state: 'enrolled' | 'paused' | 'consent-changed' }>;

/** A study the participant looked up and is reading, before they agree (nothing is sent but the look-up). */
export const studyOfferSchema = z.strictObject({
  base: z.string().url(),
  permission: z.string().min(1),
  manifest: studyManifestSchema,
  fetchedAt: isoTimestampSchema,
});
export type StudyOffer = z.infer<typeof studyOfferSchema>;

/** Why the last attempt to reach the study failed, for the participant to read. */
export const uploadErrorSchema = z.strictObject({
  /**
   * `network`: no answer (offline, the collector down, a timeout); `refused`: the collector said
   * no (its code); `invalid-answer`: an answer that is not the protocol's; `permission`: the
   * browser no longer lets the extension reach the study; `other`: anything else that went wrong.
   */
  kind: z.enum(['network', 'timeout', 'refused', 'invalid-answer', 'permission', 'other']),
  code: errorCodeSchema.optional(),
  message: z.string(),
  at: isoTimestampSchema,
});
export type UploadError = z.infer<typeof uploadErrorSchema>;

/** How uploading stands: the queue itself is the conversations approved and not yet sent. */
export const uploadStatusSchema = z.strictObject({
  lastSuccessAt: isoTimestampSchema.nullable(),
  lastError: uploadErrorSchema.nullable(),
  /** Failed attempts in a row, for the backoff. */
  failures: z.number().int().nonnegative(),
  /** When the next attempt is due after a failure; null when nothing waits on one. */
  nextAttemptAt: isoTimestampSchema.nullable(),
});
export type UploadStatus = z.infer<typeof uploadStatusSchema>;
export const IDLE_UPLOADS: UploadStatus = { lastSuccessAt: null, lastError: null, failures: 0, nextAttemptAt: null };

/** The study table's rows, by key. */
export interface StudyRows {
  state: StudyState;
  offer: StudyOffer;
  uploads: UploadStatus;
}
export type StudyRow = { [K in keyof StudyRows]: { key: K; value: StudyRows[K] } }[keyof StudyRows];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Where one conversation stands with the study, beyond its review state: the line last sent (its
 * SHA-256, so an edit that changes what would be sent is told from one that does not), and a
 * refusal of the line as it is now (too large for the study, or refused as invalid), which is not
 * sent again until it changes.
 */
export const conversationUploadSchema = z.strictObject({
  conversationId: z.string().min(1),
  sent: z.strictObject({ uploadId: z.uuid(), hash: sha256Hex, at: isoTimestampSchema }).nullable(),
  refused: z.strictObject({ hash: sha256Hex, message: z.string(), at: isoTimestampSchema }).nullable(),
});
export type ConversationUpload = z.infer<typeof conversationUploadSchema>;

const NOT_ENROLLED: StudyState = { state: 'not-enrolled' };

/** The stored state, or not enrolled when there is none (or it is unreadable). */
export function readStudyState(value: unknown): StudyState {
  const parsed = studyStateSchema.safeParse(value);
  return parsed.success ? parsed.data : NOT_ENROLLED;
}

export function readStudyOffer(value: unknown): StudyOffer | null {
  const parsed = studyOfferSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function readUploadStatus(value: unknown): UploadStatus {
  const parsed = uploadStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : IDLE_UPLOADS;
}

/** Whether a state holds a live enrolment (joined, not withdrawn). */
export const isEnrolled = (state: StudyState): state is Enrolled =>
  state.state === 'enrolled' || state.state === 'paused' || state.state === 'consent-changed';
