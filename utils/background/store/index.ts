import { z } from 'zod';
import type { ThoughtTraceDb } from '../../data/db';
import type { Site } from '../../data/records';
import { backgroundRequests, type BackgroundRequest, type OpenConversation } from '../../protocol/requests';
import { InvalidRequestError, type Parsed, type StoreContext } from './context';
import { conversationOperations } from './conversations';
import { historyOperations } from './history';
import { backupOperations } from './backup';
import { importOperations } from './imports';
import { redactionOperations } from './redactions';
import { searchOperations } from './search';
import { settingsOperations } from './settings';
import { thoughtOperations } from './thoughts';

export { InvalidRequestError } from './context';
export { TASK_RETURN_WINDOW_MS } from '../asking';

/**
 * Every write to the database goes through here, and only the background calls it. Each
 * operation is one Dexie transaction, so a failure leaves nothing half-written; each request's
 * input is parsed against its schema (utils/protocol/requests.ts) before it runs.
 */
export function createStore(
  db: ThoughtTraceDb,
  now: () => Date = () => new Date(),
  /** The conversations the browser's tabs show now (the background asks each tab). */
  openConversations: () => Promise<OpenConversation[]> = async () => [],
) {
  const ctx: StoreContext = { db, now, openConversations };
  const { keepRecordingAfterUpdate, ...settings } = settingsOperations(ctx);
  const { searchIndexed, ...search } = searchOperations(ctx);
  const operations = {
    ...historyOperations(ctx),
    ...conversationOperations(ctx),
    ...thoughtOperations(ctx),
    ...redactionOperations(ctx),
    ...settings,
    ...importOperations(ctx),
    ...backupOperations(ctx),
    ...search,
  } satisfies { [K in BackgroundRequest]: (input: Parsed<K>) => Promise<unknown> };

  /** Validates `data` against the request's schema, then runs it. Bad input writes nothing. */
  async function handle<K extends BackgroundRequest>(
    type: K,
    data: unknown,
  ): Promise<Awaited<ReturnType<(typeof operations)[K]>>> {
    const schema = Object.hasOwn(backgroundRequests, type) ? backgroundRequests[type] : undefined;
    if (!schema) throw new InvalidRequestError(`Unknown request "${String(type)}"`);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidRequestError(`Invalid "${type}" request: ${z.prettifyError(parsed.error)}`);
    }
    const run = operations[type] as (input: unknown) => Promise<Awaited<ReturnType<(typeof operations)[K]>>>;
    return run(parsed.data);
  }

  /** The conversation a message belongs to: what a card about that message may act on. */
  async function conversationOfMessage(messageId: number): Promise<string | null> {
    return (await db.messages.get(messageId))?.conversationId ?? null;
  }

  /** The site a stored conversation is on: what a chat page's content script may write to. */
  async function siteOfConversation(conversationId: string): Promise<Site | 'import' | null> {
    return (await db.conversations.get(conversationId))?.site ?? null;
  }

  return { ...operations, handle, conversationOfMessage, siteOfConversation, keepRecordingAfterUpdate, searchIndexed };
}

export type Store = ReturnType<typeof createStore>;
