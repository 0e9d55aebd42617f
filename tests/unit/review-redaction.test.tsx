import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedactableText, RedactionContext, type RedactionView } from '../../components/review/RedactableText';
import {
  acceptRequest,
  openSuggestions,
  placeholderLabels,
  suggestionsByKind,
  textsInExportOrder,
  type TargetKey,
} from '../../components/review/redaction-model';
import { selectedSpan, type Point } from '../../components/review/selection';
import { alignText, splitPieces, type Mark } from '../../components/review/source-map';
import { alwaysRedactList } from '../../components/review/SettingsPanel';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from '../../utils/data/records';
import { toThoughtTrace } from '../../utils/data/thoughttrace';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('rendered text mapped back to its Markdown source', () => {
  it('finds text that is in the source as it is', () => {
    expect(alignText('Globex', 'I work at **Globex**', 0, 20, false)).toEqual([{ text: 'Globex', start: 12, end: 18 }]);
    expect(alignText('missing', 'I work at **Globex**', 0, 20, false)).toBeNull();
  });

  it('takes character references and escapes whole, and skips what the rendering left out', () => {
    const source = 'Tom &amp; Jerry \\* &#128075;';
    expect(alignText('Tom & Jerry * 👋', source, 0, source.length, true)).toEqual([
      { text: 'Tom ', start: 0, end: 4 },
      { text: '&', start: 4, end: 9, atomic: true },
      { text: ' Jerry ', start: 9, end: 16 },
      { text: '*', start: 16, end: 18, atomic: true },
      { text: ' ', start: 18, end: 19 },
      { text: '👋', start: 19, end: 28, atomic: true },
    ]);
    // A quoted paragraph's second line, without its marker.
    const quote = '> first\n> second';
    expect(alignText('first\nsecond', quote, 2, quote.length, true)).toEqual([
      { text: 'first\n', start: 2, end: 8 },
      { text: 'second', start: 10, end: 16 },
    ]);
    // Text the source does not have is not guessed.
    expect(alignText('↩', quote, 0, quote.length, true)).toBeNull();
  });

  it('cuts pieces where redactions and suggestions begin and end', () => {
    const marks: Mark[] = [
      { type: 'redaction', id: 'r0', start: 2, end: 5, label: '[NAME_1]' },
      { type: 'suggestion', id: 's', start: 7, end: 9, label: 'name' },
    ];
    expect(splitPieces([{ text: 'abcdefghij', start: 0, end: 10 }], marks)).toEqual([
      { piece: { text: 'ab', start: 0, end: 2 } },
      { piece: { text: 'cde', start: 2, end: 5 }, mark: marks[0] },
      { piece: { text: 'fg', start: 5, end: 7 } },
      { piece: { text: 'hi', start: 7, end: 9 }, mark: marks[1] },
      { piece: { text: 'j', start: 9, end: 10 } },
    ]);
  });
});

describe('a selection on the review page as offsets in the original text', () => {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  const view = (marks: Mark[] = []): RedactionView => ({ marksFor: () => marks, activate: () => undefined, describe: (mark, text) => `${text} (${mark.type})` });

  function show(content: string, { markdown = true, marks = [] as Mark[] } = {}) {
    act(() =>
      root.render(
        <RedactionContext value={view(marks)}>
          <RedactableText target="m:1" content={content} markdown={markdown} />
        </RedactionContext>,
      ),
    );
    return container.querySelector('[data-redact-target]')!;
  }

  /** The point `offset` code units into the first shown text node that contains `text`, at its start (or, `after`, its end). */
  function at(element: Element, text: string, after = false, shift = 0): Point {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      const index = node.data.indexOf(text);
      if (index >= 0) return { node, offset: index + (after ? text.length : 0) + shift };
    }
    throw new Error(`no text node shows ${text}`);
  }

  it('maps a selection inside formatting, and one across it, to the source', () => {
    const source = 'I work at **Globex Corp** in Springfield.';
    const body = show(source);
    expect(body.querySelector('strong')?.textContent).toBe('Globex Corp');
    expect(selectedSpan(body, source, at(body, 'Globex'), at(body, 'Corp', true))).toEqual({ target: 'm:1', start: 12, end: 23 });
    expect(selectedSpan(body, source, at(body, 'work'), at(body, 'Corp', true))).toEqual({ target: 'm:1', start: 2, end: 23 });
    // Points between elements (a triple click ends at the start of the next block).
    const paragraph = body.querySelector('p')!;
    expect(selectedSpan(body, source, { node: paragraph, offset: 0 }, { node: body, offset: 1 })).toEqual({ target: 'm:1', start: 0, end: source.length });
  });

  it('maps lists, inline code, tables and character references', () => {
    const source = '- first `item`\n- Tom &amp; Jerry\n\n| a | b |\n| - | - |\n| Ana | 4 |';
    const body = show(source);
    expect(selectedSpan(body, source, at(body, 'item'), at(body, 'item', true))).toMatchObject({ start: 9, end: 13 });
    // Selecting the "&" takes its whole reference, so no "amp;" is left behind.
    expect(selectedSpan(body, source, at(body, '&'), at(body, '&', true))).toMatchObject({ start: 21, end: 26 });
    expect(body.textContent).toContain('Tom & Jerry');
    const ana = source.indexOf('Ana');
    expect(selectedSpan(body, source, at(body, 'Ana'), at(body, 'Ana', true))).toMatchObject({ start: ana, end: ana + 3 });
  });

  it('trims white space, never cuts an emoji in half, and takes a placeholder whole', () => {
    const source = 'Hi 👋 there, Ana Souza here';
    const name = source.indexOf('Ana Souza');
    const marks: Mark[] = [{ type: 'redaction', id: 'r0', start: name, end: name + 9, label: '[NAME_1]' }];
    const body = show(source, { markdown: false, marks });
    expect(body.textContent).toBe('Hi 👋 there, [NAME_1] here');
    // Between the halves of the emoji, with a space before it.
    expect(selectedSpan(body, source, at(body, 'Hi', false, 2), at(body, '👋', false, 1))).toMatchObject({ start: 3, end: 5 });
    // From inside the placeholder: the whole redaction.
    expect(selectedSpan(body, source, at(body, '[NAME_1]', false, 3), at(body, ' here', true))).toMatchObject({ start: name, end: source.length });
    expect(selectedSpan(body, source, at(body, 'Hi'), at(body, 'Hi', false, 0))).toBeNull();
  });

  it('refuses text whose source it cannot tell, rather than guess', () => {
    const source = 'A claim.[^1]\n\n[^1]: Source.';
    const body = show(source);
    const heading = [...body.querySelectorAll('h2')].find((h) => h.textContent === 'Footnotes')!;
    expect(heading.querySelector('[data-unmapped]')).not.toBeNull();
    expect(selectedSpan(body, source, at(heading, 'Foot'), at(heading, 'notes', true))).toEqual({ error: 'unmapped' });
  });

  it('shows raw HTML as text, gives javascript: links no address, loads no image, and hides a redacted link’s address', () => {
    const source = '<img src=x onerror=alert(1)> [go](javascript:alert(2)) ![pic](https://tracker.example/p.png) [site](https://ana.example/)';
    const at = source.indexOf('ana.example');
    const body = show(source, { marks: [{ type: 'redaction', id: 'r0', start: at, end: at + 11, label: '[URL_1]' }] });
    expect(body.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(body.querySelector('img')).toBeNull();
    const links = [...body.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([]);
    expect(body.textContent).toContain('go');
    expect(body.innerHTML).not.toContain('tracker.example');
    expect(body.innerHTML).not.toContain('ana.example');
  });
});

describe('the conversation view’s redactions and suggestions', () => {
  const conversation: ConversationRecord = {
    id: 'c',
    uploadId: '6f1c2a9e-3b7d-4e58-a0c4-9d2e7b1f5a36',
    site: 'chatgpt',
    siteConversationId: null,
    title: '',
    modelName: '',
    modelProvider: 'OpenAI',
    createdAt: '2026-04-01T10:00:00.000+00:00',
    updatedAt: '2026-04-01T10:00:00.000+00:00',
    taskSummary: '',
    taskExpectation: '',
    leafMessageId: 3,
  };
  const message = (id: number, content: string, redactions: MessageRecord['redactions'], parentId: number | null, order: number): MessageRecord => ({
    id,
    conversationId: 'c',
    role: order % 2 ? 'assistant' : 'user',
    content,
    timestamp: '2026-04-01T10:00:00.000Z',
    parentId,
    order,
    source: 'live',
    datasetId: 1000 + id,
    siteMessageId: null,
    redactions,
  });
  const messages = [
    message(1, 'Ana and Bo', [{ start: 0, end: 3, kind: 'name' }, { start: 8, end: 10, kind: 'name' }], null, 0),
    // Another version of the reply, not on the branch: numbered after it.
    message(4, 'Old reply to Cy', [{ start: 13, end: 15, kind: 'name' }], 1, 1),
    message(2, 'Hello Bo', [{ start: 6, end: 8, kind: 'name' }], 1, 1),
    message(3, 'Mail ana@example.org', [], 2, 2),
  ];
  const thoughts: ThoughtRecord[] = [
    { id: 7, conversationId: 'c', messageId: 1, kind: 'reason', content: 'ANA asked', label: '', createdAt: 'x', updatedAt: 'x', redactions: [{ start: 0, end: 3, kind: 'name' }] },
  ];
  const texts = textsInExportOrder(conversation, messages, thoughts);

  it('numbers placeholders as the export does, across messages and thoughts', () => {
    const labels = placeholderLabels(texts);
    expect([...labels]).toEqual([
      ['m:1', ['[NAME_1]', '[NAME_2]']],
      ['t:7', ['[NAME_1]']],
      ['m:2', ['[NAME_2]']],
      ['m:3', []],
      ['m:4', ['[NAME_3]']],
    ]);
    const exported = toThoughtTrace(conversation, messages, thoughts, null);
    expect(exported.messages.map((m) => m.content)).toEqual(['[NAME_1] and [NAME_2]', 'Hello [NAME_2]', 'Mail ana@example.org']);
    expect(exported.messages[0]!.type === 'user' && exported.messages[0]!.reasons[0]!.content).toBe('[NAME_1] asked');
  });

  it('keeps open only suggestions that are neither redacted nor rejected, grouped by kind and value', () => {
    const found = new Map([
      ['Ana and Bo', [{ start: 0, end: 3, kind: 'name' as const }, { start: 4, end: 7, kind: 'name' as const }]],
      ['Mail ana@example.org', [{ start: 5, end: 20, kind: 'email' as const }]],
      ['Hello Bo', [{ start: 0, end: 5, kind: 'name' as const }]],
      ['Old reply to Cy', [{ start: 0, end: 3, kind: 'name' as const }]],
    ]);
    const open = openSuggestions(texts, found, [{ kind: 'name', value: 'old' }]);
    // "Ana" is already redacted; "Old" was rejected (as "OLD" would be).
    expect(open.map((s) => [s.target, s.value, s.kind])).toEqual([
      ['m:1', 'and', 'name'],
      ['m:2', 'Hello', 'name'],
      ['m:3', 'ana@example.org', 'email'],
    ]);
    expect(suggestionsByKind(open).map((g) => [g.kind, g.values.map((v) => v.value)])).toEqual([
      ['email', ['ana@example.org']],
      ['name', ['and', 'Hello']],
    ]);
    expect(acceptRequest(open.slice(2))).toEqual([{ target: { messageId: 3 }, start: 5, end: 20, kind: 'email', value: 'ana@example.org' }]);
    const target: TargetKey = 't:7';
    expect(acceptRequest([{ id: 'x', target, start: 0, end: 3, kind: 'name', value: 'ANA' }])[0]!.target).toEqual({ thoughtId: 7 });
  });
});

describe('the "always redact" list as typed', () => {
  it('keeps one trimmed entry a line, without blanks or repeats, within the limits', () => {
    expect(alwaysRedactList(' Ana Souza \n\nAcme Ltd\nAna Souza\n  ')).toEqual(['Ana Souza', 'Acme Ltd']);
    expect(alwaysRedactList(`${'x'.repeat(250)}\n`)).toEqual(['x'.repeat(200)]);
    expect(alwaysRedactList(Array.from({ length: 250 }, (_, i) => `w${i}`).join('\n'))).toHaveLength(200);
  });
});
