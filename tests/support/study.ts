import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../../collector/src/config.js';
import { startCollector, type RunningCollector } from '../../collector/src/server.js';
import { readProfile } from '../../utils/data/settings';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from '../../utils/data/records';
import { toUploadLine } from '../../utils/data/upload-record';

// What the study browser tests share: a real collector over a real SQLite file, its admin export,
// and the preview of what a conversation sends, computed from the extension's own database with
// the same function the review page's preview and the upload use.

export const STUDY_ADMIN_TOKEN = 'e2e-admin-token-that-is-long-enough-0123456789';
export const STUDY_NAME = 'Browser test study';

export interface StudyCollector {
  url: string;
  /** Starts it again over the same database with another consent version (the study changed its text). */
  restart(consentVersion: number): Promise<void>;
  /** `GET /v1/admin/export`: every stored line. */
  exportLines(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startStudyCollector(consentVersion = 1): Promise<StudyCollector> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tt-study-'));
  const start = (version: number) =>
    startCollector(
      configSchema.parse({
        study: {
          id: 'browser-test-study',
          name: STUDY_NAME,
          researchers: ['The ThoughtTrace test lab'],
          contact: 'study@example.org',
          consent: { version, text: `# Consent, version ${version}\n\nYou agree to share **the conversations you approve**.\n\n<script>alert(1)</script>\n\n![tracker](https://tracker.example/pixel.png)` },
          collected: ['the conversations you approve, with your thoughts'],
          retention: 'Deleted when the tests end.',
        },
        // Small batches, so a few conversations already make several submissions.
        limits: { maxBatchRecords: 2, maxBodyBytes: 1024 * 1024 },
        rateLimit: { requests: 10_000, windowSeconds: 60 },
        adminToken: STUDY_ADMIN_TOKEN,
        database: path.join(dir, 'collector.sqlite'),
        port: 0,
      }),
    );
  let running: RunningCollector = await start(consentVersion);
  const collector: StudyCollector = {
    url: running.url,
    async restart(version) {
      await running.close();
      running = await start(version);
      collector.url = running.url;
    },
    async exportLines() {
      const response = await fetch(`${running.url}/v1/admin/export`, { headers: { authorization: `Bearer ${STUDY_ADMIN_TOKEN}` } });
      if (response.status !== 200) throw new Error(`export failed: ${response.status}`);
      return (await response.text()).split('\n').filter(Boolean);
    },
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return collector;
}

/** The extension's database as an extension page reads it: what the preview is built from. */
export interface DatabaseDump {
  conversations: ConversationRecord[];
  messages: MessageRecord[];
  thoughts: ThoughtRecord[];
  settings: { key: string; value: unknown }[];
}

/** Runs in an extension page: every row of the tables the preview reads, straight from IndexedDB. */
export function dumpDatabase(): Promise<DatabaseDump> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('thoughttrace');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = ['conversations', 'messages', 'thoughts', 'settings'] as const;
      const tx = db.transaction([...names], 'readonly');
      const out: Record<string, unknown[]> = {};
      for (const name of names) {
        const request = tx.objectStore(name).getAll();
        request.onsuccess = () => {
          out[name] = request.result;
        };
      }
      tx.oncomplete = () => {
        db.close();
        resolve(out as unknown as DatabaseDump);
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/** What the preview shows for the conversation titled `title`: the line its upload sends. */
export function previewLine(dump: DatabaseDump, title: string): string {
  const conversation = dump.conversations.find((c) => c.title === title);
  if (!conversation) throw new Error(`no conversation titled ${title}`);
  const profile = readProfile(dump.settings.find((row) => row.key === 'profile')?.value);
  return toUploadLine(
    conversation,
    dump.messages.filter((m) => m.conversationId === conversation.id),
    dump.thoughts.filter((t) => t.conversationId === conversation.id),
    profile,
  );
}

/**
 * A request as the extension's pages send it (@webext-core/messaging's envelope), from an
 * extension page. For steps whose UI another part of the review page owns (approving a
 * conversation for upload).
 */
export function sendFromPage([type, data]: [string, unknown]): Promise<unknown> {
  type Runtime = { sendMessage(message: unknown): Promise<{ res?: unknown; err?: { message: string } } | undefined> };
  const scope = globalThis as unknown as { browser?: { runtime: Runtime }; chrome: { runtime: Runtime } };
  const runtime = (scope.browser ?? scope.chrome).runtime;
  return runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() }).then((reply) => {
    if (reply?.err) throw new Error(reply.err.message);
    return reply?.res;
  });
}
