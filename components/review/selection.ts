import { splitsSurrogatePair } from '@/utils/redaction/spans';

// A selection on the review page, mapped back to offsets in the original text of the message or
// thought it lies in (see source-map.ts for the pieces' `data-s` and `data-e`).

/** The element that holds one message's or thought's text, named by its target (`m:12`, `t:5`). */
export const TARGET_ATTRIBUTE = 'data-redact-target';

/** A point of a DOM Range. */
export interface Point {
  node: Node;
  offset: number;
}

export type SelectedSpan =
  | { target: string; start: number; end: number }
  /** In two texts at once, or in text whose source could not be told (shown, but not mappable). */
  | { error: 'several' | 'unmapped' };

const PIECE = '[data-s],[data-unmapped]';
const FOLLOWING = 4; // Node.DOCUMENT_POSITION_FOLLOWING, without needing a DOM global

const elementOf = (node: Node): Element | null => (node.nodeType === 1 ? (node as Element) : node.parentElement);

/** The point as an element and a child index (a point in text outside any piece becomes the place before or after that text). */
function asElementPoint({ node, offset }: Point, side: 'start' | 'end'): { parent: Node; child: Node | null } {
  if (node.nodeType !== 1 && node.parentNode) return { parent: node.parentNode, child: side === 'start' ? node : node.nextSibling };
  return { parent: node, child: node.childNodes[offset] ?? null };
}

/** Whether `piece` lies at or after the point. */
function atOrAfter(piece: Element, point: { parent: Node; child: Node | null }): boolean {
  const { parent, child } = point;
  if (child) return child === piece || child.contains(piece) || Boolean(child.compareDocumentPosition(piece) & FOLLOWING);
  return !parent.contains(piece) && Boolean(parent.compareDocumentPosition(piece) & FOLLOWING);
}

/** The source offset a point stands for: inside a piece, or at the next piece (start) or the one before (end). */
function offsetAt(root: Element, point: Point, side: 'start' | 'end'): number | 'unmapped' | null {
  let piece = elementOf(point.node)?.closest(PIECE) ?? null;
  let within: number | null = null;
  if (piece && root.contains(piece)) {
    within = point.node.nodeType === 1 ? (point.offset === 0 ? 0 : (piece.textContent ?? '').length) : point.offset;
  } else {
    const pieces = [...root.querySelectorAll(PIECE)];
    const place = asElementPoint(point, side);
    const next = pieces.findIndex((p) => atOrAfter(p, place));
    piece = side === 'start' ? (pieces[next] ?? null) : (pieces[(next < 0 ? pieces.length : next) - 1] ?? null);
    if (!piece) return null;
    within = side === 'start' ? 0 : (piece.textContent ?? '').length;
  }
  if (piece.hasAttribute('data-unmapped')) return 'unmapped';
  const start = Number(piece.getAttribute('data-s'));
  const end = Number(piece.getAttribute('data-e'));
  const length = (piece.textContent ?? '').length;
  if (piece.hasAttribute('data-atomic')) return side === 'start' ? (within < length ? start : end) : within > 0 ? end : start;
  return start + Math.min(within, end - start);
}

/**
 * The span of `source` a selection from `from` to `to` covers, within one text (`root` holds it),
 * without the white space at its ends and never cutting an emoji in half. Null when it covers
 * nothing but white space.
 */
export function selectedSpan(root: Element, source: string, from: Point, to: Point): SelectedSpan | null {
  const target = root.getAttribute(TARGET_ATTRIBUTE);
  if (!target) return null;
  let start = offsetAt(root, from, 'start');
  let end = offsetAt(root, to, 'end');
  if (start === 'unmapped' || end === 'unmapped') return { error: 'unmapped' };
  if (start === null || end === null) return null;
  while (start < end && /\s/.test(source[start]!)) start++;
  while (end > start && /\s/.test(source[end - 1]!)) end--;
  if (splitsSurrogatePair(source, start)) start--;
  if (splitsSurrogatePair(source, end)) end++;
  return start < end ? { target, start, end } : null;
}

/** The span the document's selection covers, if it lies in one text on the page. */
export function spanOfSelection(selection: Selection | null, sourceOf: (target: string) => string | undefined): SelectedSpan | null {
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const rootOf = (node: Node) => elementOf(node)?.closest(`[${TARGET_ATTRIBUTE}]`) ?? null;
  const root = rootOf(range.startContainer);
  const other = rootOf(range.endContainer);
  if (!root && !other) return null;
  if (root !== other) return { error: 'several' };
  const source = sourceOf(root!.getAttribute(TARGET_ATTRIBUTE)!);
  if (source === undefined) return null;
  return selectedSpan(root!, source, { node: range.startContainer, offset: range.startOffset }, { node: range.endContainer, offset: range.endOffset });
}
