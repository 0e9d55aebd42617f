import { SPAN_KINDS, type Span } from './types';

const RANK = new Map(SPAN_KINDS.map((kind, index) => [kind, index]));

function beats(a: Span, b: Span): boolean {
  const la = a.end - a.start;
  const lb = b.end - b.start;
  if (la !== lb) return la > lb;
  return (RANK.get(a.kind) ?? 0) < (RANK.get(b.kind) ?? 0);
}

/**
 * Sorted, non-overlapping spans. Overlapping spans become one span covering all of them, so no
 * part of either is left visible; it takes the kind of the longest (ties: the more specific kind).
 * Touching spans stay apart: they are different values.
 */
export function normalizeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  let group: Span | undefined;
  let winner: Span | undefined;
  for (const span of sorted) {
    if (group && winner && span.start < group.end) {
      group.end = Math.max(group.end, span.end);
      if (beats(span, winner)) winner = span;
      continue;
    }
    if (group && winner) out.push({ ...group, kind: winner.kind });
    group = { ...span };
    winner = span;
  }
  if (group && winner) out.push({ ...group, kind: winner.kind });
  return out;
}

/** True when `index` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** Spans that fit `text` and never cut a character in half; the rest would garble a redaction. */
export function spansFit(text: string, spans: readonly Span[]): boolean {
  return spans.every(
    (span) =>
      span.end <= text.length && !splitsSurrogatePair(text, span.start) && !splitsSurrogatePair(text, span.end),
  );
}
