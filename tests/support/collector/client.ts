import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema, type CollectorConfig } from '../../../collector/src/config.js';
import { startCollector, type RunningCollector } from '../../../collector/src/server.js';
import { enrolmentResponseSchema, type ThoughtTraceConversation } from '@thoughttrace/format';

export const ADMIN_TOKEN = 'test-admin-token-that-is-long-enough-0123456789';
export const CHROME_ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

// The repository is always checked out with ../shared beside it (CONTRACTS.md section 1).
export const EXAMPLE_LINES = readFileSync(path.resolve(__dirname, '../../../../shared/data/thoughttrace-examples.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
export const examples = (): ThoughtTraceConversation[] => EXAMPLE_LINES.map((line) => JSON.parse(line));

export type ConfigOverrides = Partial<Omit<CollectorConfig, 'study'>>;

/** A real collector on a real port (chosen by the system) over the given database. */
export function startTestCollector(database: string, overrides: ConfigOverrides = {}): Promise<RunningCollector> {
  return startCollector(
    configSchema.parse({
      study: {
        id: 'test-study',
        name: 'Collector test study',
        researchers: ['Test Lab'],
        contact: 'test@example.org',
        consent: { version: 2, text: 'You agree to share what you upload.' },
        collected: ['the conversations you upload, with your thoughts'],
        retention: 'Deleted when the tests end.',
      },
      limits: { maxBatchRecords: 20, maxBodyBytes: 1024 * 1024 },
      rateLimit: { requests: 1000, windowSeconds: 60 },
      allowedOrigins: [CHROME_ORIGIN],
      adminToken: ADMIN_TOKEN,
      database,
      port: 0,
      ...overrides,
    }),
  );
}

export const CONSENT_VERSION = 2;

/** A participant's side of the protocol, the way the extension will speak it. */
export class Participant {
  private constructor(
    private readonly url: string,
    readonly token: string,
    readonly id: string,
  ) {}

  static async enrol(url: string): Promise<Participant> {
    const response = await fetch(`${url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consentVersion: CONSENT_VERSION }),
    });
    if (response.status !== 201) throw new Error(`enrolment failed: ${response.status} ${await response.text()}`);
    const { participantId, token } = enrolmentResponseSchema.parse(await response.json());
    return new Participant(url, token, participantId);
  }

  submit(records: unknown[], consentVersion = CONSENT_VERSION) {
    return this.send('POST', '/v1/submissions', JSON.stringify({ consentVersion, records }));
  }

  deleteConversation(id: string) {
    return this.send('DELETE', `/v1/submissions/${encodeURIComponent(id)}`);
  }

  withdraw() {
    return this.send('DELETE', '/v1/participant');
  }

  send(method: string, route: string, body?: string) {
    return fetch(`${this.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
  }
}

export const exportAll = (url: string, token = ADMIN_TOKEN) =>
  fetch(`${url}/v1/admin/export`, { headers: { authorization: `Bearer ${token}` } });

/** Distinct copies of an example conversation, as another participant or a later edit would send. */
export const copyOf = (conversation: ThoughtTraceConversation, id: string, edit: Partial<ThoughtTraceConversation> = {}) => ({
  ...structuredClone(conversation),
  id,
  ...edit,
});
