import * as z from 'zod/mini';

// postMessage traffic between the content script (host) and the thought prompt's iframe.
// It never carries what the participant typed: thoughts go from the iframe straight to the
// background, out of the chat page's reach. zod/mini keeps the content script small.

const fromPrompt = z.literal('thoughttrace-prompt');

export const frameToHostSchema = z.discriminatedUnion('type', [
  z.object({ source: fromPrompt, type: z.literal('resize'), height: z.number().check(z.minimum(0), z.maximum(2000)) }),
  z.object({ source: fromPrompt, type: z.literal('touched') }),
  /** `dismissed`: the participant closed the turn's card while it waited for the reply (no reaction this turn). */
  z.object({ source: fromPrompt, type: z.literal('closed'), outcome: z.enum(['saved', 'skipped', 'faded', 'dismissed']) }),
]);
export type FrameToHost = z.infer<typeof frameToHostSchema>;
export type CloseOutcome = Extract<FrameToHost, { type: 'closed' }>['outcome'];

export const hostToFrameSchema = z.object({ source: z.literal('thoughttrace-host'), type: z.literal('focus') });
export type HostToFrame = z.infer<typeof hostToFrameSchema>;

export const PROMPT_PAGE = '/thought-prompt.html';

/**
 * What the prompt page shows, read from its URL:
 * - `reason` / `reaction`: the question about one message;
 * - `waiting`: the turn's card between the reason and the reply's end, so a turn interrupts once;
 * - `task`: the two task questions about a conversation the participant left.
 */
export type Card =
  | { kind: 'reason' | 'reaction'; messageId: number }
  | { kind: 'waiting'; messageId: number; after: 'saved' | 'skipped' | 'faded' }
  | { kind: 'task'; conversationId: string };

export function cardSearch(card: Card): Record<string, string> {
  const params: Record<string, string> = { kind: card.kind };
  if ('messageId' in card) params.messageId = String(card.messageId);
  if (card.kind === 'waiting') params.after = card.after;
  if (card.kind === 'task') params.conversationId = card.conversationId;
  return params;
}
