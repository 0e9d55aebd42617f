import { z } from 'zod';
import { isEnrolled } from '../../data/study';
import { studyRequests, type StudyRequest } from '../../protocol/requests';
import { t, type StaticMessageKey } from '../../i18n';
import { parseStudyAddress, type AddressProblem } from '../../study/address';
import type { StudyStore } from '../store/study';
import { CollectorError, type CollectorClient } from './client';
import { createUploader, type RunMode, type StudyAccess, type StudyAlarm } from './uploader';

// Taking part in a study, as the participant does it on the extension's pages: look a study up,
// join it by agreeing to its consent, agree again when it changes, pause, withdraw (deleting what
// was sent, if they wish), retry now. The state machine (machine.ts) says what may happen when;
// the uploader sends, from here only.

/** A study request that cannot be done; its message is for the participant. */
export class StudyRequestError extends Error {
  override name = 'StudyRequestError';
}

const ADDRESS_PROBLEMS: Record<AddressProblem, StaticMessageKey> = {
  invalid: 'studyAddressInvalid',
  insecure: 'studyAddressInsecure',
  credentials: 'studyAddressCredentials',
};

/** The collector's own words, or what could not be reached. */
const explain = (error: unknown): string =>
  error instanceof CollectorError ? error.message : error instanceof Error ? error.message : String(error);

export interface StudyDeps {
  store: StudyStore;
  client: CollectorClient;
  access: StudyAccess;
  alarm: StudyAlarm;
  now?: () => Date;
  random?: () => number;
}

export function createStudy({ store, client, access, alarm, now = () => new Date(), random }: StudyDeps) {
  const uploader = createUploader({ store, client, access, alarm, now, random });
  const at = () => now().toISOString();
  /**
   * Runs in the background; the request that started it answers as soon as its change is stored.
   * A run that fails outside the collector's answers (the database, say) is tried again by the
   * watchdog alarm it set or at the next start of the background.
   */
  const upload = (mode: RunMode) =>
    void uploader.run(mode).catch((error: unknown) => console.error('ThoughtTrace: the upload run failed', error));

  const operations = {
    async lookUpStudy({ address }: { address: string }): Promise<void> {
      const parsed = parseStudyAddress(address);
      if ('problem' in parsed) throw new StudyRequestError(t(ADDRESS_PROBLEMS[parsed.problem]));
      const state = await store.state();
      if (isEnrolled(state)) throw new StudyRequestError(t('studyErrorAlreadyEnrolled', [state.manifest.name]));
      if (!(await access.hasHostAccess(parsed.permission))) {
        throw new StudyRequestError(t('studyErrorNotAllowed', [new URL(parsed.base).host]));
      }
      let manifest;
      try {
        manifest = await client.manifest(parsed.base);
      } catch (error) {
        throw new StudyRequestError(t('studyErrorNoStudy', [parsed.base, explain(error)]));
      }
      await store.saveOffer({ base: parsed.base, permission: parsed.permission, manifest, fetchedAt: at() });
    },

    async cancelJoin(): Promise<void> {
      await store.clearOffer();
    },

    async joinStudy({ consentVersion }: { consentVersion: number }): Promise<void> {
      const offer = await store.offer();
      if (!offer) throw new StudyRequestError(t('studyErrorLookUpFirst'));
      if (offer.manifest.consent.version !== consentVersion) throw new StudyRequestError(t('studyErrorOtherVersion'));
      if (!(await access.hasUploadAccess(offer.permission))) {
        throw new StudyRequestError(t('studyDataRefused'));
      }
      let enrolment;
      try {
        enrolment = await client.enrol(offer.base, consentVersion);
      } catch (error) {
        if (error instanceof CollectorError && error.failure.kind === 'refused' && error.failure.code === 'consent_mismatch') {
          // The text changed while the participant read it: show the new one; nothing was agreed to.
          const manifest = await client.manifest(offer.base).catch(() => null);
          if (manifest) await store.saveOffer({ ...offer, manifest, fetchedAt: at() });
          throw new StudyRequestError(t('studyErrorConsentMoved'));
        }
        throw new StudyRequestError(t('studyErrorEnrolFailed', [explain(error)]));
      }
      await store.apply({ type: 'enrol', offer, participantId: enrolment.participantId, token: enrolment.token, at: at() });
      upload('now');
    },

    async agreeToConsent({ consentVersion }: { consentVersion: number }): Promise<void> {
      await store.apply({ type: 'agree', version: consentVersion, at: at() });
      upload('now');
    },

    async pauseStudy(): Promise<void> {
      await store.apply({ type: 'pause', at: at() });
      uploader.stop();
      await alarm.clear();
    },

    async resumeStudy(): Promise<void> {
      await store.apply({ type: 'resume' });
      upload('now');
    },

    async withdrawFromStudy({ deleteUploads }: { deleteUploads: boolean }): Promise<void> {
      // Stopped first: nothing more leaves once the participant has said so.
      uploader.stop();
      const state = await store.apply({ type: 'withdraw', deleteUploads, at: at() });
      await alarm.clear();
      if (deleteUploads) upload('now');
      else if (state.state === 'withdrawn') await access.releaseAccess(state.permission);
    },

    async deleteUploadedData(): Promise<void> {
      await store.apply({ type: 'request-deletion', at: at() });
      upload('now');
    },

    async uploadNow(): Promise<void> {
      upload('now');
    },
  } satisfies { [K in StudyRequest]: (input: z.output<(typeof studyRequests)[K]>) => Promise<void> };

  return {
    /** Validates `data` against the request's schema, then does it. */
    async handle(type: StudyRequest, data: unknown): Promise<void> {
      const parsed = studyRequests[type].safeParse(data);
      if (!parsed.success) throw new StudyRequestError(`Invalid "${type}" request: ${z.prettifyError(parsed.error)}`);
      await (operations[type] as (input: unknown) => Promise<void>)(parsed.data);
    },
    /** Sends what waits, unless a backoff is waiting (the alarm, an approval, the background starting). */
    whenDue: () => uploader.run('due'),
    /** Sends what waits and resolves once that run is over. */
    run: (mode: RunMode) => uploader.run(mode),
    /** Resolves once no upload is on its way (tests wait for it before closing the database). */
    idle: () => uploader.idle(),
  };
}

export type Study = ReturnType<typeof createStudy>;
