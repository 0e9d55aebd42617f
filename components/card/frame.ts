import { createContext, useCallback, useContext, useEffect, useRef, useState, type RefObject } from 'react';
import { onMessage, sendMessage, type ProtocolMap } from '@/utils/protocol/messages';
import { browser } from 'wxt/browser';
import { CARD_PORT, TAKE_FOCUS, type CardBinding, type CardReport } from '@/utils/protocol/card';

// What every card in the prompt iframe shares: talking to the content script that placed it.

/** Which card this page shows and where, as the background answered (see utils/prompt-protocol.ts). */
let binding: CardBinding | null = null;
const focusRequests = new Set<() => void>();

/** The focus shortcut reached this card: the keyboard goes to its first field, unless something in it has focus already. */
function takeFocus() {
  if (document.activeElement && document.activeElement !== document.body) return;
  for (const onFocus of focusRequests) onFocus();
}

/** Remembers the card's binding, and listens for the background's focus requests (see CARD_PORT). */
export function bindCard(bound: CardBinding): void {
  binding = bound;
  browser.runtime.connect({ name: CARD_PORT }).onMessage.addListener((message) => {
    if (message === TAKE_FOCUS) takeFocus();
  });
  onMessage('takeFocus', ({ data }) => {
    if (data.tabId === bound.tabId && data.frameId === bound.frameId) takeFocus();
  });
}

/**
 * Tells the content script about the card: that it rendered, that it was touched, that it closed;
 * never what was typed. Through the background, so the chat page cannot listen in.
 */
export function tellHost(message: CardReport): void {
  void sendMessage('cardEvent', { card: binding?.id ?? '', ...message }).catch(() => undefined);
}

/** What a card may ask the background. */
type CardRequest =
  | 'getCardContext'
  | 'saveDraft'
  | 'discardDraft'
  | 'addThought'
  | 'snooze'
  | 'setConversationQuiet'
  | 'updateSettings'
  | 'getTaskContext'
  | 'updateTask';
export type CardSend = <K extends CardRequest>(type: K, data: Parameters<ProtocolMap[K]>[0]) => Promise<ReturnType<ProtocolMap[K]>>;

/**
 * A card's one way out: its requests, and its reports to the host that placed it. In the card's
 * frame on a chat page they go to the background; the welcome page's demo gives its cards a
 * channel that keeps everything on the page, so trying the card stores nothing.
 */
export interface CardChannel {
  send: CardSend;
  tellHost(report: CardReport): void;
}

export const CardChannelContext = createContext<CardChannel>({ send: (type, data) => sendMessage(type, data as never) as never, tellHost });
export const useCardChannel = (): CardChannel => useContext(CardChannelContext);

/** Tells the host once the card has rendered, so that an asked-for card can take the keyboard. */
export function useReportReady(): void {
  const { tellHost: tell } = useCardChannel();
  useEffect(() => {
    tell({ type: 'ready' });
  }, [tell]);
}

/**
 * The focus shortcut: the content script focuses the frame and asks the background, which tells
 * this card (and only the card bound to that tab and frame); the card puts the keyboard in its
 * first field. Nothing the page does can ask it: the page can focus the frame, not the field.
 */
export function useHostFocus(onFocus: () => void): void {
  const latest = useRef(onFocus);
  latest.current = onFocus;
  useEffect(() => {
    const request = () => latest.current();
    focusRequests.add(request);
    return () => void focusRequests.delete(request);
  }, []);
}

const FADE_MS = 600;

/**
 * An ignored card fades away after `seconds` (null: not yet known) and then closes as `faded`.
 * `touch()` keeps it for good, also while it fades, and tells the host once.
 */
export function useFadeWhenIgnored(seconds: number | null): { fading: boolean; touch: () => void; touched: RefObject<boolean> } {
  const { tellHost: tell } = useCardChannel();
  const touched = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [fading, setFading] = useState(false);
  useEffect(() => {
    if (seconds === null) return;
    timer.current = setTimeout(() => {
      if (touched.current) return;
      setFading(true);
      timer.current = setTimeout(() => {
        if (!touched.current) tell({ type: 'closed', outcome: 'faded' });
      }, FADE_MS);
    }, seconds * 1000);
    return () => clearTimeout(timer.current);
  }, [seconds, tell]);
  const touch = useCallback(() => {
    if (touched.current) return;
    touched.current = true;
    clearTimeout(timer.current);
    setFading(false);
    tell({ type: 'touched' });
  }, [tell]);
  return { fading, touch, touched };
}

/** The card's frame, shared by every card: as tall as its box (the frame, whose height is fixed per kind); its content scrolls inside. */
export const CARD_CLASS =
  'm-0 box-border h-full overflow-y-auto rounded-[14px] border border-zinc-200 bg-white text-zinc-900 shadow-lg transition-opacity duration-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';
export const FIELD_CLASS =
  'w-full resize-y rounded-lg border border-zinc-300 bg-white p-2 text-sm text-zinc-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:focus:ring-indigo-900';
export const QUIET_BUTTON_CLASS =
  'rounded-lg px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-zinc-300 dark:hover:bg-zinc-800';
export const SAVE_BUTTON_CLASS =
  'rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';
