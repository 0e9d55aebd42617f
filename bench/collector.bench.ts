// Collector ingestion: 2,155 conversations made from the 12 public examples, uploaded over HTTP in
// batches to a real collector on SQLite and on PostgreSQL, one after the other in one run.
// `npm run bench:collector` (PostgreSQL from `bash .ci/postgres`); figures go to bench/RESULTS.md.
import { appendFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { enrolmentResponseSchema, submissionResponseSchema, type ThoughtTraceConversation } from '@thoughttrace/format';
import { configSchema } from '../collector/src/config.js';
import { startCollector } from '../collector/src/server.js';
import { POSTGRES_URL, postgres, sqlite, type Backend } from '../tests/support/collector/backends.js';

const TOTAL = 2155;
const SCENARIOS = [
  { name: 'first upload, 10 a batch', batch: 10, resend: false },
  { name: 'first upload, 25 a batch', batch: 25, resend: false },
  { name: 'first upload, 100 a batch', batch: 100, resend: false },
  { name: 'sent again (all unchanged), 100 a batch', batch: 100, resend: true },
];

const examples: ThoughtTraceConversation[] = readFileSync(
  new URL('../../shared/data/thoughttrace-examples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

/** New ids, same shape: conversation i is example i mod 12 under a fresh id. */
const conversations = Array.from({ length: TOTAL }, (_, i) => ({ ...examples[i % examples.length]!, id: randomUUID() }));
const bytes = conversations.reduce((n, c) => n + JSON.stringify(c).length, 0);

interface Measure {
  recordsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(backend: Backend, batch: number, resend: boolean): Promise<Measure> {
  const db = await backend.create();
  const collector = await startCollector(
    configSchema.parse({
      study: {
        id: 'bench',
        name: 'Collector benchmark',
        researchers: ['Benchmark'],
        contact: 'bench@example.org',
        consent: { version: 1, text: 'Benchmark data only.' },
        collected: ['generated conversations'],
        retention: 'Deleted after the run.',
      },
      limits: { maxBatchRecords: 100, maxBodyBytes: 64 * 1024 * 1024 },
      rateLimit: { requests: 1_000_000, windowSeconds: 60 },
      adminToken: 'bench-admin-token-0123456789abcdefghijklmnop',
      database: db.database,
      port: 0,
    }),
  );
  try {
    const enrol = await fetch(`${collector.url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consentVersion: 1 }),
    });
    const { token } = enrolmentResponseSchema.parse(await enrol.json());
    const upload = async (records: ThoughtTraceConversation[]) => {
      const response = await fetch(`${collector.url}/v1/submissions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ consentVersion: 1, records }),
      });
      if (response.status !== 200) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
      return submissionResponseSchema.parse(await response.json());
    };
    const batches = Array.from({ length: Math.ceil(TOTAL / batch) }, (_, i) => conversations.slice(i * batch, (i + 1) * batch));
    // Warm-up and, for the re-send, the first upload: neither is timed.
    await upload(examples.map((c) => ({ ...c, id: `warm-up-${c.id}` })));
    if (resend) for (const b of batches) await upload(b);

    const latencies: number[] = [];
    const started = performance.now();
    let counted = 0;
    for (const b of batches) {
      const t = performance.now();
      const counts = await upload(b);
      latencies.push(performance.now() - t);
      counted += resend ? counts.unchanged : counts.added;
    }
    const seconds = (performance.now() - started) / 1000;
    if (counted !== TOTAL) throw new Error(`expected ${TOTAL} conversations counted, got ${counted}`);
    latencies.sort((a, b) => a - b);
    return { recordsPerSecond: TOTAL / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: batches.length };
  } finally {
    await collector.close();
    await db.drop();
  }
}

if (postgres.problem) throw new Error(postgres.problem);
const versions = {
  sqlite: (new Database(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
  postgres: await (async () => {
    const client = new pg.Client(POSTGRES_URL);
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    return rows[0]!.server_version;
  })(),
};

// The machine may be shared with other runs: the load says how much to trust the figures.
const loadBefore = loadavg()[0]!;
const rows: string[] = [];
for (const scenario of SCENARIOS) {
  const results: Measure[] = [];
  for (const backend of [sqlite, postgres]) {
    const result = await measure(backend, scenario.batch, scenario.resend);
    console.log(`${backend.name.padEnd(10)} ${scenario.name}: ${result.recordsPerSecond.toFixed(0)} records/s, p99 ${result.p99.toFixed(1)} ms`);
    results.push(result);
  }
  const [s, p] = results as [Measure, Measure];
  rows.push(
    `| ${scenario.name} | ${s.requests} | ${s.recordsPerSecond.toFixed(0)} | ${p.recordsPerSecond.toFixed(0)} | ${s.p50.toFixed(1)} ms | ${p.p50.toFixed(1)} ms | ${s.p99.toFixed(1)} ms | ${p.p99.toFixed(1)} ms |`,
  );
}

const section = `
## Collector ingestion over HTTP

Command: \`bash .ci/postgres && npm run bench:collector\`

Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, SQLite ${versions.sqlite} (WAL, one file), PostgreSQL ${versions.postgres} (local, Debian defaults). ${TOTAL} conversations made from the 12 examples (${(bytes / 1024 / 1024).toFixed(1)} MiB of JSON), uploaded by one participant, one request at a time, to the collector on 127.0.0.1; each request is validated in full with the format's schemas and stored in one transaction. Latency is per request (whole batch), from the client. Load average (1 min, 2 cores) ${loadBefore.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end.

| scenario | requests | SQLite records/s | PostgreSQL records/s | SQLite p50 | PostgreSQL p50 | SQLite p99 | PostgreSQL p99 |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

How to read: the re-send writes nothing (every conversation comes back \`unchanged\`), so the gap between it and a first upload is the cost of storing; the rest (HTTP, JSON parsing, full schema validation, the client's own JSON on the same cores) is shared by both backends. PostgreSQL writes each ~25 KB line through its WAL with a synchronous commit; SQLite writes one local file. A load average above 2 means other processes competed for the two cores: compare the backends within one run, not across runs.
`;
appendFileSync(new URL('./RESULTS.md', import.meta.url), section);
console.log(section);
