// Quality and speed of the redaction suggestions: `npm run -s bench:pii` prints a Markdown
// section for bench/RESULTS.md. Not part of `npm test`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findSpans, SPAN_KINDS, type FindOptions, type SpanKind } from '../utils/redaction';
import { CORPUS_CUSTOM, readCorpus, scoreCorpus } from '../tests/unit/support/pii-corpus';

const EXAMPLES = '/work/shared/data/thoughttrace-examples.jsonl';
const TARGET_BYTES = 5_000_000;
const exampleSchema = z.object({ messages: z.array(z.object({ content: z.string() })) });

const messages = readFileSync(EXAMPLES, 'utf8')
  .trimEnd()
  .split('\n')
  .flatMap((line) => exampleSchema.parse(JSON.parse(line)).messages.map((message) => message.content));
const uniqueBytes = messages.reduce((n, text) => n + Buffer.byteLength(text), 0);
// The example chats repeated to several MB; each message is scanned on its own, as the review
// page and the export do.
const large: string[] = [];
let largeBytes = 0;
while (largeBytes < TARGET_BYTES) {
  large.push(...messages);
  largeBytes += uniqueBytes;
}

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

function time(texts: readonly string[], options: FindOptions): Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const text of texts) findSpans(text, options);
  const used = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function best(runs: number, texts: readonly string[], options: FindOptions): Timing {
  time(messages, options);
  const timings = Array.from({ length: runs }, () => time(texts, options));
  return timings.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
}

const corpus = readCorpus();
const heldOut = readCorpus('pii-heldout');
const withNlp = scoreCorpus(corpus, (text) => findSpans(text, { custom: CORPUS_CUSTOM }));
const heldOutScores = scoreCorpus(heldOut, (text) => findSpans(text, { custom: CORPUS_CUSTOM }));
const withoutNlp = scoreCorpus(corpus, (text) => findSpans(text, { custom: CORPUS_CUSTOM, nlp: false }));
const fast = best(3, large, { nlp: false });
const full = best(1, large, {});
const perKind = new Map<SpanKind, number>(SPAN_KINDS.map((kind) => [kind, 0]));
for (const text of messages) for (const span of findSpans(text)) perKind.set(span.kind, perKind.get(span.kind)! + 1);

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
const rate = (seconds: number) => (largeBytes / 1e6 / seconds).toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
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
  `### Throughput on the example chats (${messages.length} messages, ${mb(uniqueBytes)} MB, repeated to ${mb(largeBytes)} MB, one \`findSpans\` call per message)`,
  '',
  '| pass | CPU time | MB/s (CPU) | wall time | MB/s (wall) |',
  '| --- | --- | --- | --- | --- |',
  `| patterns only (\`nlp: false\`), best of 3 | ${fast.cpuSeconds.toFixed(2)} s | ${rate(fast.cpuSeconds)} | ${fast.wallSeconds.toFixed(2)} s | ${rate(fast.wallSeconds)} |`,
  `| patterns + names and places (compromise) | ${full.cpuSeconds.toFixed(2)} s | ${rate(full.cpuSeconds)} | ${full.wallSeconds.toFixed(2)} s | ${rate(full.wallSeconds)} |`,
  '',
  `Suggestions on the unique example chats (unlabeled, real assistant replies; a rough view of what a participant would be shown): ${[...perKind].filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ')}.`,
  '',
];
process.stdout.write(out.join('\n'));
