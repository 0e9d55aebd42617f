import { runContentScript } from '@/utils/content/run';
import { createClaudeAdapter } from '@/utils/sites/claude';

export default defineContentScript({
  // The site's pages as its row in utils/sites/registry.ts has them (the build checks they agree);
  // written out here so the injected script does not carry the registry.
  matches: ['https://claude.ai/*'],
  runAt: 'document_idle',
  main: (ctx) => runContentScript(ctx, createClaudeAdapter()),
});
