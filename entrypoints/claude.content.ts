import '@/utils/zod-jitless';
import { runContentScript } from '@/utils/content/run';
import { claude } from '@/utils/sites/claude';

export default defineContentScript({
  matches: ['https://claude.ai/*'],
  runAt: 'document_idle',
  main: (ctx) => runContentScript(ctx, claude),
});
