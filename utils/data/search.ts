import type { ThoughtTraceDb } from './db';
import type { ConversationRecord, MessageRecord, ThoughtRecord } from './records';

// Full-text search over the participant's conversations: their messages, thoughts, titles and
// task answers. A query's words must all occur in a conversation (in any of its messages or
// thoughts); the word being typed matches as a prefix.
//
// Why an inverted index of posting lists, and not Dexie's usual multi-entry word index: at the
// issue's scale (21,550 conversations, 170,000 messages) a conversation has ~600 distinct words,
// so a `*words` index holds ~13 million entries. Chromium checks every index entry it returns
// against its record, so a common word (15,000 conversations) took ~500 ms and a two-letter
// prefix 0.7 to 1.3 s (measured while designing this; see bench/RESULTS.md). Here a word's
// row holds the numbers of the conversations that contain it (`searchPostings`, one row per word
// and shard of 16,384 conversations), so a word costs one or two reads and a prefix a key range
// of rows: tens of milliseconds. The background keeps it up to date (utils/data/search-queue.ts,
// utils/background/store/search.ts).

/** Longer tokens (keys, hashes) are indexed by their start, which is also how they are searched. */
export const MAX_WORD = 40;
/** Conversations per posting row: bounds how much one new conversation rewrites. */
export const SHARD_SIZE = 16_384;
/**
 * A last word shorter than this matches whole words only: a one-letter prefix matches nearly
 * every conversation and reads thousands of rows (1.3 s at the benchmark's scale).
 */
export const MIN_PREFIX = 2;

// Han, Hiragana and Katakana are written without spaces: each character is a word of its own,
// so a word in them is found as characters that all occur in the conversation.
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
const NON_ASCII = /[^\u0000-\u007f]/;
const MARKS = /\p{M}+/gu;

/** Case and accents do not matter: "Belém" is found by "belem". */
export function normalize(text: string): string {
  return (NON_ASCII.test(text) ? text.normalize('NFKD').replace(MARKS, '') : text).toLowerCase();
}

const clip = (word: string) => (word.length > MAX_WORD ? Array.from(word).slice(0, MAX_WORD).join('') : word);

/** The normalized words of `text`, in order (repeats kept). */
export function tokenize(text: string): string[] {
  return Array.from(normalize(text).matchAll(TOKEN), (match) => clip(match[0]));
}

/** Everything a conversation is found by, as a sorted list of distinct words. */
export function conversationWords(
  conversation: Pick<ConversationRecord, 'title' | 'taskSummary' | 'taskExpectation'>,
  messages: readonly Pick<MessageRecord, 'content'>[],
  thoughts: readonly Pick<ThoughtRecord, 'content'>[],
): string[] {
  const words = new Set<string>();
  const add = (text: string) => {
    for (const word of tokenize(text)) words.add(word);
  };
  add(conversation.title);
  add(conversation.taskSummary);
  add(conversation.taskExpectation);
  for (const message of messages) add(message.content);
  for (const thought of thoughts) add(thought.content);
  return [...words].sort();
}

export interface SearchTerm {
  word: string;
  /** The word still being typed: any word starting with it matches. */
  prefix: boolean;
}

/** The words of a query; the last one is a prefix unless the query ends with a space or punctuation. */
export function searchTerms(query: string): SearchTerm[] {
  const words = [...new Set(tokenize(query))];
  const typing = /[\p{L}\p{N}]$/u.test(query);
  return words.map((word, i) => ({ word, prefix: typing && i === words.length - 1 && word.length >= MIN_PREFIX }));
}

/** Whether a conversation with these (sorted, distinct) words matches every term. */
export function matchesTerms(words: readonly string[], terms: readonly SearchTerm[]): boolean {
  return terms.every(({ word, prefix }) => {
    const at = lowerBound(words, word);
    return at < words.length && (prefix ? words[at]!.startsWith(word) : words[at] === word);
  });
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export const shardOf = (doc: number) => Math.floor(doc / SHARD_SIZE);

/** A posting row's sorted conversation numbers with some added and some removed. */
export function mergeDocs(docs: Uint32Array | undefined, add: readonly number[], remove: readonly number[]): Uint32Array {
  const set = new Set(docs);
  for (const doc of remove) set.delete(doc);
  for (const doc of add) set.add(doc);
  return Uint32Array.from(set).sort();
}

/**
 * The conversations whose words match every term of `query`, or null for an empty query (no
 * search). `conversationOf` maps index numbers to conversations where the caller already holds
 * them (the review page's thought counts carry them), saving a read of every count.
 */
export async function searchConversations(
  db: ThoughtTraceDb,
  query: string,
  conversationOf?: ReadonlyMap<number, string>,
): Promise<Set<string> | null> {
  const terms = searchTerms(query);
  if (!terms.length) return null;
  return db.transaction(
    'r',
    [db.searchPostings, db.conversationStats, db.searchQueue, db.conversations, db.messages, db.thoughts],
    async () => {
      const docsOf = async ({ word, prefix }: SearchTerm) => {
        const rows = await db.searchPostings
          .where('[word+shard]')
          .between([word, -Infinity], [prefix ? `${word}\uffff` : word, Infinity], true, true)
          .toArray();
        const docs = new Set<number>();
        for (const row of rows) for (const doc of row.docs) docs.add(doc);
        return docs;
      };
      const [perTerm, known, queued] = await Promise.all([
        Promise.all(terms.map(docsOf)),
        conversationOf ?? db.conversationStats.toArray().then((rows) => new Map(rows.map((row) => [row.doc, row.conversationId]))),
        db.searchQueue.toCollection().primaryKeys(),
      ]);
      perTerm.sort((a, b) => a.size - b.size);
      const [first, ...rest] = perTerm;
      const pending = new Set(queued);
      const found = new Set<string>();
      for (const doc of first!) {
        const conversationId = known.get(doc);
        if (conversationId !== undefined && rest.every((docs) => docs.has(doc)) && !pending.has(conversationId)) found.add(conversationId);
      }
      // Conversations written since the background last indexed them are searched directly, so a
      // result is never stale (the queue is empty but for a moment after each write).
      for (const id of pending) {
        const conversation = await db.conversations.get(id);
        if (!conversation) continue;
        const [messages, thoughts] = await Promise.all([
          db.messages.where('conversationId').equals(id).toArray(),
          db.thoughts.where('conversationId').equals(id).toArray(),
        ]);
        if (matchesTerms(conversationWords(conversation, messages, thoughts), terms)) found.add(id);
      }
      return found;
    },
  );
}
