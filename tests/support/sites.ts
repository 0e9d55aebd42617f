import type { Site } from '../../utils/data/records';

/** What a browser test needs to know to chat on each fake site the way a participant would. */
export const SITE_PAGES: Record<
  Site,
  { composer: string; conversationUrl: () => string; newChatUrl: string; conversationPath: RegExp; provider: string }
> = {
  chatgpt: {
    composer: '#prompt-textarea',
    conversationUrl: () => `https://chatgpt.com/c/${crypto.randomUUID()}`,
    newChatUrl: 'https://chatgpt.com/',
    conversationPath: /\/c\/[0-9a-f-]{36}$/,
    provider: 'OpenAI',
  },
  claude: {
    composer: '[data-testid="chat-input"]',
    conversationUrl: () => `https://claude.ai/chat/${crypto.randomUUID()}`,
    newChatUrl: 'https://claude.ai/new',
    conversationPath: /\/chat\/[0-9a-f-]{36}$/,
    provider: 'Anthropic',
  },
  gemini: {
    composer: 'rich-textarea .ql-editor',
    conversationUrl: () => `https://gemini.google.com/app/${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`,
    newChatUrl: 'https://gemini.google.com/app',
    conversationPath: /\/app\/[0-9a-f]{16}$/,
    provider: 'Google',
  },
};
