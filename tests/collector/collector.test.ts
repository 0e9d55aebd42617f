import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletionResponseSchema,
  errorBodySchema,
  parseThoughtTraceJsonl,
  studyManifestSchema,
  submissionResponseSchema,
  type ErrorCode,
} from '@thoughttrace/format';
import type { RunningCollector } from '../../collector/src/server.js';
import { openStorage } from '../../collector/src/storage/open.js';
import { postgres, sqlite, type TestDatabase } from '../support/collector/backends.js';
import {
  ADMIN_TOKEN,
  CHROME_ORIGIN,
  CONSENT_VERSION,
  EXAMPLE_LINES,
  Participant,
  copyOf,
  examples,
  exportAll,
  startTestCollector,
  type ConfigOverrides,
} from '../support/collector/client.js';

// Both storage backends answer the same protocol: every case below runs against each, through a
// real server on a real port. PostgreSQL may be missing on a developer's machine (the cases are
// skipped, with the reason); in CI they fail instead.
for (const backend of [sqlite, postgres]) {
  const run = backend.problem && !process.env.CI ? describe.skip : describe;
  if (backend.problem && !process.env.CI) console.warn(`${backend.name} collector tests skipped: ${backend.problem}`);

  run(`collector on ${backend.name}`, () => {
    let db: TestDatabase;
    let collector: RunningCollector;
    const open: RunningCollector[] = [];

    const start = async (overrides: ConfigOverrides = {}) => {
      const started = await startTestCollector(db.database, overrides);
      open.push(started);
      return started;
    };
    const storedCount = async () =>
      Number((await db.rows<{ n: number | string }>('SELECT count(*) AS n FROM conversations'))[0]!.n);

    beforeEach(async () => {
      if (backend.problem) throw new Error(backend.problem);
      db = await backend.create();
      collector = await start();
    });
    afterEach(async () => {
      for (const c of open.splice(0)) await c.close();
      await db?.drop();
    });

    async function expectError(response: Response, status: number, code: ErrorCode) {
      expect(response.status).toBe(status);
      const body = errorBodySchema.parse(await response.json());
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
      return body.error.message;
    }

    it('describes the study, with its consent version and limits', async () => {
      const manifest = studyManifestSchema.parse(await (await fetch(`${collector.url}/v1/study`)).json());
      expect(manifest.consent.version).toBe(CONSENT_VERSION);
      expect(manifest.limits).toEqual({ maxBatchRecords: 20, maxBodyBytes: 1024 * 1024 });
    });

    it('enrols a participant with random credentials and keeps only a hash of the token', async () => {
      const a = await Participant.enrol(collector.url);
      const b = await Participant.enrol(collector.url);
      expect(a.id).not.toBe(b.id);
      expect(a.token).not.toBe(b.token);
      const stored = await db.rows<{ token_hash: string }>('SELECT token_hash FROM participants');
      expect(stored).toHaveLength(2);
      for (const { token_hash } of stored) {
        expect(token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect([a.token, b.token]).not.toContain(token_hash);
      }
    });

    it('refuses enrolment under another consent version, or with a malformed body', async () => {
      const enrol = (body: string) =>
        fetch(`${collector.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(await expectError(await enrol(JSON.stringify({ consentVersion: 1 })), 409, 'consent_mismatch')).toMatch(
        /version 2/,
      );
      await expectError(await enrol('{"consentVersion":'), 400, 'invalid_request');
      await expectError(await enrol(JSON.stringify({ consentVersion: 2, extra: true })), 400, 'invalid_request');
      expect(await db.rows('SELECT id FROM participants')).toEqual([]);
    });

    it('stores a batch once: sent again it is unchanged, edited it replaces the earlier version', async () => {
      const participant = await Participant.enrol(collector.url);
      const [first, second, third] = examples();

      const sent = await participant.submit([first, second]);
      expect(sent.status).toBe(200);
      expect(submissionResponseSchema.parse(await sent.json())).toEqual({ added: 2, replaced: 0, unchanged: 0 });

      const again = await participant.submit([first, second]);
      expect(await again.json()).toEqual({ added: 0, replaced: 0, unchanged: 2 });

      const edited = copyOf(second!, second!.id, { task_summary: 'Planning a trip, edited later' });
      const mixed = await participant.submit([first, edited, third]);
      expect(await mixed.json()).toEqual({ added: 1, replaced: 1, unchanged: 1 });
      expect(await storedCount()).toBe(3);

      const lines = parseThoughtTraceJsonl(await (await exportAll(collector.url)).text());
      expect(lines.conversations.find((c) => c.id === second!.id)?.task_summary).toBe('Planning a trip, edited later');
    });

    it('stores nothing of a batch with one bad record, and names the record', async () => {
      const participant = await Participant.enrol(collector.url);
      const [kept] = examples();
      await participant.submit([kept]);

      const batch: unknown[] = examples().slice(1, 6);
      const bad = structuredClone(batch[3]) as { messages: { reasons?: { label: string }[] }[] };
      bad.messages[0]!.reasons![0] = { ...bad.messages[0]!.reasons![0]!, label: 'curiosity' };
      batch[3] = bad;
      const edit = copyOf(kept!, kept!.id, { task_summary: 'should not be stored' });
      const message = await expectError(await participant.submit([edit, ...batch]), 400, 'invalid_request');
      expect(message).toContain('records[4].messages[0].reasons[0].label');

      expect(await storedCount()).toBe(1);
      const [line] = (await (await exportAll(collector.url)).text()).split('\n');
      expect(line).toBe(JSON.stringify(kept));
    });

    it('rolls back a batch that fails part-way in the database, leaving the earlier version', async () => {
      const storage = await openStorage(db.database);
      try {
        await storage.enrol({ id: 'p1', tokenHash: 'h1', consentVersion: CONSENT_VERSION });
        const line = (id: string, text: string) => ({ id, line: text, createdAtMs: 1 });
        expect(await storage.submit('p1', CONSENT_VERSION, [line('a', 'first')])).toEqual({ added: 1, replaced: 0, unchanged: 0 });
        // A NULL creation time breaks a NOT NULL column after the first two rows were written.
        const broken = { id: 'c', line: 'third', createdAtMs: null as unknown as number };
        await expect(storage.submit('p1', CONSENT_VERSION, [line('a', 'edited'), line('b', 'second'), broken])).rejects.toThrow();
        expect(await db.rows('SELECT conversation_id, line FROM conversations')).toEqual([{ conversation_id: 'a', line: 'first' }]);
      } finally {
        await storage.close();
      }
    });

    it('refuses a batch that repeats a conversation id, or carries more records than the study allows', async () => {
      const participant = await Participant.enrol(collector.url);
      const [one] = examples();
      expect(await expectError(await participant.submit([one, one]), 400, 'invalid_request')).toMatch(/twice/);
      const many = Array.from({ length: 21 }, (_, i) => copyOf(one!, `copy-${i}`));
      expect(await expectError(await participant.submit(many), 400, 'invalid_request')).toMatch(/at most 20/);
      await expectError(await participant.submit([]), 400, 'invalid_request');
      expect(await storedCount()).toBe(0);
    });

    it('refuses uploads under a consent version that is not the current one', async () => {
      const participant = await Participant.enrol(collector.url);
      const message = await expectError(await participant.submit(examples().slice(0, 2), 1), 409, 'consent_mismatch');
      expect(message).toMatch(/consent is at version 2, not 1/);
      expect(await storedCount()).toBe(0);
    });

    it('refuses requests without a valid token, and never takes one kind of token for the other', async () => {
      const participant = await Participant.enrol(collector.url);
      const body = JSON.stringify({ consentVersion: CONSENT_VERSION, records: examples().slice(0, 1) });
      const post = (headers: Record<string, string>) =>
        fetch(`${collector.url}/v1/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
      expect(await expectError(await post({}), 401, 'unauthorized')).toMatch(/Authorization header is required/);
      await expectError(await post({ authorization: participant.token }), 401, 'unauthorized');
      await expectError(await post({ authorization: 'Bearer not-a-real-token' }), 401, 'unauthorized');
      await expectError(await post({ authorization: `Bearer ${ADMIN_TOKEN}` }), 401, 'unauthorized');
      await expectError(await exportAll(collector.url, participant.token), 401, 'unauthorized');
      await expectError(
        await fetch(`${collector.url}/v1/participant`, { method: 'DELETE', headers: { authorization: 'Bearer nobody' } }),
        401,
        'unauthorized',
      );
      expect(await storedCount()).toBe(0);
    });

    it("keeps each participant's data apart: same conversation id, separate records, deletions of one's own only", async () => {
      const alice = await Participant.enrol(collector.url);
      const bob = await Participant.enrol(collector.url);
      const [shared, alicesOnly] = examples();

      await alice.submit([shared, alicesOnly]);
      const bobs = copyOf(shared!, shared!.id, { task_summary: "Bob's own version" });
      expect(await (await bob.submit([bobs])).json()).toEqual({ added: 1, replaced: 0, unchanged: 0 });

      // Bob cannot reach Alice's conversation, and cannot tell it exists.
      await expectError(await bob.deleteConversation(alicesOnly!.id), 404, 'not_found');
      expect(deletionResponseSchema.parse(await (await bob.deleteConversation(shared!.id)).json())).toEqual({
        deletedConversations: 1,
      });
      expect(await (await bob.withdraw()).json()).toEqual({ deletedConversations: 0 });

      const left = parseThoughtTraceJsonl(await (await exportAll(collector.url)).text()).conversations;
      expect(left.map((c) => c.id).sort()).toEqual([shared!.id, alicesOnly!.id].sort());
      expect(left.find((c) => c.id === shared!.id)?.task_summary).toBe(shared!.task_summary);
    });

    it('refuses an oversized body, by its declared length or as it streams, and stores nothing', async () => {
      const small = await start({ limits: { maxBatchRecords: 20, maxBodyBytes: 50_000 } });
      const participant = await Participant.enrol(small.url);
      const big = examples().slice(0, 5);
      expect(JSON.stringify(big).length).toBeGreaterThan(50_000);
      expect(await expectError(await participant.submit(big), 413, 'payload_too_large')).toMatch(/50000 bytes/);

      // Streamed without a Content-Length, it is cut off once past the limit.
      const body = new TextEncoder().encode(JSON.stringify({ consentVersion: CONSENT_VERSION, records: big }));
      const streamed = await fetch(`${small.url}/v1/submissions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${participant.token}`, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < body.length; i += 16_384) controller.enqueue(body.subarray(i, i + 16_384));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      await expectError(streamed, 413, 'payload_too_large');
      expect(await storedCount()).toBe(0);
    });

    it('limits requests per participant token and enrolments per address', async () => {
      const limited = await start({ rateLimit: { requests: 3, windowSeconds: 60 } });
      const alice = await Participant.enrol(limited.url);
      const bob = await Participant.enrol(limited.url);
      const [one] = examples();
      for (let i = 0; i < 3; i++) expect((await alice.submit([one])).status).toBe(200);
      const refused = await alice.submit([copyOf(one!, 'over-the-limit')]);
      await expectError(refused.clone(), 429, 'rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await bob.submit([one])).status).toBe(200);

      await Participant.enrol(limited.url);
      await expect(Participant.enrol(limited.url)).rejects.toThrow(/429/);
      expect(await storedCount()).toBe(2);
    });

    it('deletes one conversation, then everything, and the token stops working', async () => {
      const participant = await Participant.enrol(collector.url);
      const batch = examples().slice(0, 4);
      await participant.submit(batch);

      expect(await (await participant.deleteConversation(batch[0]!.id)).json()).toEqual({ deletedConversations: 1 });
      await expectError(await participant.deleteConversation(batch[0]!.id), 404, 'not_found');
      expect(await storedCount()).toBe(3);

      expect(await (await participant.withdraw()).json()).toEqual({ deletedConversations: 3 });
      expect(await storedCount()).toBe(0);
      expect(await db.rows('SELECT id FROM participants')).toEqual([]);
      await expectError(await participant.submit(batch), 401, 'unauthorized');
    });

    it('exports the whole dataset as ThoughtTrace JSONL that round-trips every example exactly', async () => {
      const alice = await Participant.enrol(collector.url);
      const bob = await Participant.enrol(collector.url);
      const all = examples();
      // Keys in another order than the release's: the export still writes the release's order.
      const shuffled = all.slice(6).map((c) => Object.fromEntries(Object.entries(c).reverse()));
      expect((await alice.submit(all.slice(0, 6))).status).toBe(200);
      expect((await bob.submit(shuffled)).status).toBe(200);

      const response = await exportAll(collector.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const text = await response.text();
      expect(text.endsWith('\n')).toBe(true);
      const parsed = parseThoughtTraceJsonl(text);
      expect(parsed.errors).toEqual([]);
      expect(parsed.conversations).toHaveLength(12);

      const lines = text.trimEnd().split('\n');
      const expected = new Map(EXAMPLE_LINES.map((line) => [JSON.parse(line).id as string, JSON.stringify(JSON.parse(line))]));
      for (const line of lines) expect(line).toBe(expected.get(JSON.parse(line).id));
      const created = parsed.conversations.map((c) => Date.parse(c.created_at));
      expect(created).toEqual([...created].sort((a, b) => a - b));
    });

    it('answers CORS only for the configured extension origin', async () => {
      const preflight = (origin: string) =>
        fetch(`${collector.url}/v1/submissions`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
      const allowed = await preflight(CHROME_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(CHROME_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

      for (const origin of ['https://chatgpt.com', 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba', 'moz-extension://0b8e5f4e-3c1d-4a59-9e5e-0f1c2d3e4f5a']) {
        expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
      }
      // A page's simple request (no preflight) cannot pass for JSON: it is refused and stores nothing.
      const simple = await fetch(`${collector.url}/v1/enrol`, {
        method: 'POST',
        headers: { origin: 'https://chatgpt.com', 'content-type': 'text/plain' },
        body: JSON.stringify({ consentVersion: CONSENT_VERSION }),
      });
      await expectError(simple, 400, 'invalid_request');
      expect(await db.rows('SELECT id FROM participants')).toEqual([]);

      // Error answers carry the header too, so the extension can read why.
      const refused = await fetch(`${collector.url}/v1/participant`, { method: 'DELETE', headers: { origin: CHROME_ORIGIN } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(CHROME_ORIGIN);
    });
  });
}
