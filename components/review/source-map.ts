import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import type { Element, ElementContent, Root, Text } from 'hast';

// Redactions are spans over a message's original Markdown, but the participant reads and selects
// the rendered text. Every piece of rendered text here carries the source offsets it came from
// (`data-s`, `data-e`), so a selection maps back to exact offsets (selection.ts), and stored
// redactions and suggestions are drawn over the rendered text as placeholders and highlights.

/**
 * A run of shown text and the source it stands for, `source.slice(start, end)`. An `atomic` piece
 * (a character reference such as `&amp;`, an escape such as `\*`, a placeholder) is taken whole;
 * otherwise its code units map one to one onto the source from `start`.
 */
export interface Piece {
  text: string;
  start: number;
  end: number;
  atomic?: boolean;
}

/** A stored redaction or a suggestion, drawn over the pieces it covers. */
export interface Mark {
  type: 'redaction' | 'suggestion';
  /** Unique within its text: what the page's handlers look the mark up by. */
  id: string;
  start: number;
  end: number;
  /** What the participant reads: the placeholder, or the suggestion's kind. */
  label: string;
}

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const CHARACTER_REFERENCE = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));/y;

/** The character reference at `at` in `source` (as CommonMark decodes it), and its length. */
function characterReference(source: string, at: number): { text: string; length: number } | null {
  CHARACTER_REFERENCE.lastIndex = at;
  const match = CHARACTER_REFERENCE.exec(source);
  if (!match) return null;
  const [whole, decimal, hex, name] = match;
  if (name) {
    const text = decodeNamedCharacterReference(name);
    return text ? { text, length: whole.length } : null;
  }
  const code = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return { text: valid ? String.fromCodePoint(code) : '\uFFFD', length: whole.length };
}

/**
 * Where the rendered `value` lies in `source` between `from` and `to`: one piece when it is there
 * verbatim (most text is), else, when `loose`, pieces matched in order while skipping what the
 * rendering left out (markup, indentation, quote markers), with references and escapes taken
 * whole. Null when the text cannot be found there: it is then shown, but cannot be redacted by
 * selecting it in the formatted view.
 */
export function alignText(value: string, source: string, from: number, to: number, loose: boolean): Piece[] | null {
  if (value === '') return [];
  const at = source.indexOf(value, from);
  if (at >= 0 && at + value.length <= to) return [{ text: value, start: at, end: at + value.length }];
  if (!loose) return null;
  const pieces: Piece[] = [];
  const push = (text: string, start: number, end: number, atomic: boolean) => {
    const last = pieces.at(-1);
    if (!atomic && last && !last.atomic && last.end === start) {
      last.text += text;
      last.end = end;
    } else pieces.push(atomic ? { text, start, end, atomic } : { text, start, end });
  };
  let i = 0;
  let j = from;
  while (i < value.length) {
    if (j >= to) return null;
    const c = value[i]!;
    const reference = source[j] === '&' ? characterReference(source, j) : null;
    if (reference && value.startsWith(reference.text, i) && j + reference.length <= to) {
      push(reference.text, j, j + reference.length, true);
      i += reference.text.length;
      j += reference.length;
    } else if (source[j] === '\\' && source[j + 1] === c && ASCII_PUNCTUATION.test(c) && j + 2 <= to) {
      push(c, j, j + 2, true);
      i++;
      j += 2;
    } else if (source[j] === c) {
      push(c, j, j + 1, false);
      i++;
      j++;
    } else if (c === ' ' && (source[j] === '\n' || source[j] === '\r')) {
      // Code spans show line endings as spaces.
      const length = source.startsWith('\r\n', j) ? 2 : 1;
      push(c, j, j + length, true);
      i++;
      j += length;
    } else j++;
  }
  return pieces;
}

/** The pieces cut where marks begin and end, each part with the mark it lies in. Marks are sorted and never overlap. */
export function splitPieces(pieces: readonly Piece[], marks: readonly Mark[]): Array<{ piece: Piece; mark?: Mark }> {
  const parts: Array<{ piece: Piece; mark?: Mark }> = [];
  for (const piece of pieces) {
    // The first mark that ends after the piece starts.
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]!.end <= piece.start) lo = mid + 1;
      else hi = mid;
    }
    if (piece.atomic) {
      const mark = marks[lo] && marks[lo]!.start < piece.end ? marks[lo] : undefined;
      parts.push(mark ? { piece, mark } : { piece });
      continue;
    }
    let at = piece.start;
    const cut = (end: number, mark?: Mark) => {
      if (end <= at) return;
      const text = piece.text.slice(at - piece.start, end - piece.start);
      parts.push(mark ? { piece: { text, start: at, end }, mark } : { piece: { text, start: at, end } });
      at = end;
    };
    for (let m = lo; m < marks.length && marks[m]!.start < piece.end; m++) {
      const mark = marks[m]!;
      cut(Math.max(mark.start, piece.start));
      cut(Math.min(mark.end, piece.end), mark);
    }
    cut(piece.end);
  }
  return parts;
}

/** How one part is drawn: a tag, its attributes (as HTML names them) and its text. */
export interface PartView {
  tag: 'span' | 'mark';
  attributes: Record<string, string | number>;
  text: string;
}

const REDACTION_CLASS =
  'cursor-pointer rounded bg-zinc-800 px-1 font-mono text-xs text-white hover:bg-zinc-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:bg-zinc-200 dark:text-zinc-900';
const SUGGESTION_CLASS =
  'cursor-pointer rounded-sm bg-amber-200 text-inherit underline decoration-amber-600 decoration-dotted underline-offset-2 hover:bg-amber-300 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:bg-amber-700/60';

/**
 * The parts as they are drawn. A redaction shows its placeholder once, where its first part is;
 * its other parts (a redaction across a line break or formatting) show nothing. `describe` gives
 * the accessible name of a mark.
 */
export function partViews(
  parts: ReadonlyArray<{ piece: Piece; mark?: Mark }>,
  describe: (mark: Mark, text: string) => string,
  shown = new Set<string>(),
): PartView[] {
  const views: PartView[] = [];
  for (const { piece, mark } of parts) {
    if (mark?.type === 'redaction') {
      if (shown.has(mark.id)) continue;
      shown.add(mark.id);
      views.push({
        tag: 'span',
        attributes: {
          'data-s': mark.start,
          'data-e': mark.end,
          'data-atomic': '',
          'data-redaction': mark.id,
          role: 'button',
          tabIndex: 0,
          'aria-label': describe(mark, mark.label),
          className: REDACTION_CLASS,
        },
        text: mark.label,
      });
    } else if (mark) {
      views.push({
        tag: 'mark',
        attributes: {
          'data-s': piece.start,
          'data-e': piece.end,
          ...(piece.atomic ? { 'data-atomic': '' } : {}),
          'data-suggestion': mark.id,
          role: 'button',
          tabIndex: 0,
          'aria-label': describe(mark, piece.text),
          className: SUGGESTION_CLASS,
        },
        text: piece.text,
      });
    } else {
      views.push({
        tag: 'span',
        attributes: { 'data-s': piece.start, 'data-e': piece.end, ...(piece.atomic ? { 'data-atomic': '' } : {}) },
        text: piece.text,
      });
    }
  }
  return views;
}

// HTML attribute names as hast properties.
const HAST_NAMES: Record<string, string> = { className: 'className', tabIndex: 'tabIndex', role: 'role', 'aria-label': 'ariaLabel' };
const hastName = (name: string) => HAST_NAMES[name] ?? name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function toHast(view: PartView): Element {
  const properties = Object.fromEntries(
    Object.entries(view.attributes).map(([name, value]) => [hastName(name), name === 'className' ? String(value).split(' ') : value]),
  );
  return { type: 'element', tagName: view.tag, properties, children: view.text ? [{ type: 'text', value: view.text }] : [] };
}

const offsetOf = (point: { offset?: number } | undefined) => point?.offset;

export interface SourcePiecesOptions {
  source: string;
  marks: readonly Mark[];
  describe: (mark: Mark, text: string) => string;
}

/**
 * A rehype plugin for react-markdown: every text of the rendered message becomes pieces with the
 * source offsets they stand for, redactions their placeholders and suggestions highlights; text
 * whose source cannot be told is marked `data-unmapped`. A link whose source holds a redaction
 * loses its address, so the redacted words are nowhere on the page.
 */
export function rehypeSourcePieces({ source, marks, describe }: SourcePiecesOptions) {
  const redactions = marks.filter((mark) => mark.type === 'redaction');
  const overlapsRedaction = (start: number, end: number) => redactions.some((r) => r.start < end && r.end > start);
  return (tree: Root) => {
    const shown = new Set<string>();
    const cursor = { at: 0 };
    const pieces = (node: Text, scopeEnd: number, loose: boolean): ElementContent[] => {
      const start = offsetOf(node.position?.start);
      const end = offsetOf(node.position?.end);
      const positioned = start !== undefined && end !== undefined;
      // Whitespace the renderer puts between blocks (inside lists and tables) stays as it is.
      if (!positioned && !node.value.trim()) return [node];
      const aligned = positioned ? alignText(node.value, source, start, end, true) : alignText(node.value, source, cursor.at, scopeEnd, loose);
      if (!aligned) return [{ type: 'element', tagName: 'span', properties: { dataUnmapped: '' }, children: [node] }];
      if (aligned.length) cursor.at = aligned.at(-1)!.end;
      return partViews(splitPieces(aligned, marks), describe, shown).map(toHast);
    };
    const visit = (parent: Root | Element, scopeEnd: number, loose: boolean) => {
      const children: ElementContent[] = [];
      for (const child of parent.children) {
        const type = (child as { type: string }).type;
        if (child.type === 'element') {
          const start = offsetOf(child.position?.start);
          const end = offsetOf(child.position?.end);
          const positioned = start !== undefined && end !== undefined;
          if (positioned) cursor.at = start;
          if (child.tagName === 'a' && positioned && overlapsRedaction(start, end)) delete child.properties.href;
          // Text the renderer made up (footnote headings, back links) sits outside any positioned element but the root.
          visit(child, positioned ? end : scopeEnd, positioned || loose);
          children.push(child);
        } else if (type === 'text' || type === 'raw') {
          // Raw HTML is shown as the text it is, never parsed.
          const value = (child as { value: string }).value;
          children.push(...pieces({ type: 'text', value, position: (child as Text).position }, scopeEnd, loose));
        } else if (child.type !== 'doctype') children.push(child);
      }
      parent.children = children as typeof parent.children;
    };
    visit(tree, source.length, false);
  };
}
