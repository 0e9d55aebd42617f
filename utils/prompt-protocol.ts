import * as z from 'zod/mini';

// postMessage traffic between the content script (host) and the thought prompt's iframe.
// It never carries what the participant typed: thoughts go from the iframe straight to the
// background, out of the chat page's reach. zod/mini keeps the content script small.

const fromPrompt = z.literal('thoughttrace-prompt');

export const frameToHostSchema = z.discriminatedUnion('type', [
  z.object({ source: fromPrompt, type: z.literal('resize'), height: z.number().check(z.minimum(0), z.maximum(2000)) }),
  z.object({ source: fromPrompt, type: z.literal('touched') }),
  z.object({ source: fromPrompt, type: z.literal('closed'), outcome: z.enum(['saved', 'skipped', 'faded']) }),
]);
export type FrameToHost = z.infer<typeof frameToHostSchema>;

export const hostToFrameSchema = z.object({ source: z.literal('thoughttrace-host'), type: z.literal('focus') });
export type HostToFrame = z.infer<typeof hostToFrameSchema>;

export const PROMPT_PAGE = '/thought-prompt.html';
