import { normalizeSpans } from './spans';
import { spansSchema, type Span } from './types';

// Beyond this many inserted plus deleted code units between the first and the last change, the
// texts are treated as rewritten: only spans in the unchanged head and tail are kept. It bounds
// the diff's memory (it grows with the square of the edit size).
const MAX_EDIT = 2000;

/**
 * The participant's spans, moved to where the same characters sit after an edit. A span whose
 * text was changed, or had anything inserted into it, is dropped: it no longer says what was
 * reviewed. Offsets are UTF-16 code units; a kept span covers exactly the same code units as
 * before, so it cannot split a surrogate pair that was whole in both texts.
 */
export function rebaseSpans(oldText: string, newText: string, spans: readonly Span[]): Span[] {
  const map = matchOldToNew(oldText, newText);
  const out: Span[] = [];
  for (const span of normalizeSpans(spansSchema.parse(spans))) {
    if (span.end > oldText.length) continue;
    const start = map[span.start] ?? -1;
    let whole = start >= 0;
    for (let i = span.start + 1; whole && i < span.end; i++) whole = map[i] === start + (i - span.start);
    if (whole) out.push({ start, end: start + (span.end - span.start), kind: span.kind });
  }
  return out;
}

/** For each code unit of `a`, the index of the same code unit in `b` in a shortest edit, or -1. */
function matchOldToNew(a: string, b: string): Int32Array {
  const map = new Int32Array(a.length).fill(-1);
  let head = 0;
  while (head < a.length && head < b.length && a.charCodeAt(head) === b.charCodeAt(head)) {
    map[head] = head;
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)
  ) {
    map[a.length - 1 - tail] = b.length - 1 - tail;
    tail++;
  }
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  for (const [i, j] of myersMatches(middleA, middleB)) map[head + i] = head + j;
  return map;
}

/** Matched index pairs of Myers' O(ND) shortest edit script; none when the edit exceeds MAX_EDIT. */
function myersMatches(a: string, b: string): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_EDIT);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a.charCodeAt(x) === b.charCodeAt(y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], n: number, m: number): Array<[number, number]> {
  const matches: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    // trace[d] holds diagonals -d-1 … d+1 as they were before step d.
    const at = (k: number) => trace[d]![k + d + 1]!;
    const k = x - y;
    let prevX = 0;
    let prevY = 0;
    if (d > 0) {
      const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
      const prevK = down ? k + 1 : k - 1;
      prevX = at(prevK);
      prevY = prevX - prevK;
    }
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return matches;
}
