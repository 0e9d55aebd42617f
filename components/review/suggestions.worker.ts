import { findSpansIn } from '@/utils/redaction/find';
import type { Span } from '@/utils/redaction/types';

// The detectors, off the review page's thread: the names pass over a long conversation takes a
// moment, and the page stays responsive meanwhile. Texts seen in the last request are not looked
// at again (a thought being edited sends the conversation again as it is typed).

export interface SuggestionsRequest {
  id: number;
  texts: string[];
  custom: string[];
}
export interface SuggestionsResponse {
  id: number;
  /** The spans found in each distinct text. */
  found: Array<[text: string, spans: Span[]]>;
}

let known = new Map<string, Span[]>();
let knownFor = '';

self.onmessage = (event: MessageEvent<SuggestionsRequest>) => {
  const { id, texts, custom } = event.data;
  const customKey = JSON.stringify(custom);
  if (customKey !== knownFor) {
    known = new Map();
    knownFor = customKey;
  }
  const distinct = [...new Set(texts)];
  const missing = distinct.filter((text) => !known.has(text));
  const spans = missing.length ? findSpansIn(missing, { custom }) : [];
  const found = new Map(distinct.map((text) => [text, known.get(text) ?? spans[missing.indexOf(text)]!]));
  known = found;
  self.postMessage({ id, found: [...found] } satisfies SuggestionsResponse);
};
