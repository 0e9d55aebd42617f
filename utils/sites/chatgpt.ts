import { htmlToMarkdown } from '../markdown';
import type { Role } from '../schema';
import type { PageKind, SiteAdapter, Turn } from './types';

// Every ChatGPT selector, most stable first (data-* attributes and ids before classes; never
// localized labels). Sources and dates: ../shared/SITES.md section 1. Fixtures that must keep
// matching them: tests/fixtures/chatgpt/.
export const selectors = {
  /** 2026-09: the ProseMirror editor; the Lexical forms are late-2026 candidates. Skips the hidden textarea decoy. */
  composer: [
    '#prompt-textarea[contenteditable="true"]',
    '[data-testid="prompt-textarea"][contenteditable="true"]',
    '[contenteditable="true"][data-lexical-editor="true"]',
  ],
  /** One element whose data-testid flips between send-button and stop-button. */
  sendButton: ['#composer-submit-button[data-testid="send-button"]', 'button[data-testid="send-button"]'],
  stopButton: [
    '#composer-submit-button[data-testid="stop-button"]',
    'button[data-testid="stop-button"]',
    'button[data-testid="composer-stop-button"]',
  ],
  /** Turn shells: <section> since 2026-03, <article> before; match the attributes, not the tag. */
  turn: '[data-turn][data-turn-id], [data-testid^="conversation-turn-"][data-turn]',
  message: '[data-message-author-role][data-message-id]',
  userText: '.whitespace-pre-wrap',
  replyBody: '.markdown',
  /** Present in the newest assistant turn only while it thinks or streams. */
  streaming: '[data-streaming-response-status]',
  /** Rendered once a reply is final. good-response is assistant-only; copy also sits on user turns. */
  finishedActions: [
    '[data-testid="good-response-turn-action-button"]',
    '[data-testid="copy-turn-action-button"]',
  ],
  modelSlug: '[data-message-model-slug]',
  transcriptRoot: ['[data-scroll-root]', '#thread', 'main'],
} as const;

const UUID = /\/c\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

const first = (root: ParentNode, list: readonly string[]): HTMLElement | null => {
  for (const selector of list) {
    const found = root.querySelector<HTMLElement>(selector);
    if (found) return found;
  }
  return null;
};

/** Skips editors the site keeps hidden (the fallback decoy, inactive layouts). */
const isShown = (el: HTMLElement) => !el.closest('[hidden], [aria-hidden="true"]') && el.style.display !== 'none';

/** "gpt-5-6-thinking" → "GPT-5.6 Thinking", "gpt-4o" → "GPT-4o", "o3" → "o3". */
export function modelNameFromSlug(slug: string): string {
  const parts = slug.trim().toLowerCase().split('-').filter(Boolean);
  if (parts[0] !== 'gpt') return slug.trim();
  const version: string[] = [];
  let i = 1;
  while (i < parts.length && /^\d+[a-z]?$/.test(parts[i]!) && (version.length === 0 || /^\d+$/.test(parts[i]!))) {
    version.push(parts[i]!);
    i++;
  }
  const rest = parts.slice(i).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return [`GPT-${version.join('.')}`.replace(/-$/, ''), ...rest].join(' ');
}

function roleOf(el: Element): Role | null {
  const role = el.getAttribute('data-turn') ?? el.getAttribute('data-message-author-role');
  return role === 'user' || role === 'assistant' ? role : null;
}

export const chatgpt: SiteAdapter = {
  site: 'chatgpt',
  name: 'ChatGPT',

  classify(url: URL): PageKind {
    if (url.searchParams.get('temporary-chat') === 'true') return { kind: 'private' };
    const match = UUID.exec(url.pathname);
    if (match && !url.pathname.startsWith('/share/')) return { kind: 'conversation', conversationId: match[1]!.toLowerCase() };
    // A new chat (optionally in a custom GPT or project), or the transient /c/WEB:… route.
    if (url.pathname === '/' || /^\/g\/[^/]+\/?$/.test(url.pathname) || /^\/(?:g\/[^/]+\/)?c\/WEB:/.test(url.pathname)) {
      return { kind: 'conversation', conversationId: null };
    }
    return { kind: 'other' };
  },

  composer(doc) {
    for (const selector of selectors.composer) {
      for (const el of doc.querySelectorAll<HTMLElement>(selector)) if (isShown(el)) return el;
    }
    return null;
  },

  composerText: (composer) => composer.innerText.trim(),

  isSendControl: (target) => target.closest(selectors.sendButton.join(',')) !== null,

  transcriptRoot: (doc) => first(doc, selectors.transcriptRoot) ?? doc.body,

  turns(doc) {
    const turns: Turn[] = [];
    const shells = doc.querySelectorAll(selectors.turn);
    if (shells.length > 0) {
      for (const element of shells) {
        const role = roleOf(element);
        const message = element.querySelector(selectors.message);
        const id = element.getAttribute('data-turn-id') || message?.getAttribute('data-message-id');
        if (role && id) turns.push({ id, role, element });
      }
      return turns;
    }
    // Older builds: no turn shell, one node per message.
    for (const element of doc.querySelectorAll(selectors.message)) {
      const role = roleOf(element);
      const id = element.getAttribute('data-message-id');
      if (role && id) turns.push({ id, role, element });
    }
    return turns;
  },

  userText(turn) {
    const message = turn.element.matches(selectors.message) ? turn.element : turn.element.querySelector(selectors.message);
    const body = message?.querySelector(selectors.userText) ?? message;
    // textContent keeps the pre-wrap text exactly and needs no layout.
    return (body?.textContent ?? '').trim();
  },

  replyFinished(turn, doc) {
    if (turn.element.querySelector(selectors.streaming)) return false;
    if (first(doc, selectors.stopButton)) return false;
    if (!first(turn.element, selectors.finishedActions)) return false;
    return turn.element.querySelector(selectors.replyBody) !== null;
  },

  replyMarkdown(turn) {
    const bodies = [...turn.element.querySelectorAll(`[data-message-author-role="assistant"] ${selectors.replyBody}`)];
    const parts = (bodies.length ? bodies : [...turn.element.querySelectorAll(selectors.replyBody)])
      // A nested .markdown (e.g. inside a tool card) is part of its outer body already.
      .filter((body) => !body.parentElement?.closest(selectors.replyBody));
    return parts.map((body) => htmlToMarkdown(body)).filter(Boolean).join('\n\n');
  },

  modelName(turn, doc) {
    const slug = (turn?.element ?? doc).querySelector(selectors.modelSlug)?.getAttribute('data-message-model-slug');
    return slug ? modelNameFromSlug(slug) : '';
  },

  title(doc) {
    const title = doc.title.replace(/\s*[-|]\s*ChatGPT\s*$/i, '').trim();
    return title === 'ChatGPT' ? '' : title;
  },
};
