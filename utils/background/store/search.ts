import { onSearchQueued, type ConversationStatsRow, type SearchTermsRow } from '../../data/db';
import { conversationWords, mergeDocs, shardOf } from '../../data/search';
import type { StoreContext } from './context';

// The search index's upkeep: conversations queued by their writes (utils/data/search-queue.ts)
// are read again and their words' rows updated, a chunk at a time.
// It runs after every transaction that queued something and when the background starts (a
// service worker stopped mid-way leaves the rest queued; search reads queued ones directly).

/** Conversations indexed per transaction: an import's chunk rewrites each word's row once. */
const CHUNK = 1000;

export function searchOperations(ctx: StoreContext) {
  const { db } = ctx;

  /**
   * Indexes up to CHUNK queued conversations; returns how many it took from the queue. Reading
   * and writing are separate transactions, so pages go on reading conversations while it writes:
   * the read is read-only, the words are found outside any transaction, and the write touches only
   * the search tables. A conversation written in between has a new stamp in the queue: its index
   * is not written and it stays queued for the next round.
   */
  async function indexChunk(): Promise<number> {
    const read = await db.transaction('r', [db.searchQueue, db.conversations, db.messages, db.thoughts], async () => {
      const queued = await db.searchQueue.limit(CHUNK).toArray();
      const ids = queued.map((row) => row.conversationId);
      const conversations = await db.conversations.bulkGet(ids);
      const contents = await Promise.all(
        ids.map((id, i) =>
          conversations[i]
            ? Promise.all([db.messages.where('conversationId').equals(id).toArray(), db.thoughts.where('conversationId').equals(id).toArray()])
            : null,
        ),
      );
      return { queued, conversations, contents };
    });
    if (!read.queued.length) return 0;
    // What each conversation is found by now, or null once it is gone.
    const indexed = read.queued.map(({ conversationId, stamp }, i) => {
      const conversation = read.conversations[i];
      const content = read.contents[i];
      return {
        conversationId,
        stamp,
        now: conversation && content ? { words: conversationWords(conversation, ...content), thoughts: content[1].length } : null,
      };
    });

    await db.transaction('rw', [db.searchQueue, db.conversationStats, db.searchTerms, db.searchPostings], async () => {
      const ids = indexed.map((entry) => entry.conversationId);
      const stamps = await db.searchQueue.bulkGet(ids);
      const unchanged = indexed.filter((entry, i) => stamps[i]?.stamp === entry.stamp);
      const stats = await db.conversationStats.bulkGet(unchanged.map((entry) => entry.conversationId));
      const oldTerms = await db.searchTerms.bulkGet(stats.map((row) => row?.doc ?? -1));

      // Per word and shard, the conversation numbers to add and remove.
      const changes = new Map<string, { word: string; shard: number; add: number[]; remove: number[] }>();
      const change = (word: string, doc: number, kind: 'add' | 'remove') => {
        const shard = shardOf(doc);
        const key = `${shard}:${word}`;
        let entry = changes.get(key);
        if (!entry) changes.set(key, (entry = { word, shard, add: [], remove: [] }));
        entry[kind].push(doc);
      };
      const termsPut: SearchTermsRow[] = [];
      const statsPut: ConversationStatsRow[] = [];
      const termsGone: number[] = [];
      const statsGone: string[] = [];
      for (const [i, { conversationId, now }] of unchanged.entries()) {
        const old = stats[i];
        const before = oldTerms[i]?.words ?? [];
        if (!now) {
          if (old) {
            for (const word of before) change(word, old.doc, 'remove');
            termsGone.push(old.doc);
            statsGone.push(conversationId);
          }
          continue;
        }
        const doc = old?.doc ?? (await db.searchTerms.add({ words: now.words } as SearchTermsRow));
        const had = new Set(before);
        const has = new Set(now.words);
        for (const word of now.words) if (!had.has(word)) change(word, doc, 'add');
        for (const word of before) if (!has.has(word)) change(word, doc, 'remove');
        if (old) termsPut.push({ doc, words: now.words });
        statsPut.push({ conversationId, doc, thoughts: now.thoughts });
      }

      const entries = [...changes.values()];
      const rows = await db.searchPostings.bulkGet(entries.map(({ word, shard }) => [word, shard]));
      const postingsPut = [];
      const postingsGone: [string, number][] = [];
      for (const [i, { word, shard, add, remove }] of entries.entries()) {
        const docs = mergeDocs(rows[i]?.docs, add, remove);
        if (docs.length) postingsPut.push({ word, shard, docs });
        else if (rows[i]) postingsGone.push([word, shard]);
      }
      await Promise.all([
        db.searchPostings.bulkPut(postingsPut),
        db.searchPostings.bulkDelete(postingsGone),
        db.searchTerms.bulkPut(termsPut),
        db.searchTerms.bulkDelete(termsGone),
        db.conversationStats.bulkPut(statsPut),
        db.conversationStats.bulkDelete(statsGone),
        db.searchQueue.bulkDelete(unchanged.map((entry) => entry.conversationId)),
      ]);
    });
    return read.queued.length;
  }

  // One pass at a time; a write during a pass makes it go round once more.
  let pass: Promise<void> | undefined;
  let again = false;
  function indexQueued(): Promise<void> {
    again = true;
    pass ??= (async () => {
      try {
        while (again) {
          again = false;
          while ((await indexChunk()) > 0);
        }
      } catch (error) {
        // Left queued: search reads those conversations directly, and the next write retries. A
        // closed database (the extension going away) has nothing left to index.
        if ((error as Error).name !== 'DatabaseClosedError') console.error('ThoughtTrace: search indexing failed', error);
      } finally {
        pass = undefined;
      }
    })();
    return pass;
  }

  onSearchQueued(db, () => void indexQueued());
  void indexQueued();

  return {
    /** Indexes whatever is queued; a page asks while it sees a queue, which keeps the background awake. Returns what is left. */
    async indexSearch(): Promise<{ queued: number }> {
      await indexQueued();
      return { queued: await db.searchQueue.count() };
    },
    /** Resolves once nothing is queued (tests, and callers that want to read an up-to-date index). */
    searchIndexed: indexQueued,
  };
}
