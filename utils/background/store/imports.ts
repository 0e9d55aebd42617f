import { importThoughtTrace } from '../../data/thoughttrace';
import { InvalidRequestError, type Parsed, type StoreContext } from './context';

// Reading ThoughtTrace JSONL files back: small ones at once, large ones in batches staged until
// the last arrives and then written in one transaction (all or nothing, idempotent).

export function importOperations(ctx: StoreContext) {
  const { db } = ctx;

  return {
    async importConversations(input: Parsed<'importConversations'>) {
      return db.transaction('rw', [db.conversations, db.messages, db.thoughts], () => importThoughtTrace(db, input.conversations));
    },
    async stageImport(input: Parsed<'stageImport'>): Promise<void> {
      await db.importBatches.put({ importId: input.importId, index: input.index, conversations: input.conversations });
    },
    async commitImport(input: Parsed<'commitImport'>) {
      return db.transaction('rw', [db.importBatches, db.conversations, db.messages, db.thoughts], async () => {
        const batches = await db.importBatches.where('importId').equals(input.importId).sortBy('index');
        await db.importBatches.where('importId').equals(input.importId).delete();
        if (batches.length !== input.batches || batches.some((batch, i) => batch.index !== i)) {
          throw new InvalidRequestError(`Part of the file did not arrive (${batches.length} of ${input.batches} parts): nothing was imported`);
        }
        return importThoughtTrace(db, batches.flatMap((batch) => batch.conversations));
      });
    },
    async discardImport(input: Parsed<'discardImport'>): Promise<void> {
      await db.importBatches.where('importId').equals(input.importId).delete();
    },
  };
}
