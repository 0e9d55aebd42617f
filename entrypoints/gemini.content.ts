import '@/utils/zod-jitless';
import { runContentScript } from '@/utils/content/run';
import { gemini } from '@/utils/sites/gemini';

export default defineContentScript({
  matches: ['https://gemini.google.com/*'],
  runAt: 'document_idle',
  main: (ctx) => runContentScript(ctx, gemini),
});
