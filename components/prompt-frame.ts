import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import * as z from 'zod/mini';
import { sendMessage } from '@/utils/messaging';
import type { CardEvent } from '@/utils/prompt-protocol';

// What every card in the prompt iframe shares: talking to the content script that placed it.

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** The card the content script asked for, read from the page's address (see `Card` in utils/prompt-protocol.ts). */
const positiveId = z.pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/)), z.transform(Number));
export const cardParamsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['reason', 'reaction']), messageId: positiveId }),
  z.object({ kind: z.literal('waiting'), messageId: positiveId }),
  z.object({ kind: z.literal('task'), conversationId: z.string().check(z.minLength(1), z.maxLength(200)) }),
]);

/** This card's id, from its address (the content script ignores events of cards it replaced). */
const CARD_ID = new URLSearchParams(location.search).get('card') ?? '';

/**
 * Tells the content script about the card: its size, that it was touched, that it closed; never
 * what was typed. Through the background, so the chat page cannot listen in.
 */
export function tellHost(message: DistributiveOmit<CardEvent, 'card'>): void {
  void sendMessage('cardEvent', { card: CARD_ID, ...message } as CardEvent).catch(() => undefined);
}

/** Keeps the iframe as tall as the card. */
export function useReportSize(rootRef: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const report = () => tellHost({ type: 'resize', height: root.getBoundingClientRect().height });
    report();
    const observer = new ResizeObserver(report);
    observer.observe(root);
    return () => observer.disconnect();
  }, [rootRef]);
}

/** The content script's focus message (see `FocusCard` in utils/prompt-protocol.ts). */
const focusCardSchema = z.object({ source: z.literal('thoughttrace-host'), type: z.literal('focus'), card: z.string() });

/**
 * The focus shortcut: the content script focuses the frame and posts this card a focus message;
 * the card puts the keyboard in its first field. A click inside the card focuses what was
 * clicked instead.
 */
export function useHostFocus(onFocus: () => void): void {
  const latest = useRef(onFocus);
  latest.current = onFocus;
  useEffect(() => {
    const nothingFocused = () => !document.activeElement || document.activeElement === document.body;
    const onWindowFocus = () => {
      if (nothingFocused()) latest.current();
    };
    const onHostMessage = (event: MessageEvent) => {
      const parsed = focusCardSchema.safeParse(event.data);
      if (event.source !== window.parent || !parsed.success || parsed.data.card !== CARD_ID) return;
      if (nothingFocused()) latest.current();
    };
    window.addEventListener('focus', onWindowFocus);
    window.addEventListener('message', onHostMessage);
    return () => {
      window.removeEventListener('focus', onWindowFocus);
      window.removeEventListener('message', onHostMessage);
    };
  }, []);
}

const FADE_MS = 600;

/**
 * An ignored card fades away after `seconds` (null: not yet known) and then closes as `faded`.
 * `touch()` keeps it for good, also while it fades, and tells the host once.
 */
export function useFadeWhenIgnored(seconds: number | null): { fading: boolean; touch: () => void; touched: RefObject<boolean> } {
  const touched = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [fading, setFading] = useState(false);
  useEffect(() => {
    if (seconds === null) return;
    timer.current = setTimeout(() => {
      if (touched.current) return;
      setFading(true);
      timer.current = setTimeout(() => {
        if (!touched.current) tellHost({ type: 'closed', outcome: 'faded' });
      }, FADE_MS);
    }, seconds * 1000);
    return () => clearTimeout(timer.current);
  }, [seconds]);
  const touch = useCallback(() => {
    if (touched.current) return;
    touched.current = true;
    clearTimeout(timer.current);
    setFading(false);
    tellHost({ type: 'touched' });
  }, []);
  return { fading, touch, touched };
}

/** The card's frame, shared by every card. */
export const CARD_CLASS =
  'm-0 rounded-[14px] border border-zinc-200 bg-white text-zinc-900 shadow-lg transition-opacity duration-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';
export const FIELD_CLASS =
  'w-full resize-y rounded-lg border border-zinc-300 bg-white p-2 text-sm text-zinc-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:focus:ring-indigo-900';
export const QUIET_BUTTON_CLASS =
  'rounded-lg px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-300 dark:hover:bg-zinc-800';
export const SAVE_BUTTON_CLASS =
  'rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';
