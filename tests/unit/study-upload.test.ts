import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrolmentResponse, StudyManifest, SubmissionResponse } from '@thoughttrace/format';
import { openDb, type ThoughtTraceDb } from '../../utils/data/db';
import { readUploadStatus, type StudyState } from '../../utils/data/study';
import { toUploadLine } from '../../utils/data/upload-record';
import type { Store } from '../../utils/background/store';
import { studyStore } from '../../utils/background/store/study';
import { createStudy, type Study } from '../../utils/background/study';
import { CollectorError, collectorClient, type CollectorClient, type Fetch } from '../../utils/background/study/client';
import { retryDelay } from '../../utils/background/study/backoff';
import { recordingStore } from '../support/unit/store';

// Uploading what the participant approved, against a collector the test plays: what is sent,
// what is marked uploaded, what a failure leaves for the next attempt, and that every answer is
// checked against the protocol before it counts.

const BASE = 'http://127.0.0.1:8787';
const TOKEN = 'secret-token-'.padEnd(43, 'x');

const manifest = (version = 1, limits = { maxBatchRecords: 2, maxBodyBytes: 100_000 }): StudyManifest => ({
  id: 'unit-study',
  name: 'Unit study',
  researchers: ['Lab'],
  contact: 'lab@example.org',
  consent: { version, text: `Version ${version}` },
  collected: ['conversations you approve'],
  retention: 'A year.',
  limits,
});

/** A collector the test scripts: each call answers from the queue, or by default as a healthy one would. */
class FakeCollector implements CollectorClient {
  manifestNow = manifest();
  bodies: string[] = [];
  stored = new Map<string, string>();
  failures: CollectorError[] = [];
  /** Called while a submission is on its way, before it answers. */
  duringSubmit: (() => Promise<void>) | null = null;
  deleted = 0;

  async manifest() {
    return this.manifestNow;
  }
  async enrol(_base: string, consentVersion: number): Promise<EnrolmentResponse> {
    if (consentVersion !== this.manifestNow.consent.version) {
      throw new CollectorError({ kind: 'refused', status: 409, code: 'consent_mismatch', message: 'consent changed', retryAfterSeconds: 0 });
    }
    return { participantId: 'participant-1', token: TOKEN };
  }
  async submit(_base: string, token: string, body: string, signal?: AbortSignal): Promise<SubmissionResponse> {
    expect(token).toBe(TOKEN);
    this.bodies.push(body);
    await this.duringSubmit?.();
    signal?.throwIfAborted();
    const failure = this.failures.shift();
    if (failure) throw failure;
    const { consentVersion, records } = JSON.parse(body) as { consentVersion: number; records: { id: string }[] };
    if (consentVersion !== this.manifestNow.consent.version) {
      throw new CollectorError({ kind: 'refused', status: 409, code: 'consent_mismatch', message: 'consent changed', retryAfterSeconds: 0 });
    }
    const counts = { added: 0, replaced: 0, unchanged: 0 };
    for (const record of records) {
      const line = JSON.stringify(record);
      const before = this.stored.get(record.id);
      counts[before === undefined ? 'added' : before === line ? 'unchanged' : 'replaced']++;
      this.stored.set(record.id, line);
    }
    return counts;
  }
  async deleteParticipant() {
    this.deleted++;
    const deletedConversations = this.stored.size;
    this.stored.clear();
    return { deletedConversations };
  }
}

const refused = (status: number, code: 'internal' | 'invalid_request' | 'unauthorized' | 'rate_limited', retryAfterSeconds = 0) =>
  new CollectorError({ kind: 'refused', status, code, message: `refused with ${code}`, retryAfterSeconds });

let db: ThoughtTraceDb;
let store: Store;
let collector: FakeCollector;
let study: Study;
let clock: Date;
let alarm: number | null;
let access: { host: boolean; upload: boolean; released: string[] };
let counter = 0;

beforeEach(async () => {
  db = openDb(`study-upload-${Date.now()}-${++counter}`);
  clock = new Date('2026-04-01T10:00:00.000Z');
  const now = () => new Date(clock);
  store = await recordingStore(db, now);
  collector = new FakeCollector();
  alarm = null;
  access = { host: true, upload: true, released: [] };
  study = createStudy({
    store: studyStore({ db, now, openConversations: async () => [] }),
    client: collector,
    access: {
      hasHostAccess: async () => access.host,
      hasUploadAccess: async () => access.upload,
      releaseAccess: async (permission) => void access.released.push(permission),
    },
    alarm: {
      set: async (when) => void (alarm = when),
      clear: async () => void (alarm = null),
    },
    now,
    random: () => 1,
  });
});
afterEach(async () => {
  await study.idle();
  db.close();
  await db.delete();
});

/** A captured conversation with one exchange and a reason, approved for upload unless told. */
async function conversation(prompt: string, approve = true): Promise<string> {
  const user = await store.handle('recordMessage', {
    site: 'chatgpt', conversationId: null, siteConversationId: crypto.randomUUID(), title: prompt, modelName: 'GPT-5.4',
    role: 'user', content: prompt, siteMessageId: null,
  });
  if (!user.captured) throw new Error('not captured');
  await store.handle('addThought', { messageId: user.messageId, kind: 'reason', content: `Because of ${prompt}`, label: '' });
  await store.handle('recordMessage', {
    site: 'chatgpt', conversationId: user.conversationId, siteConversationId: null, title: prompt, modelName: 'GPT-5.4',
    role: 'assistant', content: `Reply to ${prompt}`, siteMessageId: null,
  });
  if (approve) await db.conversations.update(user.conversationId, { review: 'reviewed' });
  clock = new Date(clock.getTime() + 1000);
  return user.conversationId;
}

async function previewLine(conversationId: string): Promise<string> {
  const record = (await db.conversations.get(conversationId))!;
  return toUploadLine(
    record,
    await db.messages.where('conversationId').equals(conversationId).toArray(),
    await db.thoughts.where('conversationId').equals(conversationId).toArray(),
    null,
  );
}

const state = async () => (await db.study.get('state'))?.value as StudyState | undefined;
const status = async () => readUploadStatus((await db.study.get('uploads'))?.value);
const review = async (id: string) => (await db.conversations.get(id))?.review;

/** Joins, and waits for the upload that joining starts. */
async function join(version = 1) {
  await study.handle('lookUpStudy', { address: BASE });
  await study.handle('joinStudy', { consentVersion: version });
  await study.whenDue();
}

describe('joining', () => {
  it('shows the study looked up and enrols only once the participant agrees to its consent version', async () => {
    const id = await conversation('Plan a trip');
    await study.handle('lookUpStudy', { address: `${BASE}/` });
    expect((await db.study.get('offer'))?.value).toMatchObject({ base: BASE, permission: 'http://127.0.0.1/*', manifest: { id: 'unit-study' } });
    expect(await state()).toBeUndefined();
    expect(collector.bodies).toEqual([]);

    await expect(study.handle('joinStudy', { consentVersion: 2 })).rejects.toThrow(/not the one the study asks for/);
    expect(await state()).toBeUndefined();

    await study.handle('joinStudy', { consentVersion: 1 });
    await study.run('now');
    expect(await state()).toMatchObject({ state: 'enrolled', participantId: 'participant-1', consent: { version: 1, at: clock.toISOString() } });
    expect(await db.study.get('offer')).toBeUndefined();
    expect(collector.stored.size).toBe(1);
    expect(await review(id)).toBe('uploaded');
  });

  it('shows the new text, and enrols no one, when the consent changed while the participant read it', async () => {
    await study.handle('lookUpStudy', { address: BASE });
    collector.manifestNow = manifest(2);
    await expect(study.handle('joinStudy', { consentVersion: 1 })).rejects.toThrow(/changed its consent while you were reading/);
    expect(await state()).toBeUndefined();
    expect((await db.study.get('offer'))?.value).toMatchObject({ manifest: { consent: { version: 2 } } });
    await study.handle('joinStudy', { consentVersion: 2 });
    expect(await state()).toMatchObject({ state: 'enrolled', consent: { version: 2 } });
  });

  it('refuses an address it was not allowed to reach, and one the browser did not let it send to', async () => {
    access.host = false;
    await expect(study.handle('lookUpStudy', { address: BASE })).rejects.toThrow(/not allowed to reach 127.0.0.1:8787/);
    access.host = true;
    await study.handle('lookUpStudy', { address: BASE });
    access.upload = false;
    await expect(study.handle('joinStudy', { consentVersion: 1 })).rejects.toThrow(/did not allow/);
    expect(await state()).toBeUndefined();
    await expect(study.handle('lookUpStudy', { address: 'http://collector.example.org' })).rejects.toThrow(/https/);
  });

  it('gives every conversation a fresh upload id on each enrolment, so two studies cannot link them', async () => {
    const id = await conversation('Plan a trip');
    const before = (await db.conversations.get(id))!.uploadId;
    await join();
    const first = (await db.conversations.get(id))!.uploadId;
    expect(first).not.toBe(before);
    await study.handle('withdrawFromStudy', { deleteUploads: false });
    await join();
    const second = (await db.conversations.get(id))!.uploadId;
    expect(second).not.toBe(first);
    // Approved for the earlier enrolment only: asked again for this one.
    expect(await review(id)).toBeUndefined();
  });
});

describe('uploading', () => {
  it('sends exactly the preview’s lines, in batches within the study’s limits, and marks each uploaded', async () => {
    const ids = [await conversation('One'), await conversation('Two'), await conversation('Three')];
    const waiting = await conversation('Not approved', false);
    await join();
    expect(collector.bodies).toHaveLength(2);
    const sent = collector.bodies.flatMap((body) => (JSON.parse(body) as { records: unknown[] }).records.map((r) => JSON.stringify(r)));
    expect(sent).toEqual(await Promise.all(ids.map(previewLine)));
    expect(collector.bodies[0]).toBe(`{"consentVersion":1,"records":[${sent[0]},${sent[1]}]}`);
    for (const id of ids) expect(await review(id)).toBe('uploaded');
    expect(await review(waiting)).toBeUndefined();
    expect(await status()).toMatchObject({ lastSuccessAt: clock.toISOString(), lastError: null, failures: 0, nextAttemptAt: null });
    expect(alarm).toBeNull();
    // Nothing excluded or unapproved left the browser.
    expect(collector.bodies.join('')).not.toContain('Not approved');
  });

  it('keeps everything after a failure, schedules the next attempt by the backoff, and sends once when the study answers again', async () => {
    const id = await conversation('Flaky');
    collector.failures.push(refused(500, 'internal'));
    await join();
    expect(await review(id)).toBe('reviewed');
    const failed = await status();
    expect(failed).toMatchObject({ failures: 1, lastError: { kind: 'refused', code: 'internal', at: clock.toISOString() } });
    expect(failed.nextAttemptAt).toBe(new Date(clock.getTime() + retryDelay(1, () => 1)).toISOString());
    expect(alarm).toBe(Date.parse(failed.nextAttemptAt!));

    // The alarm before it is due does nothing; at its time, it sends.
    await study.whenDue();
    expect(collector.bodies).toHaveLength(1);
    collector.failures.push(new CollectorError({ kind: 'network', message: 'offline' }));
    clock = new Date(Date.parse(failed.nextAttemptAt!));
    await study.whenDue();
    expect(await status()).toMatchObject({ failures: 2, lastError: { kind: 'network' } });
    expect(Date.parse((await status()).nextAttemptAt!) - clock.getTime()).toBe(retryDelay(2, () => 1));

    await study.handle('uploadNow', undefined);
    await study.whenDue();
    expect(await review(id)).toBe('uploaded');
    expect(collector.stored.size).toBe(1);
    expect(await status()).toMatchObject({ failures: 0, lastError: null, nextAttemptAt: null });
  });

  it('waits as long as the collector’s Retry-After says', async () => {
    await conversation('Busy');
    collector.failures.push(refused(429, 'rate_limited', 900));
    await join();
    expect(Date.parse((await status()).nextAttemptAt!) - clock.getTime()).toBe(900_000);
  });

  it('sends an edited conversation again under the same id, replacing the copy', async () => {
    const id = await conversation('Edit me');
    await join();
    const uploadId = (await db.conversations.get(id))!.uploadId;
    const thought = (await db.thoughts.where('conversationId').equals(id).first())!;
    await store.handle('updateThought', { id: thought.id, content: 'A better reason', label: '' });
    expect(await review(id)).toBe('changed');
    await study.run('now');
    expect(collector.bodies).toHaveLength(1);
    await store.handle('setReviewState', { conversationId: id, state: 'reviewed' });
    await study.run('now');
    expect(collector.bodies).toHaveLength(2);
    expect(collector.stored.size).toBe(1);
    expect(collector.stored.get(uploadId)).toBe(await previewLine(id));
    expect(collector.stored.get(uploadId)).toContain('A better reason');
    expect(await review(id)).toBe('uploaded');
  });

  it('keeps a conversation edited while its upload was on the way approved, and sends the new version', async () => {
    const id = await conversation('Racing');
    const thought = (await db.thoughts.where('conversationId').equals(id).first())!;
    collector.duringSubmit = async () => {
      collector.duringSubmit = null;
      await store.handle('updateThought', { id: thought.id, content: 'Edited mid-upload', label: '' });
    };
    await join();
    expect(collector.bodies).toHaveLength(2);
    expect(collector.bodies[1]).toContain('Edited mid-upload');
    expect(await review(id)).toBe('uploaded');
    expect([...collector.stored.values()]).toEqual([await previewLine(id)]);
  });

  it('sends a batch the collector refuses one conversation at a time, and holds back only the one it cannot take', async () => {
    const [a, b] = [await conversation('Good'), await conversation('Bad')];
    collector.failures.push(refused(400, 'invalid_request'), refused(400, 'invalid_request'));
    // The batch, then "Good" alone (refused again), then "Bad" alone.
    await join();
    expect(collector.bodies).toHaveLength(3);
    expect(await review(a)).toBe('reviewed');
    expect(await review(b)).toBe('uploaded');
    expect((await db.uploads.get(a))?.refused?.message).toBe('refused with invalid_request');
    // Refused as it is: not sent again until it changes.
    await study.run('now');
    expect(collector.bodies).toHaveLength(3);
    const thought = (await db.thoughts.where('conversationId').equals(a).first())!;
    await store.handle('updateThought', { id: thought.id, content: 'Fixed', label: '' });
    await study.run('now');
    expect(await review(a)).toBe('uploaded');
  });

  it('stops at a new consent version and asks again before anything more is sent', async () => {
    await conversation('Before');
    await join();
    collector.manifestNow = manifest(2);
    const later = await conversation('After');
    await study.run('now');
    expect(await state()).toMatchObject({ state: 'consent-changed', offered: { consent: { version: 2 } } });
    expect(collector.bodies).toHaveLength(1);
    expect(await review(later)).toBe('reviewed');
    await study.handle('agreeToConsent', { consentVersion: 2 });
    await study.run('now');
    expect(JSON.parse(collector.bodies[1]!).consentVersion).toBe(2);
    expect(await review(later)).toBe('uploaded');
  });

  it('learns of a new consent version from a 409 and stops too', async () => {
    await join();
    const id = await conversation('Mid-change');
    // The manifest changes between the run's look at it and the submission.
    collector.duringSubmit = async () => {
      collector.manifestNow = manifest(2);
    };
    await study.run('now');
    expect(await state()).toMatchObject({ state: 'consent-changed' });
    expect(await review(id)).toBe('reviewed');
    expect((await status()).lastError).toBeNull();
  });

  it('stops trying by itself when the study no longer knows the enrolment', async () => {
    const id = await conversation('Forgotten');
    collector.failures.push(refused(401, 'unauthorized'));
    await join();
    expect(await review(id)).toBe('reviewed');
    expect(await status()).toMatchObject({ nextAttemptAt: null, lastError: { kind: 'refused', code: 'unauthorized', message: expect.stringMatching(/Withdraw, then join again/) } });
    expect(alarm).toBeNull();
  });

  it('forgets what a conversation sent when it is deleted here, and never deletes anything itself', async () => {
    const [kept, gone] = [await conversation('Kept'), await conversation('Gone')];
    await join();
    expect(await db.uploads.count()).toBe(2);
    await store.handle('deleteConversation', { id: gone });
    expect(await db.uploads.get(gone)).toBeUndefined();
    expect(await db.uploads.get(kept)).toBeDefined();
    // What the study received stays there.
    expect(collector.stored.size).toBe(2);
    await store.handle('deleteAllData', { confirm: 'DELETE' });
    expect(await db.uploads.count()).toBe(0);
  });

  it('takes no answer outside the protocol for a success', async () => {
    const id = await conversation('Counted');
    collector.submit = async () => ({ added: 0, replaced: 0, unchanged: 0 });
    await join();
    expect(await review(id)).toBe('reviewed');
    expect(await status()).toMatchObject({ failures: 1, lastError: { kind: 'invalid-answer' } });
  });

  it('sends nothing while paused or without the browser’s permission, and nothing more once withdrawn', async () => {
    await join();
    await study.handle('pauseStudy', undefined);
    const id = await conversation('While paused');
    await study.run('now');
    expect(collector.bodies).toHaveLength(0);
    await study.handle('resumeStudy', undefined);
    access.upload = false;
    await study.run('now');
    expect(collector.bodies).toHaveLength(0);
    expect(await status()).toMatchObject({ lastError: { kind: 'permission' }, nextAttemptAt: null });
    access.upload = true;
    await study.run('now');
    expect(await review(id)).toBe('uploaded');

    // Withdrawing while a batch is on its way abandons it.
    const late = await conversation('Too late');
    collector.duringSubmit = () => study.handle('withdrawFromStudy', { deleteUploads: false });
    await study.run('now');
    expect(await state()).toMatchObject({ state: 'withdrawn', uploads: { fate: 'kept' } });
    expect(await review(late)).toBe('reviewed');
    expect(access.released).toEqual(['http://127.0.0.1/*']);
    collector.duringSubmit = null;
    await study.run('now');
    expect(collector.bodies).toHaveLength(2);
  });

  it('deletes what was uploaded when withdrawing, retrying until the study confirms', async () => {
    const id = await conversation('Delete me');
    await join();
    collector.deleteParticipant = async () => {
      throw new CollectorError({ kind: 'network', message: 'offline' });
    };
    await study.handle('withdrawFromStudy', { deleteUploads: true });
    await study.run('now');
    expect(await state()).toMatchObject({ state: 'withdrawn', uploads: { fate: 'requested' } });
    expect(alarm).not.toBeNull();
    collector.deleteParticipant = FakeCollector.prototype.deleteParticipant.bind(collector);
    clock = new Date(alarm!);
    await study.whenDue();
    expect(await state()).toMatchObject({ state: 'withdrawn', uploads: { fate: 'deleted', conversations: 1 } });
    expect(collector.stored.size).toBe(0);
    expect(await review(id)).toBeUndefined();
    expect(JSON.stringify(await db.study.toArray())).not.toContain(TOKEN);
    expect(access.released).toEqual(['http://127.0.0.1/*']);
    // Nothing local was deleted.
    expect(await db.conversations.get(id)).toBeDefined();
  });
});

describe('the collector’s answers', () => {
  const client = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const fetchImpl: Fetch = async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
    return collectorClient(fetchImpl);
  };
  const failureOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    return (error as CollectorError).failure;
  };

  it('take a valid answer and nothing else for a success', async () => {
    expect(await client(200, { added: 1, replaced: 0, unchanged: 2 }).submit(BASE, TOKEN, '{}')).toEqual({ added: 1, replaced: 0, unchanged: 2 });
    expect(await failureOf(client(200, { added: 1 }).submit(BASE, TOKEN, '{}'))).toMatchObject({ kind: 'invalid-answer', status: 200 });
    expect(await failureOf(client(200, '<html>proxy error</html>').submit(BASE, TOKEN, '{}'))).toMatchObject({ kind: 'invalid-answer' });
    expect(await failureOf(client(201, { added: 1, replaced: 0, unchanged: 0 }).submit(BASE, TOKEN, '{}'))).toMatchObject({ kind: 'invalid-answer', status: 201 });
    expect(await failureOf(client(200, { ...manifest(), consent: { version: 0, text: 'x' } }).manifest(BASE))).toMatchObject({ kind: 'invalid-answer' });
    expect(await failureOf(client(201, { participantId: 'p', token: 'short' }).enrol(BASE, 1))).toMatchObject({ kind: 'invalid-answer' });
  });

  it('read the protocol’s error body, with Retry-After', async () => {
    const body = { error: { code: 'rate_limited', message: 'too many requests' } };
    expect(await failureOf(client(429, body, { 'retry-after': '12' }).submit(BASE, TOKEN, '{}'))).toEqual({
      kind: 'refused', status: 429, code: 'rate_limited', message: 'too many requests', retryAfterSeconds: 12,
    });
    expect(await failureOf(client(500, { error: { code: 'teapot', message: 'x' } }).submit(BASE, TOKEN, '{}'))).toMatchObject({ kind: 'invalid-answer', status: 500 });
    expect(await failureOf(client(502, 'Bad Gateway').submit(BASE, TOKEN, '{}'))).toMatchObject({ kind: 'invalid-answer', status: 502 });
  });

  it('tell an unreachable study apart, and send the token, the body and nothing of the browser’s', async () => {
    const offline = collectorClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await failureOf(offline.manifest(BASE))).toMatchObject({ kind: 'network' });
    let seen: { url: string; init: RequestInit } | null = null;
    await collectorClient(async (url, init) => {
      seen = { url, init };
      return new Response(JSON.stringify({ added: 1, replaced: 0, unchanged: 0 }), { status: 200 });
    }).submit(BASE, TOKEN, '{"x":1}');
    expect(seen!.url).toBe(`${BASE}/v1/submissions`);
    expect(seen!.init).toMatchObject({
      method: 'POST',
      body: '{"x":1}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  });
});
