import * as z from 'zod/mini';

// How the card in the prompt iframe learns what it is, and what it tells the content script that
// placed it. Its address says nothing of the card (only a theme hint), since the chat page can
// read it. The content script keeps which card its frame shows, under a random id that it hands
// to the page loaded in its frame, and to no other window (CardHandover). The card asks the
// background "which card am I", naming that id; the background asks the content script of the
// sender's tab, and from then on knows the card by the frame the browser says it came from. A
// frame the chat page made itself never has the id, so it gets nothing. Everything else goes
// through runtime messaging, out of the page's sight. zod/mini keeps the content script small.

/**
 * What a card shows:
 * - `reason` / `reaction`: the question about one message;
 * - `waiting`: the turn's card between the reason and the reply's end, so a turn interrupts once;
 * - `task`: the two task questions about a conversation the participant left.
 */
export const cardSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['reason', 'reaction', 'waiting']), messageId: z.int().check(z.positive()) }),
  z.object({ kind: z.literal('task'), conversationId: z.string().check(z.minLength(1), z.maxLength(200)) }),
]);
export type Card = z.infer<typeof cardSchema>;

/** The content script's answer about one of its frames: the card in it, named by an id that changes with every card. */
export const placedCardSchema = z.object({ id: z.string().check(z.minLength(8), z.maxLength(64)), card: cardSchema });
export type PlacedCard = z.infer<typeof placedCardSchema>;

/**
 * The content script → the page just loaded in its card's frame, by postMessage to that window at
 * the extension's origin: the one message that does not go through the background, as Chrome
 * cannot tell a content script the id of a frame (runtime.getFrameId is Firefox's). The page
 * could post the same shape, but cannot know the id.
 */
export const cardHandoverSchema = z.object({ source: z.literal('thoughttrace-host'), card: z.string().check(z.minLength(8), z.maxLength(64)) });
export type CardHandover = z.infer<typeof cardHandoverSchema>;

/** The background's answer to "which card am I": the placed card and where it is, which focus requests name. */
export const cardBindingSchema = /* @__PURE__ */ z.extend(placedCardSchema, { tabId: z.int().check(z.nonnegative()), frameId: z.int().check(z.positive()) });
export type CardBinding = z.infer<typeof cardBindingSchema>;

/**
 * Each card kind's frame height, whatever it holds: the card scrolls inside, so the page, which
 * sees the frame, never learns whether there are drafts or thoughts, nor how long they are.
 */
export const CARD_HEIGHTS = { reason: 340, reaction: 340, waiting: 44, task: 320 } as const satisfies Record<Card['kind'], number>;

/**
 * What a card reports: that it rendered (`ready`), that it was touched, or how it `closed`
 * (`dismissed`: for the whole turn, by the strip's × or asking less: no reaction this turn). One
 * flat object so the content script carries as little of zod as it can: `card` is the id from the
 * card's binding (events of a card replaced since are ignored); `outcome` comes with `closed`.
 */
export const cardEventSchema = z.object({
  card: z.string().check(z.minLength(8), z.maxLength(64)),
  type: z.enum(['ready', 'touched', 'closed']),
  outcome: z.optional(z.enum(['saved', 'skipped', 'faded', 'dismissed'])),
});
export type CardEvent = z.infer<typeof cardEventSchema>;
export type CloseOutcome = NonNullable<CardEvent['outcome']>;
/** What the card's code may send: a `closed` event always says how. */
export type CardReport = { type: Exclude<CardEvent['type'], 'closed'> } | { type: 'closed'; outcome: CloseOutcome };
/**
 * As the background relays it: with the frame the browser says it came from. The background parses
 * every card event against `cardEventSchema` and drops the rest, so the content script takes only
 * what passed (runtime messages reach it from the extension alone, never from the page), and
 * compares the card id and frame with its own; zod then stays out of the injected script.
 */
export type RelayedCardEvent = CardEvent & { frameId: number };

export const CARD_PAGE = '/card.html';

/**
 * The port a bound card opens to the background. Focus requests come over it as well as by
 * runtime broadcast: Firefox broadcasts to no extension frame inside a tab, and Chrome's service
 * worker may have restarted since the card connected, which closes the port.
 */
export const CARD_PORT = 'thoughttrace-card';
export const TAKE_FOCUS = 'take-focus';
