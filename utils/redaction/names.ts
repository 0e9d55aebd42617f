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
// Latin letters spelled out: a \p{Lu} pattern runs at a twentieth of the speed, and the lexicon's
// names and places are Latin-script.
const CAPITALISED = /(?<![\wÀ-ÖØ-öø-ÿ])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+/g;
// A run of capitalised words longer than this is a title or a heading, not one name.
const MAX_RUN = 6;
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

interface Window {
  text: number;
  start: number;
  end: number;
}

// Up to this much distinct window text goes to one tagger call: enough to spread its fixed cost,
// small enough to bound its memory.
const BATCH_CHARS = 64_000;

/**
 * Person names and places, from compromise, around each capitalised word its lexicon knows as a
 * name or place, for each of `texts`. The tagger is slow, so it sees only the run of capitalised
 * words there and one word either side, never crossing a sentence or line end; the windows of all
 * the texts go to it together, because most of what a call costs does not grow with its length,
 * and a window repeated word for word ("in Brazil") is tagged once.
 */
export function findNamesAndPlacesIn(texts: readonly string[]): Span[][] {
  const { seeds } = getLexicon();
  const found = texts.map((): Span[] => []);
  let batch = new Map<string, Window[]>();
  let batchChars = 0;
  texts.forEach((text, index) => {
    let covered = 0;
    for (const match of text.matchAll(CAPITALISED)) {
      if (match.index < covered || !seeds.has(fold(match[0]))) continue;
      const [start, end] = windowAround(text, match.index, match.index + match[0].length);
      covered = end;
      const key = text.slice(start, end);
      const same = batch.get(key);
      if (same) {
        same.push({ text: index, start, end });
        continue;
      }
      batch.set(key, [{ text: index, start, end }]);
      batchChars += key.length;
      if (batchChars >= BATCH_CHARS) {
        tagWindows(texts, batch, found);
        batch = new Map();
        batchChars = 0;
      }
    }
  });
  if (batch.size > 0) tagWindows(texts, batch, found);
  return found;
}

const WORD_CHAR = /[\p{L}\p{N}'’.-]/u;
const inRun = (word: string) => /^\p{Lu}/u.test(word) || PARTICLES.has(word);

/** The capitalised words (and particles) joined to start…end by spaces, and one word beyond on each side. */
function windowAround(text: string, start: number, end: number): [number, number] {
  let from = start;
  for (let words = 0; words <= MAX_RUN; words++) {
    let gap = from;
    while (gap > 0 && (text[gap - 1] === ' ' || text[gap - 1] === '\t')) gap--;
    let word = gap;
    while (word > 0 && WORD_CHAR.test(text[word - 1]!)) word--;
    if (gap === from || word === gap) break;
    from = word;
    if (!inRun(text.slice(word, gap))) break;
  }
  let to = end;
  for (let words = 0; words <= MAX_RUN; words++) {
    let gap = to;
    while (gap < text.length && (text[gap] === ' ' || text[gap] === '\t')) gap++;
    let word = gap;
    while (word < text.length && WORD_CHAR.test(text[word]!)) word++;
    if (gap === to || word === gap) break;
    to = word;
    if (!inRun(text.slice(gap, word))) break;
  }
  return [from, to];
}

// Blank lines keep the windows in separate sentences for the tagger.
const SEPARATOR = '\n\n';

function tagWindows(texts: readonly string[], windows: ReadonlyMap<string, readonly Window[]>, found: Span[][]): void {
  const occurrences = [...windows.values()];
  const joinedStarts: number[] = [];
  let joined = '';
  for (const key of windows.keys()) {
    if (joined) joined += SEPARATOR;
    joinedStarts.push(joined.length);
    joined += key;
  }
  // The lexicon and the first tagging pass find names and places; the later passes (grammar
  // repairs, chunking) cost three times as much and change neither here.
  const doc = nlp.tokenize(joined);
  doc.compute(['lexicon', 'preTagger']);
  const add = (matches: Match[], kind: 'name' | 'place') => {
    for (const { offset } of matches) {
      const i = lastAtOrBefore(joinedStarts, offset.start);
      const relative = offset.start - joinedStarts[i]!;
      // Trimming and the checks look past the window, so they run on each occurrence.
      for (const window of occurrences[i]!) {
        const text = texts[window.text]!;
        const from = window.start + relative;
        const to = from + offset.length;
        if (to > window.end) continue;
        const span = trim(text, from, to, kind);
        if (span && accept(text, span)) found[window.text]!.push(kind === 'name' ? withSurname(text, span) : span);
      }
    }
  };
  // Runs of tagged terms; .people() and .places() would also split and classify them, at five
  // times the cost, which the checks below make unnecessary.
  add(doc.match('(#Person|#ProperNoun)+').if('#Person').json({ offset: true }) as Match[], 'name');
  add(doc.match('#Place+').json({ offset: true }) as Match[], 'place');
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
  const lower = word.toLowerCase();
  // ASCII words, nearly all of them, need no more.
  return /[\u0080-\uffff]/.test(lower) ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower;
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
