import { z } from 'zod';
import type { ThoughtTraceDb } from '../../data/db';
import { kindForRole, labelFitsKind, type Settings, type SurveyAnswers, type ThoughtKind, type ThoughtLabel } from '../../data/records';
import { readProfile, readSettings } from '../../data/settings';
import type { BackgroundRequest, OpenConversation, backgroundRequests } from '../../protocol/requests';

/** A request that failed validation. Its message says which field was wrong and how. */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

/** A request's input once its schema parsed it. */
export type Parsed<K extends BackgroundRequest> = z.output<(typeof backgroundRequests)[K]>;

/** What every part of the store works with. */
export interface StoreContext {
  db: ThoughtTraceDb;
  now: () => Date;
  /** The conversations the browser's tabs show now (the background asks each tab). */
  openConversations: () => Promise<OpenConversation[]>;
}

/** The reads and checks the store's parts share. */
export function storeHelpers({ db }: StoreContext) {
  async function getProfile(): Promise<SurveyAnswers | null> {
    return readProfile((await db.settings.get('profile'))?.value);
  }

  async function getSettings(): Promise<Settings> {
    return readSettings((await db.settings.get('settings'))?.value);
  }

  async function writeSettings(change: (settings: Settings) => Settings) {
    await db.transaction('rw', db.settings, async () => {
      await db.settings.put({ key: 'settings', value: change(await getSettings()) });
    });
  }

  /** An edit to what would be uploaded: an uploaded conversation is then `changed` (call inside a transaction). */
  async function markEdited(conversationId: string): Promise<void> {
    const conversation = await db.conversations.get(conversationId);
    if (conversation?.review === 'uploaded') await db.conversations.update(conversationId, { review: 'changed' });
  }

  async function requireMessageFor(messageId: number, kind: 'reason' | 'reaction') {
    const message = await db.messages.get(messageId);
    if (!message) throw new InvalidRequestError(`No message ${messageId}`);
    if (kindForRole(message.role) !== kind) {
      throw new InvalidRequestError(`A ${kind} cannot be written about a ${message.role} message`);
    }
    return message;
  }

  function requireLabelFits(label: ThoughtLabel | '', kind: ThoughtKind) {
    if (!labelFitsKind(label, kind)) throw new InvalidRequestError(`"${label}" is not a ${kind} label`);
  }

  return { getProfile, getSettings, writeSettings, markEdited, requireMessageFor, requireLabelFits };
}
