import { htmlToMarkdown, type MarkdownDialect } from './markdown';
import type { Role } from '../data/records';
import { first, firstShown, lastChildren, notCaptured } from './dom';
import type { PageKind, ReplyState, SiteAdapter, Turn } from './types';

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
  /**
   * 2026-07: a Deep Research answer is only a sandboxed cross-origin frame in the turn (no message
   * node, no .markdown): its report cannot be read from the page.
   */
  unreadableFrame: 'iframe[title^="internal://"], iframe[src*="oaiusercontent.com"], iframe[sandbox]',
  /** The thread: [data-scroll-root] (2026-07 [S10]) or #thread (2026-01 capture); `main` is the fallback. */
  thread: ['[data-scroll-root]', '#thread'],
  transcriptRoot: ['[data-scroll-root]', '#thread', 'main'],
  /** Outer shell of each turn; it stays behind, empty, when a turn is virtualized away. */
  turnShell: '[data-turn-id-container]',
  /** An edited user turn's inline editor and its send button (2026: .btn-primary in the turn). */
  inlineEditor: 'textarea, [contenteditable="true"]',
  inlineSend: 'button.btn-primary',
} as const;

const UUID = /\/c\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

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

function toTurn(element: Element): Turn | null {
  const role = element.getAttribute('data-turn') ?? element.getAttribute('data-message-author-role');
  if (role !== 'user' && role !== 'assistant') return null;
  // The message id changes with each edit or regeneration, so each version is its own turn.
  const message = element.matches(selectors.message) ? element : element.querySelector(selectors.message);
  const id = message?.getAttribute('data-message-id') || element.getAttribute('data-turn-id');
  return id ? { id, role, element } : null;
}

/**
 * The ChatGPT adapter. Each content script makes its own, so what it finds once and keeps (the
 * transcript's wrapper) belongs to that page and nothing is shared between pages or tests.
 */
/** ChatGPT's replies: screen-reader headings ("ChatGPT said:") and the CodeMirror code viewer (2026-07). */
const MARKDOWN: MarkdownDialect = { chrome: '.sr-only', codeWrapper: '.cm-editor, .cm-scroller, div[dir="ltr"]' };

export function createChatgptAdapter(): SiteAdapter {
  let turnList: Element | null = null;

  /** The element whose children are the turns, found once and kept while it stays mounted. */
  function turnListOf(doc: Document): Element | null {
    if (turnList?.isConnected) return turnList;
    const shell = doc.querySelector(selectors.turnShell) ?? doc.querySelector(selectors.turn) ?? doc.querySelector(selectors.message);
    turnList = shell?.parentElement ?? null;
    return turnList;
  }

  function composerForm(doc: Document): ParentNode {
    return adapter.composer(doc)?.closest('form') ?? doc;
  }

  const userTurnOf = (target: Element) => target.closest('[data-turn="user"], [data-message-author-role="user"]');

  const adapter: SiteAdapter = {
    site: 'chatgpt',
    settleMs: 300,
    observedAttributes: ['data-testid', 'data-streaming-response-status', 'data-message-id', 'id'],
    markdown: MARKDOWN,

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

    composer: (doc) => firstShown(doc, selectors.composer),

    composerArea(doc) {
      const composer = adapter.composer(doc);
      return composer?.closest('form') ?? composer;
    },

    composerText: (composer) => composer.innerText.trim(),

    isComposerInput(target) {
      if (target.closest(selectors.composer.join(','))) return true;
      return userTurnOf(target) !== null && target.closest(selectors.inlineEditor) !== null;
    },

    isSendControl(target) {
      if (target.closest(selectors.sendButton.join(','))) return true;
      return userTurnOf(target) !== null && target.closest(selectors.inlineSend) !== null;
    },

    transcriptRoot: (doc) => first(doc, selectors.transcriptRoot) ?? doc.body,

    turns(doc) {
      const shells = doc.querySelectorAll(selectors.turn);
      const elements = shells.length > 0 ? shells : doc.querySelectorAll(selectors.message);
      return [...elements].map(toTurn).filter((turn): turn is Turn => turn !== null);
    },

    tail(doc, count) {
      return lastChildren(turnListOf(doc), count, (child) => {
        const element = child.matches(selectors.turn) ? child : child.querySelector(selectors.turn) ?? (child.matches(selectors.message) ? child : null);
        return element ? toTurn(element) : null;
      });
    },

    userText(turn) {
      const message = turn.element.matches(selectors.message) ? turn.element : turn.element.querySelector(selectors.message);
      const body = message?.querySelector(selectors.userText) ?? message;
      // textContent keeps the pre-wrap text exactly and needs no layout.
      return (body?.textContent ?? '').trim();
    },

    // SITES.md 1.3, in its order: the stop button and the streaming marker mean generating; the
    // action bar (assistant-only good-response, or copy) means finished. Neither: pending.
    replyState(turn, doc): ReplyState {
      if (turn.element.querySelector(selectors.streaming)) return 'generating';
      if (first(composerForm(doc), selectors.stopButton)) return 'generating';
      if (!first(turn.element, selectors.finishedActions)) return 'pending';
      return turn.element.querySelector(`${selectors.replyBody}, ${selectors.unreadableFrame}`) ? 'finished' : 'pending';
    },

    replyMarkdown(turn) {
      const bodies = [...turn.element.querySelectorAll(`[data-message-author-role="assistant"] ${selectors.replyBody}`)];
      const parts = (bodies.length ? bodies : [...turn.element.querySelectorAll(selectors.replyBody)])
        // A nested .markdown (e.g. inside a tool card) is part of its outer body already.
        .filter((body) => !body.parentElement?.closest(selectors.replyBody))
        .map((body) => htmlToMarkdown(body, MARKDOWN));
      const frame = turn.element.querySelector(selectors.unreadableFrame);
      if (frame) {
        const what = /deep-research/i.test(`${frame.getAttribute('title')} ${frame.getAttribute('src')}`) ? 'the Deep Research report' : 'part of this reply';
        parts.push(notCaptured(`${what}, which ChatGPT shows in a frame extensions cannot read`));
      }
      return parts.filter(Boolean).join('\n\n');
    },

    messageKey: (turn) => turn.id,

    modelName(turn, doc) {
      const slug = (turn?.element ?? doc).querySelector(selectors.modelSlug)?.getAttribute('data-message-model-slug');
      return slug ? modelNameFromSlug(slug) : '';
    },

    title(doc) {
      const title = doc.title.replace(/\s*[-|]\s*ChatGPT\s*$/i, '').trim();
      return title === 'ChatGPT' ? '' : title;
    },

    required: [
      { name: 'composer', selectors: selectors.composer, when: 'page' },
      { name: 'conversation turns', selectors: [selectors.turn, selectors.message], when: 'history' },
    ],
    hints: [{ name: 'thread', selectors: selectors.thread }],
  };

  return adapter;
}
