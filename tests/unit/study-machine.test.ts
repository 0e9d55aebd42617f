import { describe, expect, it } from 'vitest';
import type { StudyManifest, StudyState } from '../../utils/data/study';
import { mayUpload, pendingDeletion, StudyTransitionError, transition, type StudyEvent } from '../../utils/background/study/machine';
import { parseStudyAddress } from '../../utils/study/address';
import { RETRY_BASE_MS, RETRY_MAX_MS, retryDelay } from '../../utils/background/study/backoff';
import { planBatches, submissionBody, utf8Bytes } from '../../utils/background/study/batches';

// The study's states, the batches an upload is split into, and when a failed upload is retried:
// the pure parts of taking part in a study.

const manifest = (version = 1, id = 'flat-study'): StudyManifest => ({
  id,
  name: 'Flat hunting study',
  researchers: ['Dr A. Researcher'],
  contact: 'study@example.org',
  consent: { version, text: `Consent text, version ${version}` },
  collected: ['your reviewed conversations'],
  retention: 'Two years.',
  limits: { maxBatchRecords: 10, maxBodyBytes: 10_000 },
});
const offer = { base: 'https://collector.example.org', permission: 'https://collector.example.org/*', manifest: manifest(), fetchedAt: '2026-04-01T10:00:00.000Z' };
const AT = '2026-04-02T09:00:00.000Z';
const TOKEN = 't'.repeat(43);

const enrol: StudyEvent = { type: 'enrol', offer, participantId: 'p-1', token: TOKEN, at: AT };
const notEnrolled: StudyState = { state: 'not-enrolled' };
const enrolled = transition(notEnrolled, enrol);
const paused = transition(enrolled, { type: 'pause', at: AT });
const consentChanged = transition(enrolled, { type: 'manifest', manifest: manifest(2) });
const withdrawnKept = transition(enrolled, { type: 'withdraw', deleteUploads: false, at: AT });
const withdrawnRequested = transition(enrolled, { type: 'withdraw', deleteUploads: true, at: AT });
const withdrawnDeleted = transition(withdrawnRequested, { type: 'deleted', conversations: 3, at: AT });

const ALL: Record<string, StudyState> = { notEnrolled, enrolled, paused, consentChanged, withdrawnKept, withdrawnRequested, withdrawnDeleted };

const EVENTS: Record<string, StudyEvent> = {
  enrol,
  pause: { type: 'pause', at: AT },
  resume: { type: 'resume' },
  manifest: { type: 'manifest', manifest: manifest(1) },
  agree: { type: 'agree', version: 2, at: AT },
  withdraw: { type: 'withdraw', deleteUploads: false, at: AT },
  'request-deletion': { type: 'request-deletion', at: AT },
  deleted: { type: 'deleted', conversations: 0, at: AT },
};

/** Which events each state takes; every other pair must be refused. */
const ALLOWED: Record<string, string[]> = {
  notEnrolled: ['enrol'],
  enrolled: ['pause', 'manifest', 'withdraw'],
  paused: ['resume', 'withdraw'],
  consentChanged: ['manifest', 'agree', 'withdraw'],
  withdrawnKept: ['enrol', 'request-deletion'],
  withdrawnRequested: ['deleted'],
  withdrawnDeleted: ['enrol'],
};

describe('the study states', () => {
  it('joining records the consent version and time agreed to, and only then uploads', () => {
    expect(mayUpload(notEnrolled)).toBe(false);
    expect(enrolled).toMatchObject({ state: 'enrolled', participantId: 'p-1', token: TOKEN, consent: { version: 1, at: AT }, base: offer.base });
    expect(mayUpload(enrolled)).toBe(true);
  });

  it('pausing stops uploads until resumed', () => {
    expect(paused.state).toBe('paused');
    expect(mayUpload(paused)).toBe(false);
    expect(transition(paused, { type: 'resume' })).toEqual(enrolled);
  });

  it('a new consent version stops uploads until the participant agrees to exactly it', () => {
    expect(consentChanged).toMatchObject({ state: 'consent-changed', consent: { version: 1 }, offered: { consent: { version: 2 } } });
    expect(mayUpload(consentChanged)).toBe(false);
    expect(() => transition(consentChanged, { type: 'agree', version: 3, at: AT })).toThrow(StudyTransitionError);
    const agreed = transition(consentChanged, { type: 'agree', version: 2, at: '2026-04-03T00:00:00.000Z' });
    expect(agreed).toMatchObject({ state: 'enrolled', consent: { version: 2, at: '2026-04-03T00:00:00.000Z' }, manifest: { consent: { version: 2 } } });
    expect(mayUpload(agreed)).toBe(true);
  });

  it('the same consent version refreshes the rest of the manifest without asking', () => {
    const wider = { ...manifest(1), limits: { maxBatchRecords: 50, maxBodyBytes: 20_000 } };
    expect(transition(enrolled, { type: 'manifest', manifest: wider })).toEqual({ ...enrolled, manifest: wider });
  });

  it('an address that now serves another study is refused', () => {
    expect(() => transition(enrolled, { type: 'manifest', manifest: manifest(1, 'another-study') })).toThrow(/another study/);
  });

  it('withdrawing stops uploads and keeps the token only while a deletion may still be asked for', () => {
    for (const state of [enrolled, paused, consentChanged]) {
      const withdrawn = transition(state, { type: 'withdraw', deleteUploads: false, at: AT });
      expect(withdrawn).toMatchObject({ state: 'withdrawn', withdrawnAt: AT, uploads: { fate: 'kept', token: TOKEN } });
      expect(mayUpload(withdrawn)).toBe(false);
    }
    expect(pendingDeletion(withdrawnKept)).toBeNull();
    expect(pendingDeletion(withdrawnRequested)).toEqual({ base: offer.base, permission: offer.permission, token: TOKEN });
    const asked = transition(withdrawnKept, { type: 'request-deletion', at: AT });
    expect(pendingDeletion(asked)).toEqual({ base: offer.base, permission: offer.permission, token: TOKEN });
    expect(withdrawnDeleted).toMatchObject({ uploads: { fate: 'deleted', conversations: 3 } });
    expect(JSON.stringify(withdrawnDeleted)).not.toContain(TOKEN);
  });

  it('joining again after withdrawing is a new enrolment, but not while a deletion is still to be sent', () => {
    const again: StudyEvent = { ...enrol, participantId: 'p-2', token: 'u'.repeat(43) };
    expect(transition(withdrawnDeleted, again)).toMatchObject({ state: 'enrolled', participantId: 'p-2' });
    expect(transition(withdrawnKept, again)).toMatchObject({ state: 'enrolled', participantId: 'p-2' });
    expect(() => transition(withdrawnRequested, again)).toThrow(StudyTransitionError);
  });

  it('refuses every other event in every state', () => {
    for (const [stateName, state] of Object.entries(ALL)) {
      for (const [eventName, event] of Object.entries(EVENTS)) {
        const allowed = ALLOWED[stateName]!.includes(eventName);
        const attempt = () => transition(state, event);
        if (allowed) expect(attempt, `${eventName} while ${stateName}`).not.toThrow();
        else expect(attempt, `${eventName} while ${stateName}`).toThrow(StudyTransitionError);
      }
    }
  });
});

describe('study addresses', () => {
  it('takes https anywhere and plain http only on this machine, asking for the one host', () => {
    expect(parseStudyAddress(' https://collector.example.org/study/ ')).toEqual({
      base: 'https://collector.example.org/study',
      permission: 'https://collector.example.org/*',
    });
    expect(parseStudyAddress('https://collector.example.org:8443?x=1#y')).toEqual({
      base: 'https://collector.example.org:8443',
      permission: 'https://collector.example.org/*',
    });
    expect(parseStudyAddress('http://127.0.0.1:8787')).toEqual({ base: 'http://127.0.0.1:8787', permission: 'http://127.0.0.1/*' });
    expect(parseStudyAddress('http://localhost:8787/')).toEqual({ base: 'http://localhost:8787', permission: 'http://localhost/*' });
    expect(parseStudyAddress('http://collector.example.org')).toEqual({ problem: 'insecure' });
    expect(parseStudyAddress('http://127.0.0.1.example.org')).toEqual({ problem: 'insecure' });
    expect(parseStudyAddress('https://me:secret@collector.example.org')).toEqual({ problem: 'credentials' });
    expect(parseStudyAddress('collector.example.org')).toEqual({ problem: 'invalid' });
    expect(parseStudyAddress('ftp://collector.example.org')).toEqual({ problem: 'invalid' });
  });
});

describe('batches within the study’s limits', () => {
  const line = (id: string, size: number) => ({ id, line: `{"id":"${id}","pad":"${'x'.repeat(size)}"}` });
  const bodyBytes = (batch: { line: string }[]) => utf8Bytes(submissionBody(3, batch.map((b) => b.line)));

  it('keeps order, at most maxBatchRecords each and at most maxBodyBytes of body, counting UTF-8 bytes', () => {
    const items = Array.from({ length: 23 }, (_, i) => line(`c${i}`, 40 + (i % 5) * 30));
    // Multi-byte characters count as the collector counts them.
    items.push({ id: 'emoji', line: `{"id":"emoji","pad":"${'😀'.repeat(60)}"}` });
    const limits = { maxBatchRecords: 4, maxBodyBytes: 600 };
    const { batches, tooLarge } = planBatches(items, limits, 3);
    expect(tooLarge).toEqual([]);
    expect(batches.flat().map((b) => b.id)).toEqual(items.map((b) => b.id));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(4);
      expect(bodyBytes(batch)).toBeLessThanOrEqual(600);
    }
    // Filled greedily: a batch is closed only when the next line would not fit.
    for (let i = 0; i < batches.length - 1; i++) {
      const next = batches[i + 1]![0]!;
      if (batches[i]!.length < 4) expect(bodyBytes([...batches[i]!, next])).toBeGreaterThan(600);
    }
  });

  it('sets aside a line too large for any submission and sends the rest', () => {
    const { batches, tooLarge } = planBatches([line('a', 10), line('huge', 700), line('b', 10)], { maxBatchRecords: 10, maxBodyBytes: 300 }, 1);
    expect(tooLarge.map((b) => b.id)).toEqual(['huge']);
    expect(batches.map((batch) => batch.map((b) => b.id))).toEqual([['a', 'b']]);
  });

  it('builds the body from the lines as they are', () => {
    const body = submissionBody(7, ['{"id":"a"}', '{"id":"b"}']);
    expect(body).toBe('{"consentVersion":7,"records":[{"id":"a"},{"id":"b"}]}');
    expect(JSON.parse(body)).toEqual({ consentVersion: 7, records: [{ id: 'a' }, { id: 'b' }] });
  });
});

describe('retrying with backoff', () => {
  it('doubles from 30 s up to an hour, jittered between half and all of it, never under 30 s', () => {
    const low = (failures: number) => retryDelay(failures, () => 0);
    const high = (failures: number) => retryDelay(failures, () => 1);
    expect([1, 2, 3, 4, 5].map(high)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect([1, 2, 3, 4, 5].map(low)).toEqual([30_000, 30_000, 60_000, 120_000, 240_000]);
    expect(high(20)).toBe(RETRY_MAX_MS);
    expect(low(20)).toBe(RETRY_MAX_MS / 2);
    for (let failures = 1; failures < 30; failures++) expect(low(failures)).toBeGreaterThanOrEqual(RETRY_BASE_MS);
  });

  it('waits at least as long as the collector’s Retry-After', () => {
    expect(retryDelay(1, () => 0, 600)).toBe(600_000);
    expect(retryDelay(8, () => 1, 5)).toBe(RETRY_MAX_MS);
  });
});
