import { browser } from 'wxt/browser';
import { placedCardSchema, type PlacedCard } from '../protocol/card';
import { sendMessage } from '../protocol/messages';
import { openConversation, type OpenConversation } from '../protocol/requests';

// What the background asks the chat tabs' content scripts: which conversation each shows, and
// which card a frame of theirs shows. Every answer is parsed; a tab that does not answer in time
// counts as showing nothing.

/** How long a tab may take to say what it shows; a frozen or discarded tab counts as showing nothing. */
const TAB_REPLY_MS = 1500;

/**
 * The conversations the chat tabs show now, asked of each tab's content script. Tabs without one
 * (other sites) reject at once. Needs no "tabs" permission: it never reads a tab's address.
 */
export async function openConversations(): Promise<OpenConversation[]> {
  const tabs = await browser.tabs.query({});
  const replies = await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined || tab.discarded) return null;
      const reply = await Promise.race([
        sendMessage('openConversation', undefined, tab.id).catch(() => null),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), TAB_REPLY_MS)),
      ]);
      const parsed = openConversation.nullable().safeParse(reply);
      return parsed.success ? parsed.data : null;
    }),
  );
  return replies.filter((page) => page !== null);
}

/** The card the content script of `tabId` placed, if frame `frameId` shows it (`card`: the id the frame names, on its first ask). */
export async function placedCard(tabId: number, frameId: number, card?: string): Promise<PlacedCard | null> {
  const reply = await sendMessage('cardAt', { frameId, ...(card === undefined ? {} : { card }) }, { tabId, frameId: 0 }).catch(() => null);
  const parsed = placedCardSchema.safeParse(reply);
  return parsed.success ? parsed.data : null;
}
