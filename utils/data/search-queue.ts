import Dexie, {
  type DBCore,
  type DBCoreKeyRange,
  type DBCoreMutateRequest,
  type DBCoreMutateResponse,
  type DBCoreTable,
  type DBCoreTransaction,
  type Middleware,
} from 'dexie';

// Which conversations the search index must look at again. Every write to a conversation, a
// message or a thought also puts the conversation's id in `searchQueue`, in the same transaction
// as the write, whichever code made it: the store's operations, the imports, the backup's
// restore, "delete all my data", and any write path added later. The background then indexes the
// queued conversations (utils/background/store/search.ts) and search reads queued ones directly
// (utils/data/search.ts), so a search never misses a change and no write path can forget the
// index. Indexing after the write rather than in it keeps capture as fast as before and lets an
// import of thousands of conversations rewrite each word's row once instead of once per message.
//
// This is Dexie middleware (its DBCore layer), so it must chain on the promises Dexie hands it:
// they carry the transaction's zone, which native async functions would lose.

/** The tables whose text and counts search covers. */
const SOURCES = new Set(['conversations', 'messages', 'thoughts']);
/** Derived from the sources, maintained by the background's indexing. */
export const SEARCH_TABLES = ['searchQueue', 'searchTerms', 'searchPostings', 'conversationStats'] as const;
/** DBCoreRangeType.Any (a const enum Dexie's declarations do not export as a value): a whole table. */
const ANY_RANGE = 3;

/** Conversations already queued by each transaction, so each is written once. */
const queuedBy = new WeakMap<DBCoreTransaction, Set<string>>();

/** The conversations a write touched, or every one (a table cleared, with the range that did it). */
type Queued = string[] | { everything: DBCoreKeyRange };

/**
 * `committed` runs after a transaction that queued conversations has committed (the background
 * then indexes them).
 */
export function searchQueueMiddleware(committed: () => void): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'SearchQueue',
    create(down) {
      const idsOf = (values: readonly { conversationId?: string }[] | undefined) =>
        (values ?? []).flatMap((value) => (value?.conversationId ? [value.conversationId] : []));

      /** What a write touches, read before it runs where the write itself does not say. */
      function touched(name: string, table: DBCoreTable, req: DBCoreMutateRequest): Promise<Queued> | Queued {
        const { trans } = req;
        if (name === 'conversations') {
          if (req.type === 'add' || req.type === 'put') return req.values.map((value: { id: string }) => value.id);
          if (req.type === 'delete') return req.keys as string[];
          if (req.range.type === ANY_RANGE) return { everything: req.range };
          return table
            .query({ trans, values: false, query: { index: table.schema.primaryKey, range: req.range } })
            .then(({ result }) => result as string[]);
        }
        if (req.type === 'add') return idsOf(req.values);
        if (req.type === 'deleteRange' && req.range.type === ANY_RANGE) {
          // Every message or thought goes: every conversation that stays is looked at again.
          const conversations = down.table('conversations');
          return conversations
            .query({ trans, values: false, query: { index: conversations.schema.primaryKey, range: req.range } })
            .then(({ result }) => result as string[]);
        }
        const before =
          req.type === 'deleteRange'
            ? table.query({ trans, values: true, query: { index: table.schema.primaryKey, range: req.range } }).then(({ result }) => result)
            : table.getMany({
                trans,
                keys: (req.type === 'delete' ? req.keys : (req.keys ?? req.values.map(table.schema.primaryKey.extractKey!))).filter((key) => key !== undefined),
              });
        // A changed message or thought counts for its conversation before and after the change.
        return before.then((old) => [...idsOf(old), ...(req.type === 'put' ? idsOf(req.values) : [])]);
      }

      function queue(trans: DBCoreTransaction, ids: Queued): Promise<unknown> {
        let seen = queuedBy.get(trans);
        if (!seen) {
          queuedBy.set(trans, (seen = new Set()));
          (trans as unknown as IDBTransaction).addEventListener('complete', () => committed(), { once: true });
        }
        if (!Array.isArray(ids)) {
          // No conversation is left: neither is anything derived from them.
          seen.clear();
          return Dexie.Promise.all(SEARCH_TABLES.map((name) => down.table(name).mutate({ type: 'deleteRange', trans, range: ids.everything })));
        }
        const fresh = [...new Set(ids)].filter((id) => !seen.has(id));
        if (!fresh.length) return Dexie.Promise.resolve();
        for (const id of fresh) seen.add(id);
        return down.table('searchQueue').mutate({ type: 'put', trans, values: fresh.map((conversationId) => ({ conversationId, stamp: Math.random() })) });
      }

      function mutate(name: string, table: DBCoreTable, req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
        // Upgrades fill the queue themselves (see db.ts).
        if ((req.trans as unknown as IDBTransaction).mode !== 'readwrite') return table.mutate(req);
        const write = (ids: Queued) => table.mutate(req).then((response) => queue(req.trans, ids).then(() => response));
        const ids = touched(name, table, req);
        // Issued at once when nothing needs reading first, so requests keep the order the caller made them in.
        return 'then' in ids ? ids.then(write) : write(ids);
      }

      return {
        ...down,
        transaction(stores, mode, options) {
          const writesSources = mode === 'readwrite' && stores.some((store) => SOURCES.has(store));
          return down.transaction(writesSources ? [...new Set([...stores, 'conversations', ...SEARCH_TABLES])] : stores, mode, options);
        },
        table(name) {
          const table = down.table(name);
          return SOURCES.has(name) ? { ...table, mutate: (req: DBCoreMutateRequest) => mutate(name, table, req) } : table;
        },
      };
    },
  };
}
