import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';

// Hosts the extension runs on. Kept here so the manifest's content-script
// matches and the prompt iframe's web-accessible-resource matches agree.
const CHAT_SITES = ['https://chatgpt.com/*', 'https://claude.ai/*', 'https://gemini.google.com/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ plugins: [tailwindcss()] }),
  manifest: ({ browser }) => ({
    name: 'ThoughtTrace',
    description:
      'Note why you send each prompt and what you think of each reply on AI chat sites. Stored on your device; shared only with your consent.',
    // IndexedDB is the only store; unlimitedStorage keeps the browser from evicting thoughts under storage pressure.
    permissions: ['unlimitedStorage'],
    web_accessible_resources:
      browser === 'firefox'
        ? ['thought-prompt.html']
        : [{ resources: ['thought-prompt.html'], matches: CHAT_SITES }],
    commands: {
      'focus-thought-prompt': {
        suggested_key: { default: 'Alt+Shift+T' },
        description: 'Focus the open thought prompt',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'thoughttrace@thoughttrace.org',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
