import type { Span } from './types';

const URL_CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"*_~]$/;

/** URLs as written in chat text: http(s):// or www., without trailing punctuation or an unmatched `)`. */
export function findUrls(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(URL_CANDIDATE)) {
    let url = match[0];
    for (;;) {
      if (TRAILING.test(url)) url = url.slice(0, -1);
      else if (/[)\]}]$/.test(url) && unbalanced(url)) url = url.slice(0, -1);
      else break;
    }
    if (/^www\.$/i.test(url) || /^https?:\/\/$/i.test(url)) continue;
    spans.push({ start: match.index, end: match.index + url.length, kind: 'url' });
  }
  return spans;
}

// Markdown links and parenthesised asides end in a `)` the URL never opened; Wikipedia-style
// URLs keep theirs.
function unbalanced(url: string): boolean {
  const close = url.at(-1)!;
  const open = close === ')' ? '(' : close === ']' ? '[' : '{';
  return url.split(open).length < url.split(close).length;
}

/** The text with every URL's query string and fragment removed: exported URLs keep neither. */
export function stripUrlQueries(text: string): string {
  let out = '';
  let last = 0;
  for (const span of findUrls(text)) {
    const url = text.slice(span.start, span.end);
    const cut = url.search(/[?#]/);
    out += text.slice(last, span.start) + (cut === -1 ? url : url.slice(0, cut));
    last = span.end;
  }
  return out + text.slice(last);
}
