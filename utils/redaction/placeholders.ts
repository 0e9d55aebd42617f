import { normalizeSpans, spansFit } from './spans';
import { spansSchema, type Span, type SpanKind } from './types';

/** Numbers placeholders per conversation: one instance is shared by all its messages and thoughts. */
export interface PlaceholderMap {
  /** `[EMAIL_1]`, `[NAME_2]`: the same value of the same kind always gets the same number. */
  placeholderFor(kind: SpanKind, value: string): string;
}

export function createPlaceholders(): PlaceholderMap {
  const numbers = new Map<SpanKind, Map<string, number>>();
  return {
    placeholderFor(kind, value) {
      let byValue = numbers.get(kind);
      if (!byValue) numbers.set(kind, (byValue = new Map()));
      const key = valueKey(kind, value);
      let number = byValue.get(key);
      if (number === undefined) byValue.set(key, (number = byValue.size + 1));
      return `[${kind.toUpperCase()}_${number}]`;
    },
  };
}

/**
 * What makes two values of a kind the same value: "+44 20 7946 0958" and "+44 (20) 7946-0958" are
 * one phone; "Anna" and "ANNA" one name. Placeholders and rejected suggestions compare by it.
 */
export function valueKey(kind: SpanKind, value: string): string {
  switch (kind) {
    case 'phone':
    case 'card':
    case 'iban':
    case 'national_id':
      return value.replace(/[^\p{L}\p{N}+]/gu, '').toUpperCase();
    default:
      return value.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();
  }
}

/** The text with each span replaced by its placeholder. */
export function applySpans(text: string, spans: readonly Span[], placeholders: PlaceholderMap): string {
  const normalized = normalizeSpans(spansSchema.parse(spans));
  if (!spansFit(text, normalized)) throw new RangeError('a span lies outside the text or splits a character');
  let out = '';
  let last = 0;
  for (const span of normalized) {
    out += text.slice(last, span.start) + placeholders.placeholderFor(span.kind, text.slice(span.start, span.end));
    last = span.end;
  }
  return out + text.slice(last);
}
