import type { StudyManifest, UploadError } from '../../data/study';
import { t } from '../../i18n';
import type { PendingLine, SentLine, StudyStore } from '../store/study';
import { retryDelay } from './backoff';
import { planBatches, submissionBody } from './batches';
import { CollectorError, type CollectorClient } from './client';
import { mayUpload, pendingDeletion } from './machine';

// Sends what the participant approved, from the background only. Everything it goes by is in the
// database (the approved conversations are the queue; the state, the failures and the next
// attempt are stored), and an alarm wakes it, so a stopped service worker or a restarted browser
// picks up where it was. Sending again is safe: the collector stores a conversation once per
// upload id, replacing an earlier version.

/** What the uploader needs from the browser; tests give their own. */
export interface StudyAccess {
  hasHostAccess(permission: string): Promise<boolean>;
  hasUploadAccess(permission: string): Promise<boolean>;
  releaseAccess(permission: string): Promise<void>;
}

/** The one alarm of the study: the next attempt, or a watchdog while one runs. */
export interface StudyAlarm {
  set(when: number): Promise<void>;
  clear(): Promise<void>;
}

export interface UploaderDeps {
  store: StudyStore;
  client: CollectorClient;
  access: StudyAccess;
  alarm: StudyAlarm;
  now: () => Date;
  random?: () => number;
}

/** `due`: only if no backoff is waiting (alarms, approvals, a restart); `now`: whatever the backoff says (the participant asked). */
export type RunMode = 'due' | 'now';

/**
 * A run stopped by the service worker (or the browser) is not waited for: the alarm wakes the
 * background then and the run starts again.
 */
const WATCHDOG_MS = 2 * 60_000;

class AccessError extends Error {
  override name = 'AccessError';
}

class AnotherStudyError extends Error {
  override name = 'AnotherStudyError';
}

/** The study's manifest now, refusing one of another study at the same address. */
async function sameStudy(client: CollectorClient, base: string, id: string): Promise<StudyManifest> {
  const manifest = await client.manifest(base);
  if (manifest.id !== id) throw new AnotherStudyError(t('studyErrorAnotherStudy', [manifest.name]));
  return manifest;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

type Hashed = PendingLine & { hash: string };

export function createUploader({ store, client, access, alarm, now, random = Math.random }: UploaderDeps) {
  let running: Promise<void> | null = null;
  let again: RunMode | null = null;
  /** Aborted when the participant pauses or withdraws: what is on its way is abandoned at once. */
  let controller = new AbortController();
  const at = () => now().toISOString();

  /** The failure as the participant reads it, and whether trying again later may help. */
  function describeFailure(error: unknown, when: string): { error: UploadError; retry: boolean; retryAfterSeconds: number } {
    if (error instanceof CollectorError) {
      const { failure } = error;
      if (failure.kind === 'refused' && failure.code === 'unauthorized') {
        return { error: { ...error.toUploadError(when), message: t('studyErrorUnauthorized', [failure.message]) }, retry: false, retryAfterSeconds: 0 };
      }
      return { error: error.toUploadError(when), retry: true, retryAfterSeconds: failure.kind === 'refused' ? failure.retryAfterSeconds : 0 };
    }
    if (error instanceof AccessError) return { error: { kind: 'permission', message: error.message, at: when }, retry: false, retryAfterSeconds: 0 };
    if (error instanceof AnotherStudyError) return { error: { kind: 'invalid-answer', message: error.message, at: when }, retry: false, retryAfterSeconds: 0 };
    return { error: { kind: 'other', message: error instanceof Error ? error.message : String(error), at: when }, retry: true, retryAfterSeconds: 0 };
  }

  /** Records a failed attempt and, where trying again may help, when the next one is due. */
  async function fail(error: unknown): Promise<void> {
    const when = now();
    const described = describeFailure(error, when.toISOString());
    const status = await store.setUploadStatus((current) => {
      const failures = current.failures + 1;
      const next = described.retry ? new Date(when.getTime() + retryDelay(failures, random, described.retryAfterSeconds)).toISOString() : null;
      return { ...current, lastError: described.error, failures, nextAttemptAt: next };
    });
    if (status.nextAttemptAt) await alarm.set(Date.parse(status.nextAttemptAt));
    else await alarm.clear();
  }

  async function succeed(): Promise<void> {
    await store.setUploadStatus((current) => ({ ...current, lastSuccessAt: at(), lastError: null, failures: 0, nextAttemptAt: null }));
    await alarm.clear();
  }

  /** Nothing more to do: no error stands, nothing waits. */
  async function settle(): Promise<void> {
    await store.setUploadStatus((current) => ({ ...current, lastError: null, failures: 0, nextAttemptAt: null }));
    await alarm.clear();
  }

  /**
   * Sends one batch. A batch the collector refuses as invalid or too large is sent again one
   * conversation at a time, so one it cannot take does not hold back the others; that one is
   * marked refused until it changes. Returns false when the study's consent changed (stop).
   */
  async function sendBatch(enrolled: Extract<Awaited<ReturnType<StudyStore['state']>>, { state: 'enrolled' }>, batch: Hashed[], signal: AbortSignal): Promise<boolean> {
    const body = submissionBody(enrolled.consent.version, batch.map((item) => item.line));
    try {
      const counts = await client.submit(enrolled.base, enrolled.token, body, signal);
      const counted = counts.added + counts.replaced + counts.unchanged;
      if (counted !== batch.length) {
        throw new CollectorError({ kind: 'invalid-answer', status: 200, message: t('studyErrorMiscounted', [counted, batch.length]) });
      }
      await store.markSent(batch satisfies SentLine[], at());
      return true;
    } catch (error) {
      if (!(error instanceof CollectorError) || error.failure.kind !== 'refused') throw error;
      const { code } = error.failure;
      if (code === 'consent_mismatch') {
        const next = await store.apply({ type: 'manifest', manifest: await sameStudy(client, enrolled.base, enrolled.manifest.id) });
        // The collector says the consent changed but its manifest does not: a failure, tried again later.
        if (mayUpload(next)) throw error;
        return false;
      }
      if (code !== 'invalid_request' && code !== 'payload_too_large') throw error;
      if (batch.length > 1) {
        for (const item of batch) {
          if (signal.aborted || !(await stillEnrolled(enrolled.participantId))) return false;
          if (!(await sendBatch(enrolled, [item], signal))) return false;
        }
        return true;
      }
      await store.markRefused(batch[0]!.conversationId, batch[0]!.hash, error.message, at());
      return true;
    }
  }

  const stillEnrolled = async (participantId: string) => {
    const state = await store.state();
    return mayUpload(state) && state.participantId === participantId;
  };

  async function deleteUploads(deletion: NonNullable<ReturnType<typeof pendingDeletion>>): Promise<void> {
    await alarm.set(now().getTime() + WATCHDOG_MS);
    try {
      if (!(await access.hasHostAccess(deletion.permission))) throw new AccessError(t('studyErrorNoDeleteAccess'));
      let conversations: number | null;
      try {
        conversations = (await client.deleteParticipant(deletion.base, deletion.token)).deletedConversations;
      } catch (error) {
        // The token is unknown: an earlier request deleted everything, and its answer was lost.
        if (!(error instanceof CollectorError && error.failure.kind === 'refused' && error.failure.code === 'unauthorized')) throw error;
        conversations = null;
      }
      await store.apply({ type: 'deleted', conversations, at: at() });
      await settle();
      await access.releaseAccess(deletion.permission);
    } catch (error) {
      await fail(error);
    }
  }

  async function attempt(mode: RunMode): Promise<void> {
    if (mode === 'due') {
      const { nextAttemptAt, lastError } = await store.uploadStatus();
      if (nextAttemptAt && Date.parse(nextAttemptAt) > now().getTime()) {
        // Waiting on a backoff: the alarm may have been lost (a browser restart), so set it again.
        await alarm.set(Date.parse(nextAttemptAt));
        return;
      }
      // A failure that trying again cannot mend (a permission taken back, an enrolment the study
      // no longer knows) waits for the participant, not for every start of the background.
      if (lastError && !nextAttemptAt) return;
    }
    const state = await store.state();
    const deletion = pendingDeletion(state);
    if (deletion) return deleteUploads(deletion);
    if (!mayUpload(state)) return alarm.clear();

    const pending: Hashed[] = await Promise.all((await store.pendingLines()).map(async (item) => ({ ...item, hash: await sha256Hex(item.line) })));
    // A conversation the collector refused goes again only once it changed.
    const toSend = pending.filter((item) => item.hash !== item.refusedHash);
    if (!toSend.length) return settle();

    await alarm.set(now().getTime() + WATCHDOG_MS);
    const { signal } = controller;
    try {
      if (!(await access.hasUploadAccess(state.permission))) {
        throw new AccessError(t('studyErrorNoUploadAccess'));
      }
      // The study as it is now: a new consent version stops everything before anything is sent.
      const current = await store.apply({ type: 'manifest', manifest: await sameStudy(client, state.base, state.manifest.id) });
      if (!mayUpload(current)) return settle();
      const { limits } = current.manifest;
      const { batches, tooLarge } = planBatches(toSend, limits, current.consent.version);
      for (const item of tooLarge) {
        await store.markRefused(item.conversationId, item.hash, t('studyErrorTooLarge', [limits.maxBodyBytes]), at());
      }
      for (const batch of batches) {
        // Paused or withdrawn since: nothing more is sent.
        if (signal.aborted || !(await stillEnrolled(current.participantId))) return;
        if (!(await sendBatch(current, batch, signal))) return settle();
      }
      await succeed();
    } catch (error) {
      if (signal.aborted) return;
      await fail(error);
    }
  }

  return {
    /**
     * Sends what waits (or the deletion asked for). One run at a time: a run asked for while one
     * is on its way follows it, so nothing approved meanwhile waits for the next alarm.
     */
    run(mode: RunMode): Promise<void> {
      if (running) {
        again = again === 'now' || mode === 'now' ? 'now' : 'due';
        return running;
      }
      running = (async () => {
        let next: RunMode | null = mode;
        while (next) {
          again = null;
          await attempt(next);
          next = again;
        }
      })().finally(() => {
        running = null;
      });
      return running;
    },
    /** Resolves once no run is on its way. */
    idle: (): Promise<void> => (running ?? Promise.resolve()).catch(() => undefined),
    /** Abandons what is on its way (a pause or a withdrawal): the request is aborted at once. */
    stop(): void {
      controller.abort();
      controller = new AbortController();
    },
  };
}

export type Uploader = ReturnType<typeof createUploader>;
