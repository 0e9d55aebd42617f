import type { Enrolled, StudyManifest, StudyOffer, StudyState } from '../../data/study';

// The study states and every way between them, in one pure function: not enrolled → enrolled
// (consented to version N) ⇄ paused; enrolled → consent changed → enrolled again once the
// participant agrees to the new version; any of those → withdrawn, which may ask for the deletion
// of what was uploaded. Only `enrolled` uploads. What is not listed here is refused.

export type StudyEvent =
  /** The participant agreed to the offered study's consent and the collector enrolled them. */
  | { type: 'enrol'; offer: StudyOffer; participantId: string; token: string; at: string }
  | { type: 'pause'; at: string }
  | { type: 'resume' }
  /** The study's manifest, fetched again: a new consent version stops uploads until agreed to; the same one refreshes the rest (limits). */
  | { type: 'manifest'; manifest: StudyManifest }
  /** The participant agreed to the consent version the study now offers. */
  | { type: 'agree'; version: number; at: string }
  | { type: 'withdraw'; deleteUploads: boolean; at: string }
  /** After withdrawing without it: delete what was uploaded after all. */
  | { type: 'request-deletion'; at: string }
  /** The collector confirmed the deletion. */
  | { type: 'deleted'; conversations: number | null; at: string };

export class StudyTransitionError extends Error {
  override name = 'StudyTransitionError';
}

const refuse = (state: StudyState, event: StudyEvent): never => {
  throw new StudyTransitionError(`Cannot ${event.type} while ${state.state}`);
};

/** What every state with a live enrolment holds. */
function enrolmentOf(state: Enrolled) {
  const { base, permission, manifest, participantId, token, consent, joinedAt } = state;
  return { base, permission, manifest, participantId, token, consent, joinedAt };
}

/** The state after `event`, or a StudyTransitionError saying why it cannot happen now. */
export function transition(state: StudyState, event: StudyEvent): StudyState {
  switch (event.type) {
    case 'enrol': {
      // A deletion still to be sent needs the old token: joining again waits for it.
      const free = state.state === 'not-enrolled' || (state.state === 'withdrawn' && state.uploads.fate !== 'requested');
      if (!free) return refuse(state, event);
      const { base, permission, manifest } = event.offer;
      return {
        state: 'enrolled',
        base,
        permission,
        manifest,
        participantId: event.participantId,
        token: event.token,
        consent: { version: manifest.consent.version, at: event.at },
        joinedAt: event.at,
      };
    }
    case 'pause':
      if (state.state !== 'enrolled') return refuse(state, event);
      return { state: 'paused', ...enrolmentOf(state), pausedAt: event.at };
    case 'resume':
      if (state.state !== 'paused') return refuse(state, event);
      return { state: 'enrolled', ...enrolmentOf(state) };
    case 'manifest':
      if (state.state !== 'enrolled' && state.state !== 'consent-changed') return refuse(state, event);
      if (event.manifest.id !== state.manifest.id) throw new StudyTransitionError(`The study's address now serves another study ("${event.manifest.id}")`);
      return event.manifest.consent.version === state.consent.version
        ? { state: 'enrolled', ...enrolmentOf(state), manifest: event.manifest }
        : { state: 'consent-changed', ...enrolmentOf(state), offered: event.manifest };
    case 'agree':
      if (state.state !== 'consent-changed' || event.version !== state.offered.consent.version) return refuse(state, event);
      return { state: 'enrolled', ...enrolmentOf(state), manifest: state.offered, consent: { version: event.version, at: event.at } };
    case 'withdraw': {
      if (state.state !== 'enrolled' && state.state !== 'paused' && state.state !== 'consent-changed') return refuse(state, event);
      const { base, permission, manifest, participantId, consent, joinedAt, token } = enrolmentOf(state);
      return {
        state: 'withdrawn',
        base,
        permission,
        manifest,
        participantId,
        consent,
        joinedAt,
        withdrawnAt: event.at,
        uploads: event.deleteUploads ? { fate: 'requested', token, requestedAt: event.at } : { fate: 'kept', token },
      };
    }
    case 'request-deletion':
      if (state.state !== 'withdrawn' || state.uploads.fate !== 'kept') return refuse(state, event);
      return { ...state, uploads: { fate: 'requested', token: state.uploads.token, requestedAt: event.at } };
    case 'deleted':
      if (state.state !== 'withdrawn' || state.uploads.fate !== 'requested') return refuse(state, event);
      return { ...state, uploads: { fate: 'deleted', at: event.at, conversations: event.conversations } };
  }
}

/** Only an enrolled participant's reviewed conversations are sent. */
export const mayUpload = (state: StudyState): state is Extract<StudyState, { state: 'enrolled' }> => state.state === 'enrolled';

/** The token of a deletion the participant asked for and the collector has not confirmed yet. */
export const pendingDeletion = (state: StudyState): { base: string; permission: string; token: string } | null =>
  state.state === 'withdrawn' && state.uploads.fate === 'requested'
    ? { base: state.base, permission: state.permission, token: state.uploads.token }
    : null;
