import type { ImportBatchRow } from '../../data/db';
import { importThoughtTrace } from '../../data/thoughttrace';
import { InvalidRequestError, type Parsed, type StoreContext } from './context';

// Reading files back: small ThoughtTrace JSONL files at once, large ones (and every full backup,
// store/backup.ts) in batches staged until the last arrives and then written in one transaction
// (all or nothing, idempotent).

/**
 * The staged batches of an import, in order, removed from staging. Call inside the transaction
 * that writes them (over `importBatches` too), so a failure keeps nothing and stages nothing.
 */
export async function takeStaged(ctx: StoreContext, importId: string, batches: number): Promise<ImportBatchRow[]> {
  const { db } = ctx;
  const staged = await db.importBatches.where('importId').equals(importId).sortBy('index');
  await db.importBatches.where('importId').equals(importId).delete();
  if (staged.length !== batches || staged.some((batch, i) => batch.index !== i)) {
    throw new InvalidRequestError(`Part of the file did not arrive (${staged.length} of ${batches} parts): nothing was imported`);
  }
  return staged;
}

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
        const batches = await takeStaged(ctx, input.importId, input.batches);
        return importThoughtTrace(
          db,
          batches.flatMap((batch) => {
            if (!('conversations' in batch)) throw new InvalidRequestError('A backup was staged as a ThoughtTrace file: nothing was imported');
            return batch.conversations;
          }),
        );
      });
    },
    async discardImport(input: Parsed<'discardImport'>): Promise<void> {
      await db.importBatches.where('importId').equals(input.importId).delete();
    },
  };
}
