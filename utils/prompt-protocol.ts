import { z } from 'zod';

// postMessage traffic between the content script (host) and the thought prompt's iframe.
// It never carries what the participant typed: thoughts go from the iframe straight to the
// background, out of the chat page's reach.

export const frameToHostSchema = z.discriminatedUnion('type', [
  z.object({ source: z.literal('thoughttrace-prompt'), type: z.literal('resize'), height: z.number().min(0).max(2000) }),
  z.object({ source: z.literal('thoughttrace-prompt'), type: z.literal('touched') }),
  z.object({
    source: z.literal('thoughttrace-prompt'),
    type: z.literal('closed'),
    outcome: z.enum(['saved', 'skipped', 'faded']),
  }),
]);
export type FrameToHost = z.infer<typeof frameToHostSchema>;

export const hostToFrameSchema = z.object({ source: z.literal('thoughttrace-host'), type: z.literal('focus') });
export type HostToFrame = z.infer<typeof hostToFrameSchema>;

export const PROMPT_PAGE = '/thought-prompt.html';
