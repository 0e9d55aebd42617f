import { describe, expect, it } from 'vitest';
import { applySpans, createPlaceholders, findSpans, normalizeSpans, rebaseSpans, type Span } from '../../utils/redaction';

const at = (text: string, value: string, kind: Span['kind'], from = 0): Span => {
  const start = text.indexOf(value, from);
  if (start < 0) throw new Error(`${value} not in ${text}`);
  return { start, end: start + value.length, kind };
};
const values = (text: string, spans: Span[]) => spans.map((span) => [span.kind, text.slice(span.start, span.end)]);

describe('normalizeSpans', () => {
  it('sorts, and merges overlaps into one span of the longer kind', () => {
    expect(
      normalizeSpans([
        { start: 10, end: 20, kind: 'name' },
        { start: 0, end: 4, kind: 'email' },
        { start: 15, end: 30, kind: 'address' },
      ]),
    ).toEqual([
      { start: 0, end: 4, kind: 'email' },
      { start: 10, end: 30, kind: 'address' },
    ]);
  });

  it('breaks a tie in length by the more specific kind, whatever the input order', () => {
    const phone: Span = { start: 3, end: 14, kind: 'phone' };
    const id: Span = { start: 3, end: 14, kind: 'national_id' };
    expect(normalizeSpans([phone, id])).toEqual([id]);
    expect(normalizeSpans([id, phone])).toEqual([id]);
  });

  it('keeps touching spans apart', () => {
    expect(normalizeSpans([{ start: 0, end: 3, kind: 'name' }, { start: 3, end: 5, kind: 'name' }])).toHaveLength(2);
  });
});

describe('applySpans', () => {
  it('numbers placeholders per value, consistently across the messages of one conversation', () => {
    const placeholders = createPlaceholders();
    const first = 'Mail ana@example.org, then bo@example.net, then ANA@example.org again.';
    const second = 'Reply from bo@example.net to Ana Lima.';
    expect(applySpans(first, findSpans(first, { nlp: false }), placeholders)).toBe(
      'Mail [EMAIL_1], then [EMAIL_2], then [EMAIL_1] again.',
    );
    expect(applySpans(second, [at(second, 'bo@example.net', 'email'), at(second, 'Ana Lima', 'name')], placeholders)).toBe(
      'Reply from [EMAIL_2] to [NAME_1].',
    );
  });

  it('counts differently written phones and cards as one value', () => {
    const text = 'Call +44 20 7946 0958 or +44 (20) 7946-0958.';
    const spans = [at(text, '+44 20 7946 0958', 'phone'), at(text, '+44 (20) 7946-0958', 'phone')];
    expect(applySpans(text, spans, createPlaceholders())).toBe('Call [PHONE_1] or [PHONE_1].');
  });

  it('refuses a span of an unknown kind, as stored data might hold', () => {
    expect(() => applySpans('abc', [{ start: 0, end: 1, kind: 'pet' } as unknown as Span], createPlaceholders())).toThrow();
  });

  it('refuses a span that would cut an emoji in half', () => {
    const text = 'hi 👋 there';
    expect(() => applySpans(text, [{ start: 4, end: 6, kind: 'custom' }], createPlaceholders())).toThrow(RangeError);
  });
});

describe('rebaseSpans', () => {
  const before = 'I am Ana Lima 👋, mail ana@example.org or call +1 415-555-0134.';
  const spans = [at(before, 'Ana Lima', 'name'), at(before, 'ana@example.org', 'email'), at(before, '+1 415-555-0134', 'phone')];

  it('moves spans with the text around them', () => {
    const after = '🎉🎉 Hello! I am Ana Lima 👋👋, please mail ana@example.org or call +1 415-555-0134.';
    expect(values(after, rebaseSpans(before, after, spans))).toEqual(values(before, spans));
  });

  it('drops a span whose text was edited and keeps the others', () => {
    const after = 'I am Ana Lima 👋, mail ana.lima@example.org or call +1 415-555-0134.';
    expect(values(after, rebaseSpans(before, after, spans))).toEqual([
      ['name', 'Ana Lima'],
      ['phone', '+1 415-555-0134'],
    ]);
  });

  it('drops a span that had something inserted into it', () => {
    const after = before.replace('Ana Lima', 'Ana B. Lima');
    expect(values(after, rebaseSpans(before, after, spans)).map(([kind]) => kind)).toEqual(['email', 'phone']);
  });

  it('drops a span over an emoji that became another emoji sharing its high surrogate', () => {
    const text = 'wave 👋 here';
    const emoji = [at(text, '👋', 'custom')];
    expect(rebaseSpans(text, text.replace('👋', '👍'), emoji)).toEqual([]);
    const moved = '🙂 ' + text;
    expect(values(moved, rebaseSpans(text, moved, emoji))).toEqual([['custom', '👋']]);
  });

  it('handles edits on both sides of a span and deleting everything', () => {
    const after = 'Hi, I am Ana Lima, mail ana@example.org now.';
    expect(values(after, rebaseSpans(before, after, spans))).toEqual([
      ['name', 'Ana Lima'],
      ['email', 'ana@example.org'],
    ]);
    expect(rebaseSpans(before, '', spans)).toEqual([]);
  });

  it('keeps head and tail spans when the middle was rewritten beyond the diff bound', () => {
    const head = 'From ana@example.org: ';
    const tail = ' Call +1 415-555-0134.';
    const old = head + 'x'.repeat(3000) + tail;
    const changed = head + 'y'.repeat(3000) + tail;
    const kept = rebaseSpans(old, changed, [at(old, 'ana@example.org', 'email'), at(old, '+1 415-555-0134', 'phone')]);
    expect(values(changed, kept)).toEqual([
      ['email', 'ana@example.org'],
      ['phone', '+1 415-555-0134'],
    ]);
  });
});
