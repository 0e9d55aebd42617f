import { hasTaskAnswers } from '../data/counts';
import type { ConversationRecord, Role, Settings } from '../data/records';
import type { OpenConversation } from '../protocol/requests';

// When ThoughtTrace interrupts: pure policies over the settings and the conversation, decided here
// and only here. The store asks them as it records; the card host follows what they decided.

/** Task questions left behind when a tab was closed are asked on the site's next page within this time. */
export const TASK_RETURN_WINDOW_MS = 24 * 3600_000;

export function isSnoozed(settings: Settings, at: Date): boolean {
  return settings.snoozedUntil !== null && Date.parse(settings.snoozedUntil) > at.getTime();
}

/**
 * Which thoughts to ask about one turn: its prompt's reason and its reply's reaction. `liveTurn`
 * is the turn's number among the prompts captured live in the conversation (1 for the first).
 * Capture never depends on it; only the interruption does.
 */
export function turnAsks(settings: Settings, conversation: ConversationRecord, liveTurn: number, at: Date): { reason: boolean; reaction: boolean } {
  if (isSnoozed(settings, at) || conversation.quiet) return { reason: false, reaction: false };
  const thisTurn = (Math.max(liveTurn, 1) - 1) % settings.everyNth === 0;
  return { reason: thisTurn && settings.ask !== 'reactions', reaction: thisTurn && settings.ask !== 'reasons' };
}

/**
 * For a message just captured: whether to ask about it now, and for a prompt, whether its reply
 * will be asked about too (so the turn's card stays, as a strip, until the reply ends). A reply
 * follows the decision made for its prompt's turn.
 */
export function askAbout(role: Role, turn: { reason: boolean; reaction: boolean }): { ask: boolean; thenReaction: boolean } {
  return role === 'user' ? { ask: turn.reason, thenReaction: turn.reason && turn.reaction } : { ask: turn.reaction, thenReaction: false };
}

/** Task questions may be asked now: not paused, not snoozed, not turned off. */
export function mayAskTask(settings: Settings, at: Date): boolean {
  return !settings.paused && settings.askTask && !isSnoozed(settings, at);
}

/** Chatted in, never asked, not silenced and not answered yet. */
export function taskDue(conversation: ConversationRecord): boolean {
  return conversation.taskAsk === 'due' && !conversation.quiet && !hasTaskAnswers(conversation);
}

/** Whether one of the tabs shows the conversation now. */
export function isOpen(conversation: ConversationRecord, open: OpenConversation[]): boolean {
  return open.some(
    (page) =>
      page.conversationId === conversation.id ||
      (page.siteConversationId !== null && page.site === conversation.site && page.siteConversationId === conversation.siteConversationId),
  );
}
