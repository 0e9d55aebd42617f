import '@/utils/zod-jitless';
import { runContentScript } from '@/utils/content/run';
import { chatgpt } from '@/utils/sites/chatgpt';

export default defineContentScript({
  matches: ['https://chatgpt.com/*'],
  runAt: 'document_idle',
  main: (ctx) => runContentScript(ctx, chatgpt),
});
