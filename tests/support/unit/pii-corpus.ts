import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SPAN_KINDS, spanKindSchema, spanSchema, type Span, type SpanKind } from '../../../utils/redaction';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
/** The corpus the detectors were tuned on, and snippets written afterwards that they never were. */
export const CORPORA = ['pii-corpus', 'pii-heldout'] as const;
export type CorpusName = (typeof CORPORA)[number];
export const corpusSource = (name: CorpusName) => path.join(FIXTURES, `${name}.txt`);
export const corpusJsonl = (name: CorpusName) => path.join(FIXTURES, `${name}.jsonl`);

/** The participant's "always redact" list the corpus is labeled with. */
export const CORPUS_CUSTOM = ['Bluebird', 'Kestrel Labs', 'Hollowmere'];

export const corpusEntrySchema = z.object({ text: z.string(), spans: z.array(spanSchema) });
export type CorpusEntry = z.infer<typeof corpusEntrySchema>;

const MARK = /⟦([a-z_]+):([^⟧]*)⟧/g;

/** The marked-up source (⟦kind:value⟧ spans, ⏎ line breaks, # comments) as corpus entries. */
export function parseCorpusSource(source: string): CorpusEntry[] {
  return source
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const marked = line.replaceAll('⏎', '\n');
      const spans: Span[] = [];
      let text = '';
      let last = 0;
      for (const match of marked.matchAll(MARK)) {
        text += marked.slice(last, match.index);
        const kind = spanKindSchema.parse(match[1]);
        spans.push({ start: text.length, end: text.length + match[2]!.length, kind });
        text += match[2];
        last = match.index + match[0].length;
      }
      return { text: text + marked.slice(last), spans };
    });
}

export function readCorpus(name: CorpusName = 'pii-corpus'): CorpusEntry[] {
  return readFileSync(corpusJsonl(name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => corpusEntrySchema.parse(JSON.parse(line)));
}

export interface KindScore {
  kind: SpanKind;
  labeled: number;
  found: number;
  /** Labels wholly inside one suggestion of their kind: nothing of the value is left visible. */
  covered: number;
  suggested: number;
  correct: number;
  precision: number;
  recall: number;
  coverage: number;
}

const overlaps = (a: Span, b: Span) => a.kind === b.kind && a.start < b.end && b.start < a.end;

/**
 * Precision and recall per kind. A suggestion is correct when it overlaps a labeled span of the
 * same kind; a label is found when a suggestion of its kind overlaps it. Overlap rather than exact
 * boundaries, because the review page shows a suggestion and the participant adjusts its edges.
 */
export function scoreCorpus(entries: readonly CorpusEntry[], find: (text: string) => Span[]): KindScore[] {
  const totals = new Map(SPAN_KINDS.map((kind) => [kind, { labeled: 0, found: 0, covered: 0, suggested: 0, correct: 0 }]));
  for (const entry of entries) {
    const suggested = find(entry.text);
    for (const label of entry.spans) {
      const total = totals.get(label.kind)!;
      total.labeled++;
      if (suggested.some((span) => overlaps(span, label))) total.found++;
      if (suggested.some((span) => span.kind === label.kind && span.start <= label.start && span.end >= label.end)) total.covered++;
    }
    for (const span of suggested) {
      const total = totals.get(span.kind)!;
      total.suggested++;
      if (entry.spans.some((label) => overlaps(span, label))) total.correct++;
    }
  }
  return SPAN_KINDS.map((kind) => {
    const total = totals.get(kind)!;
    return {
      kind,
      ...total,
      precision: total.suggested === 0 ? 1 : total.correct / total.suggested,
      recall: total.labeled === 0 ? 1 : total.found / total.labeled,
      coverage: total.labeled === 0 ? 1 : total.covered / total.labeled,
    };
  });
}
