import { branchOf } from '@/utils/data/conversation-tree';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from '@/utils/data/records';
import type { RequestData } from '@/utils/protocol/requests';
import { createPlaceholders, valueKey } from '@/utils/redaction/placeholders';
import { normalizeSpans } from '@/utils/redaction/spans';
import { SPAN_KINDS, type Span, type SpanKind } from '@/utils/redaction/types';

// What the conversation view shows of redactions and suggestions, as pure functions of the
// stored records and the detectors' spans.

/** A message (`m:12`) or a thought (`t:5`): what a redaction is over. */
export type TargetKey = `m:${number}` | `t:${number}`;
export const messageTarget = (id: number): TargetKey => `m:${id}`;
export const thoughtTarget = (id: number): TargetKey => `t:${id}`;
export const targetRequest = (key: TargetKey): { messageId: number } | { thoughtId: number } =>
  key.startsWith('m:') ? { messageId: Number(key.slice(2)) } : { thoughtId: Number(key.slice(2)) };

/** A text the participant can redact: its words and what is redacted in them. */
export interface RedactableText {
  target: TargetKey;
  content: string;
  redactions: Span[];
}

/**
 * Every message and thought of the conversation in the order the export reads them: the branch
 * the participant ended on (each message, then its thoughts), then the other versions of turns.
 */
export function textsInExportOrder(conversation: ConversationRecord, messages: MessageRecord[], thoughts: ThoughtRecord[]): RedactableText[] {
  const branch = branchOf(conversation, messages);
  const onBranch = new Set(branch.map((m) => m.id));
  const others = messages.filter((m) => !onBranch.has(m.id)).sort((a, b) => a.order - b.order || a.id - b.id);
  const byMessage = new Map<number, ThoughtRecord[]>();
  for (const thought of [...thoughts].sort((a, b) => a.id - b.id)) byMessage.set(thought.messageId, [...(byMessage.get(thought.messageId) ?? []), thought]);
  return [...branch, ...others].flatMap((m) => [
    { target: messageTarget(m.id), content: m.content, redactions: normalizeSpans(m.redactions ?? []) },
    ...(byMessage.get(m.id) ?? []).map((t) => ({ target: thoughtTarget(t.id), content: t.content, redactions: normalizeSpans(t.redactions ?? []) })),
  ]);
}

/**
 * The placeholder of each stored redaction (in span order), numbered across the conversation as
 * the export numbers them, so `[NAME_2]` here is `[NAME_2]` in the file.
 */
export function placeholderLabels(texts: readonly RedactableText[]): Map<TargetKey, string[]> {
  const placeholders = createPlaceholders();
  return new Map(
    texts.map(({ target, content, redactions }) => [
      target,
      redactions.map((span) => placeholders.placeholderFor(span.kind, content.slice(span.start, span.end))),
    ]),
  );
}

/** A detector's suggestion the participant has neither accepted nor rejected. */
export interface Suggestion {
  id: string;
  target: TargetKey;
  start: number;
  end: number;
  kind: SpanKind;
  value: string;
}

const rejectionKey = (kind: SpanKind, value: string) => `${kind}\n${valueKey(kind, value)}`;

/**
 * The suggestions still open: what the detectors found, less what is already redacted (a
 * suggestion overlapping a redaction is covered by it) and less the values rejected in this
 * conversation (`rejected` as stored: values already in `valueKey` form).
 */
export function openSuggestions(
  texts: readonly RedactableText[],
  found: ReadonlyMap<string, readonly Span[]>,
  rejected: ReadonlyArray<{ kind: SpanKind; value: string }> = [],
): Suggestion[] {
  const rejectedKeys = new Set(rejected.map((r) => `${r.kind}\n${r.value}`));
  const open: Suggestion[] = [];
  for (const { target, content, redactions } of texts) {
    for (const span of found.get(content) ?? []) {
      if (span.end > content.length) continue;
      if (redactions.some((r) => r.start < span.end && r.end > span.start)) continue;
      const value = content.slice(span.start, span.end);
      if (rejectedKeys.has(rejectionKey(span.kind, value))) continue;
      open.push({ id: `${target}:${span.start}:${span.end}`, target, start: span.start, end: span.end, kind: span.kind, value });
    }
  }
  return open;
}

/** One value suggested in one or more places (compared as placeholders compare values). */
export interface SuggestedValue {
  kind: SpanKind;
  value: string;
  places: Suggestion[];
}

/** Open suggestions by kind (most specific first), then by value in the order they first appear. */
export function suggestionsByKind(suggestions: readonly Suggestion[]): Array<{ kind: SpanKind; values: SuggestedValue[] }> {
  const byKind = new Map<SpanKind, Map<string, SuggestedValue>>();
  for (const suggestion of suggestions) {
    let values = byKind.get(suggestion.kind);
    if (!values) byKind.set(suggestion.kind, (values = new Map()));
    const key = valueKey(suggestion.kind, suggestion.value);
    const entry = values.get(key);
    if (entry) entry.places.push(suggestion);
    else values.set(key, { kind: suggestion.kind, value: suggestion.value, places: [suggestion] });
  }
  return SPAN_KINDS.filter((kind) => byKind.has(kind)).map((kind) => ({ kind, values: [...byKind.get(kind)!.values()] }));
}

/** The `redact` request's items that accept these suggestions. */
export const acceptRequest = (suggestions: readonly Suggestion[]): RequestData<'redact'>['redactions'] =>
  suggestions.map(({ target, start, end, kind, value }) => ({ target: targetRequest(target), start, end, kind, value }));
