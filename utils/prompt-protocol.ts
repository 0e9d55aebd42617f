import * as z from 'zod/mini';

// What the card in the prompt iframe tells the content script that placed it: its size, that it
// was touched, that it closed. It goes through the background (runtime messaging), never through
// window.postMessage, so the chat page's scripts can neither see card activity nor fake it. It
// never carries what the participant typed. zod/mini keeps the content script small.

/** What a card reports: its size, that it was touched, or how it closed. */
export type CardEvent = { card: string } & (
  | { type: 'resize'; height: number }
  | { type: 'touched' }
  /** `dismissed`: closed for the whole turn (the strip's ×, or asking less): no reaction this turn. */
  | { type: 'closed'; outcome: 'saved' | 'skipped' | 'faded' | 'dismissed' }
);

/**
 * Its schema, one flat object so the content script carries as little of zod as it can: the
 * `card` is the id from the card's address (events of a card replaced since are ignored);
 * `height` comes with `resize`, `outcome` with `closed`.
 */
export const cardEventSchema = z.object({
  card: z.string().check(z.minLength(8), z.maxLength(64)),
  type: z.enum(['resize', 'touched', 'closed']),
  height: z.optional(z.number().check(z.minimum(0), z.maximum(2000))),
  outcome: z.optional(z.enum(['saved', 'skipped', 'faded', 'dismissed'])),
});
/** A card event as validated: what the background relays. */
export type CardEventMessage = z.infer<typeof cardEventSchema>;

export type CloseOutcome = Extract<CardEvent, { type: 'closed' }>['outcome'];

/**
 * The content script asking its card to take the keyboard (the focus shortcut), by postMessage to
 * the card's window: only the card receives it. (Runtime messages do not reach a card in Firefox.)
 */
export interface FocusCard {
  source: 'thoughttrace-host';
  type: 'focus';
  card: string;
}

export const PROMPT_PAGE = '/thought-prompt.html';

/**
 * What the prompt page shows, read from its URL:
 * - `reason` / `reaction`: the question about one message;
 * - `waiting`: the turn's card between the reason and the reply's end, so a turn interrupts once;
 * - `task`: the two task questions about a conversation the participant left.
 */
export type Card =
  | { kind: 'reason' | 'reaction'; messageId: number }
  | { kind: 'waiting'; messageId: number }
  | { kind: 'task'; conversationId: string };

export function cardSearch(card: Card): Record<string, string> {
  const params: Record<string, string> = { kind: card.kind };
  if ('messageId' in card) params.messageId = String(card.messageId);
  if (card.kind === 'task') params.conversationId = card.conversationId;
  return params;
}
