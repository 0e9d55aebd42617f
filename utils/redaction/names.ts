import nlp from 'compromise';
import type { Span } from './types';

type Seed = 'name' | 'place';
interface Match {
  offset: { start: number; length: number };
}

const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'Honorific']);
const FIRST_NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
const PLACE_TAGS = new Set(['City', 'Country', 'Region', 'Place']);
const PARTICLES = new Set(['de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'du', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'al', 'y', 'of']);
const HONORIFIC = /^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Rev|Fr)\.?(?:\s+|$))+/;
const CAPITALISED = /(?<![\p{L}\p{N}_])\p{Lu}\p{Ll}+/gu;
const WINDOW = 120;
// Punctuation, lower-case words, and a capitalised function word opening the sentence ("With Nicole").
const LEADING_NOISE = /^(?:[^\p{L}]|\p{Ll}[\p{L}'’-]*\s+|(?:With|And|But|For|From|To|At|In|On|By|Of|The|Ask|Tell|Thanks|Dear|Hi|Hey|Hello)\s+)+/u;

interface Lexicon {
  seeds: Map<string, Seed>;
  tags: Map<string, string[]>;
}
let lexicon: Lexicon | undefined;

// compromise's own lexicon says which capitalised words can be names or places; only the words
// around one are worth its tagger, which reads tens of KB per second.
function getLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const seeds = new Map<string, Seed>();
  const tags = new Map<string, string[]>();
  const model = nlp.model() as { one: { lexicon: Record<string, string | string[]> } };
  for (const [phrase, tag] of Object.entries(model.one.lexicon)) {
    const list = Array.isArray(tag) ? tag : [tag];
    tags.set(phrase, list);
    const seed = list.some((t) => NAME_TAGS.has(t)) ? 'name' : list.some((t) => PLACE_TAGS.has(t)) ? 'place' : undefined;
    if (!seed) continue;
    // "new york", "san jose": the longest word is the one that is rare elsewhere.
    const word = phrase.split(' ').reduce((a, b) => (b.length > a.length ? b : a));
    if (!seeds.has(word)) seeds.set(word, seed);
  }
  // …unless that word is a common word in its own right ("wednesday" of "ash wednesday").
  for (const word of seeds.keys()) {
    const own = tags.get(word);
    if (own && !own.some((t) => NAME_TAGS.has(t) || PLACE_TAGS.has(t))) seeds.delete(word);
  }
  lexicon = { seeds, tags };
  return lexicon;
}

/**
 * Person names and places, from compromise, around each capitalised word its lexicon knows as a
 * name or place. The tagger is slow, so it sees only the run of capitalised words there and one
 * word either side, never crossing a sentence or line end; all such windows of a text go to it
 * in one call: most of what a call costs does not grow with its length.
 */
export function findNamesAndPlaces(text: string): Span[] {
  const { seeds } = getLexicon();
  const windows: Array<[number, number]> = [];
  for (const match of text.matchAll(CAPITALISED)) {
    if (match.index < (windows.at(-1)?.[1] ?? 0) || !seeds.has(fold(match[0]))) continue;
    windows.push(windowAround(text, match.index, match.index + match[0].length));
  }
  return windows.length === 0 ? [] : tagWindows(text, windows);
}

const RUN_BEFORE = /(?:(?:\p{Lu}[\p{L}'’.-]*|de|da|van|von|der|del|di|la|le|bin|al)[ \t]+)*(?:[\p{L}\p{N}'’-]+[ \t]+)?$/u;
const RUN_AFTER = /^(?:[ \t]+(?:\p{Lu}[\p{L}'’-]*|de|da|van|von|der|del|di|la|le|bin|al)(?=[^\p{L}]|$))*(?:[ \t]+[\p{L}\p{N}'’-]+)?/u;

function windowAround(text: string, start: number, end: number): [number, number] {
  const before = text.slice(Math.max(0, start - WINDOW), start);
  const after = text.slice(end, end + WINDOW);
  return [start - (RUN_BEFORE.exec(before)?.[0].length ?? 0), end + (RUN_AFTER.exec(after)?.[0].length ?? 0)];
}

// Blank lines keep the windows in separate sentences for the tagger.
const SEPARATOR = '\n\n';

function tagWindows(text: string, windows: ReadonlyArray<[number, number]>): Span[] {
  const joinedStarts: number[] = [];
  let joined = '';
  for (const [start, end] of windows) {
    if (joined) joined += SEPARATOR;
    joinedStarts.push(joined.length);
    joined += text.slice(start, end);
  }
  // The lexicon and the first tagging pass find names and places; the later passes (grammar
  // repairs, chunking) cost three times as much and change neither here.
  const doc = nlp.tokenize(joined);
  doc.compute(['lexicon', 'preTagger']);
  const spans: Span[] = [];
  const add = (matches: Match[], kind: 'name' | 'place') => {
    for (const { offset } of matches) {
      const i = lastAtOrBefore(joinedStarts, offset.start);
      const [start, end] = windows[i]!;
      const from = start + offset.start - joinedStarts[i]!;
      const to = from + offset.length;
      if (to > end) continue;
      const span = trim(text, from, to, kind);
      if (span && accept(text, span)) spans.push(kind === 'name' ? withSurname(text, span) : span);
    }
  };
  // Runs of tagged terms; .people() and .places() would also split and classify them, at five
  // times the cost, which the checks below make unnecessary.
  add(doc.match('(#Person|#ProperNoun)+').if('#Person').json({ offset: true }) as Match[], 'name');
  add(doc.match('#Place+').json({ offset: true }) as Match[], 'place');
  return spans;
}

function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

// Lexicon keys are lower case and mostly without accents: "Zürich" is found as "zurich".
function fold(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

// compromise keeps punctuation, Markdown emphasis and titles on its terms, and sometimes the
// lower-case word before a name ("brother Michael").
function trim(text: string, start: number, end: number, kind: 'name' | 'place'): Span | undefined {
  let value = text.slice(start, end);
  const lead = value.length - value.replace(LEADING_NOISE, '').length;
  start += lead;
  value = value.slice(lead);
  if (kind === 'name') {
    const title = HONORIFIC.exec(value)?.[0].length ?? 0;
    start += title;
    value = value.slice(title);
  }
  value = value.replace(/(?:\s+\p{Ll}[\p{L}'’-]*|['’]s\b|[^\p{L}])+$/u, '');
  return value ? { start, end: start + value.length, kind } : undefined;
}

// The first tagging pass knows first names but not every surname ("Rebecca Stone", "Nadia
// Rahman"): the capitalised words right after a name belong to it, unless they are a day, a
// month or a function word.
const FOLLOWING_WORD = /^ ((?:(?:de|da|van|von|der|del|di|bin|al|la|le) )?\p{Lu}[\p{L}'’-]*)/u;
const NOT_A_SURNAME = new Set(['Month', 'WeekDay', 'Determiner', 'Preposition', 'Pronoun', 'Conjunction', 'Copula', 'Modal']);

function withSurname(text: string, span: Span): Span {
  const { tags } = getLexicon();
  let end = span.end;
  for (let words = 0; words < 2; words++) {
    const next = FOLLOWING_WORD.exec(text.slice(end, end + 40));
    if (!next || tags.get(fold(next[1]!))?.some((t) => NOT_A_SURNAME.has(t))) break;
    end += next[0].replace(/['’]s$/, '').length;
  }
  return { ...span, end };
}

function accept(text: string, span: Span): boolean {
  const { seeds, tags } = getLexicon();
  const value = text.slice(span.start, span.end);
  const words = value.split(/\s+/);
  const proper = words.filter((word) => !PARTICLES.has(word));
  if (proper.length === 0 || proper.some((word) => !/^\p{Lu}/u.test(word))) return false;
  if (PARTICLES.has(words[0]!) || PARTICLES.has(words.at(-1)!)) return false;
  // "Don't" is not Don.
  if (/^['’](?!s\b)\p{L}/u.test(text.slice(span.end))) return false;
  const folded = proper.map((word) => fold(word).replace(/[.'’]+$/, ''));
  const tagged = (word: string, wanted: Set<string>) => tags.get(word)?.some((t) => wanted.has(t)) ?? false;
  // A word the lexicon knows only as something else ("House", "Skip", "You") is a common word.
  const common = (word: string) => tags.has(word) && !seeds.has(word);
  if (span.kind === 'place') {
    return tagged(fold(value), PLACE_TAGS) || (folded.some((word) => seeds.get(word) === 'place') && !folded.some(common));
  }
  if (folded.length === 1 && atSentenceStart(text, span.start)) {
    // Opening a sentence, a lone first name before "the", "your", "this" is a verb ("Skip the
    // rice", "Mark this"), and a lone surname is more often a word ("Brown rice …").
    return tagged(folded[0]!, FIRST_NAME_TAGS) && !IMPERATIVE_OBJECT.test(text.slice(span.end, span.end + 12));
  }
  if (folded.some((word) => tagged(word, FIRST_NAME_TAGS))) return true;
  if (folded.length > 1) return tagged(folded.at(-1)!, NAME_TAGS);
  return seeds.get(folded[0]!) === 'name' && !common(folded[0]!);
}

const IMPERATIVE_OBJECT = /^\s+(?:the|a|an|your|my|this|that|these|those|it|them|all|any|some)\b/i;

function atSentenceStart(text: string, index: number): boolean {
  return /(?:^|[.!?:]\s+|\n\s*)[^\p{L}\n]*$/u.test(text.slice(Math.max(0, index - 8), index));
}
