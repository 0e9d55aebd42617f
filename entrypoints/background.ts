import { db } from '@/utils/db';
import { onMessage, sendMessage } from '@/utils/messaging';
import { backgroundRequests, type BackgroundRequest } from '@/utils/requests';
import { createStore } from '@/utils/store';

export default defineBackground(() => {
  const store = createStore(db());

  // The only writer: every request is validated by the store before it touches the database.
  for (const type of Object.keys(backgroundRequests) as BackgroundRequest[]) {
    onMessage(type, ({ data }) => store.handle(type, data) as never);
  }

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'focus-thought-prompt') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await sendMessage('focusThoughtPrompt', undefined, tab.id).catch(() => false);
  });
});
