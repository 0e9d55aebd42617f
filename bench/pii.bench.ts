// Quality and speed of the redaction suggestions: `npm run -s bench:pii` prints a Markdown
// section for bench/RESULTS.md. Not part of `npm test`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findSpans, findSpansIn, SPAN_KINDS, type FindOptions, type SpanKind } from '../utils/redaction';
import { CORPUS_CUSTOM, readCorpus, scoreCorpus } from '../tests/support/unit/pii-corpus';

const EXAMPLES = '/work/shared/data/thoughttrace-examples.jsonl';
const TARGET_BYTES = 5_000_000;
const exampleSchema = z.object({ messages: z.array(z.object({ content: z.string() })) });

const conversations = readFileSync(EXAMPLES, 'utf8')
  .trimEnd()
  .split('\n')
  .map((line) => exampleSchema.parse(JSON.parse(line)).messages.map((message) => message.content));
const messages = conversations.flat();
const uniqueBytes = messages.reduce((n, text) => n + Buffer.byteLength(text), 0);
// The example chats repeated to several MB.
const large: string[][] = [];
let largeBytes = 0;
while (largeBytes < TARGET_BYTES) {
  large.push(...conversations);
  largeBytes += uniqueBytes;
}

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

// Each message on its own (`findSpans`), or each conversation's messages together (`findSpansIn`).
function time(chats: readonly string[][], options: FindOptions, together: boolean): Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const chat of chats) {
    if (together) findSpansIn(chat, options);
    else for (const text of chat) findSpans(text, options);
  }
  const used = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function best(runs: number, options: FindOptions, together = false): Timing {
  time(conversations, options, together);
  const timings = Array.from({ length: runs }, () => time(large, options, together));
  return timings.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
}

const corpus = readCorpus();
const heldOut = readCorpus('pii-heldout');
const withNlp = scoreCorpus(corpus, (text) => findSpans(text, { custom: CORPUS_CUSTOM }));
const heldOutScores = scoreCorpus(heldOut, (text) => findSpans(text, { custom: CORPUS_CUSTOM }));
const withoutNlp = scoreCorpus(corpus, (text) => findSpans(text, { custom: CORPUS_CUSTOM, nlp: false }));
const fast = best(3, { nlp: false });
const full = best(3, {});
const fullTogether = best(3, {}, true);
const perKind = new Map<SpanKind, number>(SPAN_KINDS.map((kind) => [kind, 0]));
for (const text of messages) for (const span of findSpans(text)) perKind.set(span.kind, perKind.get(span.kind)! + 1);

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
const rate = (seconds: number) => (largeBytes / 1e6 / seconds).toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const row = (pass: string, t: Timing) =>
  `| ${pass} | ${t.cpuSeconds.toFixed(2)} s | ${rate(t.cpuSeconds)} | ${t.wallSeconds.toFixed(2)} s | ${rate(t.wallSeconds)} |`;
const [load] = (await import('node:os')).loadavg();

const out = [
  '',
  '## Redaction suggestions (utils/redaction)',
  '',
  'Command: `npm run -s bench:pii`',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one thread; load average ${load!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores while measuring (other jobs ran), so CPU time of this process is the figure to trust; wall time is given too.`,
  '',
  `### Quality on tests/fixtures/pii-corpus.jsonl (${corpus.length} snippets, ${corpus.reduce((n, e) => n + e.spans.length, 0)} labeled spans)`,
  '',
  'A suggestion is correct when it overlaps a labeled span of the same kind; "wholly covered" counts labels that one suggestion of their kind covers entirely (nothing of the value left visible). The detectors were tuned on this corpus, written by their author: these figures are upper bounds.',
  '',
  '| kind | labeled | suggested | precision | recall | wholly covered | recall without NLP |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...withNlp.map(
    (s, i) =>
      `| ${s.kind} | ${s.labeled} | ${s.suggested} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.coverage)} | ${pct(withoutNlp[i]!.recall)} |`,
  ),
  '',
  `### Quality on tests/fixtures/pii-heldout.jsonl (${heldOut.length} snippets, ${heldOut.reduce((n, e) => n + e.spans.length, 0)} labeled spans, written after tuning and never tuned on)`,
  '',
  'Few labels per kind, so each percentage is coarse; these are the figures to expect of new text.',
  '',
  '| kind | labeled | suggested | precision | recall | wholly covered |',
  '| --- | --- | --- | --- | --- | --- |',
  ...heldOutScores.map(
    (s) => `| ${s.kind} | ${s.labeled} | ${s.suggested} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.coverage)} |`,
  ),
  '',
  `### Throughput on the example chats (${conversations.length} conversations, ${messages.length} messages, ${mb(uniqueBytes)} MB, repeated to ${mb(largeBytes)} MB)`,
  '',
  '| pass | CPU time | MB/s (CPU) | wall time | MB/s (wall) |',
  '| --- | --- | --- | --- | --- |',
  row('patterns only (`nlp: false`), `findSpans` per message, best of 3', fast),
  row('patterns + names and places (compromise), `findSpans` per message, best of 3', full),
  row('patterns + names and places, `findSpansIn` per conversation, best of 3', fullTogether),
  '',
  `Suggestions on the unique example chats (unlabeled, real assistant replies; a rough view of what a participant would be shown): ${[...perKind].filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ')}.`,
  '',
];
process.stdout.write(out.join('\n'));
