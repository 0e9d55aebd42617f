import { db } from '@/utils/db';
import { onMessage, sendMessage } from '@/utils/messaging';
import { backgroundRequests, openConversation, type BackgroundRequest, type OpenConversation } from '@/utils/requests';
import { cardEventSchema } from '@/utils/prompt-protocol';
import { createStore, InvalidRequestError } from '@/utils/store';
import * as z from 'zod/mini';

/** How long a tab may take to say what it shows; a frozen or discarded tab counts as showing nothing. */
const TAB_REPLY_MS = 1500;

/**
 * The conversations the chat tabs show now, asked of each tab's content script. Tabs without one
 * (other sites) reject at once. Needs no "tabs" permission: it never reads a tab's address.
 */
async function openConversations(): Promise<OpenConversation[]> {
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

export default defineBackground(() => {
  const store = createStore(db(), undefined, openConversations);

  // The only writer: every request is validated by the store before it touches the database.
  for (const type of Object.keys(backgroundRequests) as BackgroundRequest[]) {
    onMessage(type, ({ data }) => store.handle(type, data) as never);
  }

  // The prompt card's events go to the content script of its own tab, out of the chat page's sight.
  const cardPage = browser.runtime.getURL('/thought-prompt.html');
  onMessage('cardEvent', ({ data, sender }) => {
    const parsed = cardEventSchema.safeParse(data);
    if (!parsed.success) throw new InvalidRequestError(`Invalid "cardEvent" message: ${z.prettifyError(parsed.error)}`);
    const tabId = sender.tab?.id;
    if (tabId === undefined || !sender.url?.startsWith(cardPage)) return;
    return sendMessage('relayCardEvent', parsed.data, { tabId, frameId: 0 }).catch(() => undefined);
  });

  // First run: the welcome page says what is recorded; nothing is until the participant turns it on there.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
    else if (reason === 'update') void store.keepRecordingAfterUpdate();
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'focus-thought-prompt') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await sendMessage('focusThoughtPrompt', undefined, tab.id).catch(() => false);
  });
});
