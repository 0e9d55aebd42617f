import type { Card } from '../protocol/card';
import { studyRequests } from '../protocol/requests';
import { siteOfOrigin, type Site } from '../sites/registry';

// Who may ask the background for what. Pure, so the whole allowlist is unit-tested; the
// background feeds it what the browser says about each sender (runtime.MessageSender).

const CARD_PATH = '/card.html';

/** The fields of runtime.MessageSender the policy reads. */
export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export type SenderRole =
  /** A content script in a chat tab's top frame. */
  | { role: 'content'; site: Site; tabId: number }
  /** The card page in a frame of a tab; which card, only the content script of that tab can say. */
  | { role: 'card'; tabId: number; frameId: number }
  /** The popup, review page and other extension pages. */
  | { role: 'page' };

export class ForbiddenRequestError extends Error {
  override name = 'ForbiddenRequestError';
}

/** scheme://host: URL.origin is "null" for schemes the URL standard does not know, such as extension schemes outside browsers. */
const originOf = (url: URL) => `${url.protocol}//${url.host}`;

/**
 * What a sender is, or null for anything else. `extensionUrl` is runtime.getURL('/'). Chrome shows the card under `use_dynamic_url` at a per-session origin but
 * reports its sender URL at the extension's own origin (checked by the hostile-page test), so
 * the card must come from that origin too.
 */
export function senderRole(sender: Sender, runtimeId: string, extensionUrl: string): SenderRole | null {
  if (sender.id !== runtimeId || !sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const tabId = sender.tab?.id;
  if (originOf(url) === originOf(new URL(extensionUrl))) {
    if (url.pathname !== CARD_PATH) return { role: 'page' };
    return tabId !== undefined && sender.frameId !== undefined && sender.frameId > 0 ? { role: 'card', tabId, frameId: sender.frameId } : null;
  }
  const origin = originOf(url);
  const site = siteOfOrigin(origin);
  // Content scripts run in the top frame only.
  if (site && tabId !== undefined && sender.frameId === 0) return { role: 'content', site, tabId };
  return null;
}

/** What a content script sends: capture, the task questions' timing, its card's focus. Nothing it could read settings or thoughts with. */
const CONTENT_REQUESTS = new Set([
  'recordMessage',
  'recordHistory',
  'updateConversation',
  'leftConversation',
  'taskQuestionsOnReturn',
  'focusCard',
]);
/** Requests that name the site they capture on: it must be the sender's. */
const SITE_REQUESTS = new Set(['recordMessage', 'recordHistory', 'taskQuestionsOnReturn']);

/** Settings a card may change: asking less, never the rest. */
const ASK_LESS_SETTINGS = new Set(['ask', 'everyNth', 'askTask']);

/**
 * Joining, consenting, pausing, withdrawing and uploading: only the participant, on the
 * extension's own pages. Never a chat page, nor a card in one (`cardMay` allows them nothing).
 */
const STUDY_REQUESTS = new Set<string>(Object.keys(studyRequests));

/** What only a card sends, and what only a card or a content script sends. */
const CARD_ONLY = new Set(['whichCard', 'cardEvent']);

const field = (data: unknown, name: string): unknown =>
  typeof data === 'object' && data !== null && Object.hasOwn(data, name) ? (data as Record<string, unknown>)[name] : undefined;

/**
 * Whether a card may send `type` with `data`: only about its own message or conversation.
 * `conversationId` is the conversation the card is about (its message's, for a message card).
 */
export function cardMay(card: Card, conversationId: string | null, type: string, data: unknown): boolean {
  const sameConversation = conversationId !== null && field(data, 'conversationId') === conversationId;
  switch (type) {
    case 'whichCard':
    case 'cardEvent':
    case 'snooze':
      return true;
    case 'updateSettings':
      return typeof data === 'object' && data !== null && Object.keys(data).every((key) => ASK_LESS_SETTINGS.has(key));
    case 'setConversationQuiet':
      return sameConversation;
    case 'getCardContext':
    case 'saveDraft':
    case 'discardDraft':
    case 'addThought':
      return (card.kind === 'reason' || card.kind === 'reaction') && field(data, 'messageId') === card.messageId && field(data, 'kind') === card.kind;
    case 'getTaskContext':
    case 'updateTask':
      return card.kind === 'task' && sameConversation;
    default:
      return false;
  }
}

/** The conversation a request names, whose site the background looks up for `authorize`. */
export const conversationNamed = (data: unknown): string | null => {
  const id = field(data, 'conversationId');
  return typeof id === 'string' ? id : null;
};

/**
 * Whether a content script or an extension page may send `type` with `data` (cards go through
 * `cardMay`, once their card is known). `conversationSite` is the site of the conversation the
 * request names, if it names a stored one. Throws a ForbiddenRequestError saying why not.
 */
export function authorize(role: SenderRole, type: string, data: unknown, conversationSite: Site | 'import' | null = null): void {
  if (STUDY_REQUESTS.has(type) && role.role !== 'page') throw new ForbiddenRequestError(`Only the extension's own pages may send "${type}"`);
  if (role.role === 'content') {
    if (!CONTENT_REQUESTS.has(type)) throw new ForbiddenRequestError(`A chat page may not send "${type}"`);
    if (SITE_REQUESTS.has(type) && field(data, 'site') !== role.site) {
      throw new ForbiddenRequestError(`A ${role.site} page may not send "${type}" for another site`);
    }
    if (conversationSite !== null && conversationSite !== role.site) {
      throw new ForbiddenRequestError(`A ${role.site} page may not send "${type}" about a ${conversationSite} conversation`);
    }
  } else if (role.role === 'page') {
    if (CONTENT_REQUESTS.has(type) || CARD_ONLY.has(type)) throw new ForbiddenRequestError(`An extension page may not send "${type}"`);
  }
}
