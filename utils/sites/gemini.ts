import { htmlToMarkdown, type MarkdownDialect } from './markdown';
import { first, firstShown, fingerprint, notCaptured } from './dom';
import type { PageKind, ReplyState, SiteAdapter, Turn } from './types';

// Every Gemini selector, most stable first: custom element names and data-test-id before ids,
// then semantic classes, then structure; localized aria-labels only as last fallbacks, each
// marked as such. Sources and dates: ../shared/SITES.md section 3 ([S4] 2026-03, [S8] 2026-09-06/09,
// [S9] 2026-07-25, [S10] 2026-07/08, [S19] 2026-07). Fixtures that must keep matching them:
// tests/fixtures/gemini/.
export const selectors = {
  /**
   * The transcript's scroller ([S9][S10] 2026-07). The sidebar has a second infinite-scroller
   * without this data-test-id, so a bare `infinite-scroller` is never used. `main` is the last
   * resort: turns still need the custom elements below, so it cannot produce turns on its own.
   */
  transcript: ['infinite-scroller[data-test-id="chat-history-container"]', 'infinite-scroller.chat-history', '#chat-history'],
  transcriptFallback: 'chat-window, main',
  /** One per exchange: one user-query, one model-response ([S9] 2026-07-25). Its id is an opaque 16-hex. */
  exchange: '.conversation-container',
  userQuery: 'user-query',
  modelResponse: 'model-response',
  /**
   * One per prompt line; a blank line is an empty <p> holding <br> ([S9]; [S19b]). The 2026-01
   * capture has bare <p>s in user-query-content instead.
   */
  userLine: ['p.query-text-line', 'user-query-content p'],
  userTextBox: '.query-text',
  /** An edited prompt: .query-content gains .edit-mode; Cancel/Update sit in .edit-button-area ([S19b]). */
  editMode: '.query-content.edit-mode',
  editInput: 'textarea, [contenteditable="true"]',
  editButtonArea: '.edit-button-area',
  /**
   * SITES.md names no hook for Update itself. `.update-button` is what the fixture renders (an
   * assumption); without it, Update is the area's last button, since the row is Cancel then
   * Update [S19b]. Never matched by its localized text.
   */
  updateButton: 'button.update-button',
  /** message-content#message-content-id-r_<hex>: a Redo gives a new r_ id ([S8] 2026-09-09). */
  messageContent: 'message-content',
  messageContentIdPrefix: 'message-content-id-',
  /** Deep Research: the reply holds a chip; the report opens in an immersive panel outside the turn (2026-07). */
  immersiveChip: 'immersive-entry-chip',
  immersiveTitle: '.card-title',
  /** Temporary chat: the toggle is marked on, or its explanatory card is shown (2025-12 to 2026). */
  temporaryChat: [
    '[data-test-id="temp-chat-button"].temp-chat-on',
    '[data-test-id="temp-chat-button"] .temp-chat-on',
    'temp-chat-button .temp-chat-on',
    '[data-test-id="temp-chat-button"][aria-pressed="true"]',
    '.temporary-chat-card',
  ],
  /** The reply body; aria-busy="true" while streaming, "false" when done ([S9] measured 2026-07-25). */
  replyBody: ['message-content .markdown.markdown-main-panel', 'message-content .markdown'],
  busy: '.markdown[aria-busy="true"]',
  /** Rendered once a reply is final: the action row ([S8][S12]) or the footer's .complete ([S4] 2026-03). */
  finishedMarks: ['message-actions', '.response-footer.complete'],
  /** Never part of a reply: thoughts, sources, screen-reader labels, icon-font ligatures, code-block headers. */
  notReply: [
    'model-thoughts',
    'thinking-overlay',
    'sources-list',
    '.cdk-visually-hidden',
    'mat-icon',
    '.code-block-decoration',
    'button',
  ].join(', '),
  /** Quill's editor inside rich-textarea ([S4][S8][S19]); never the off-screen div.ql-clipboard decoy. */
  composer: [
    'rich-textarea div.ql-editor[contenteditable="true"]',
    'rich-textarea [contenteditable="true"][role="textbox"]:not(.ql-clipboard)',
  ],
  /** Where Send and Stop live (the 4th slot of input-area-v2 [S8]); Stop is only looked for here. */
  composerArea: 'input-area-v2, input-container',
  /**
   * Send and Stop share one slot [S8], so a bare `.send-button` may be Stop. Send is recognised by
   * its icon or the `.submit` class, and only when nothing about it says Stop. The aria-label is
   * localized ([S8]; ko "대답 생성 중지" for Stop): a last fallback.
   */
  sendIcon: 'mat-icon[data-mat-icon-name="send"], mat-icon[fonticon="send"]',
  sendButton: 'button.send-button.submit',
  sendLabel: 'button[aria-label="Send message"]',
  stop: [
    'mat-icon[data-mat-icon-name="stop"]',
    'mat-icon[fonticon="stop"]',
    'button.send-button.stop',
    // [S23] 2025-12: the Stop square as an SVG path.
    'path[d="M6 6h12v12H6z"]',
    // Localized; last fallback.
    'button[aria-label="Stop response"]',
  ],
  stopOnButton: '.stop, [aria-label="Stop response"]',
  /** The mode picker ([S8] 2026-09-09; [S19] 2026-07); the aria-label is English-only, a fallback. */
  modePicker: ['[data-test-id="bard-mode-menu-button"]', 'button[aria-label^="Open mode picker"]'],
  /** Page chrome inside labels: icon-font ligatures and screen-reader text. */
  chrome: 'mat-icon, .cdk-visually-hidden, svg, [aria-hidden="true"]',
} as const;

/**
 * Text Gemini shows in a reply before the answer starts ([S8] gemini/selectors.json). A reply whose
 * only text is one of these is still generating. English only; localized placeholders are not known.
 */
const PLACEHOLDERS = /^(?:thinking|searching the internet|analy[sz]ing)\s*(?:\.{1,3}|…)?$/i;

const HEX16 = '([0-9a-f]{16})';
const ACCOUNT = '(?:/u/\\d+)?';
const CONVERSATION = [new RegExp(`^${ACCOUNT}/app/${HEX16}$`, 'i'), new RegExp(`^${ACCOUNT}/gem/[^/]+/${HEX16}$`, 'i')];
const NEW_CHAT = [new RegExp(`^${ACCOUNT}/app$`), new RegExp(`^${ACCOUNT}/gem/[^/]+$`)];

const clean = (el: Element, prune: string): Element => {
  const clone = el.cloneNode(true) as Element;
  clone.querySelectorAll(prune).forEach((node) => node.remove());
  return clone;
};

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A composer line's text, with <br> as a line break (a trailing one is Quill's empty-line filler). */
function blockText(block: Element): string {
  let text = '';
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) text += child.nodeValue ?? '';
      else if (child.nodeName === 'BR') text += '\n';
      else walk(child);
    }
  };
  walk(block);
  return text.replace(/\n$/, '');
}

/** One prompt line; Gemini pads each rendered line with whitespace [S19b], so lines are trimmed. */
function lineText(line: Element): string {
  const el = line.querySelector(selectors.chrome) ? clean(line, selectors.chrome) : line;
  return (el.textContent ?? '').trim();
}

function readUserText(query: Element): string {
  const lineSelector = selectors.userLine.find((selector) => query.querySelector(selector)) ?? selectors.userLine[0];
  const lines = [...query.querySelectorAll(lineSelector)].map(lineText);
  if (lines.length === 0) {
    // Older or future markup without per-line <p>: the text box minus its label and icons.
    const box = query.querySelector(selectors.userTextBox);
    return box ? (clean(box, `${selectors.chrome}, button`).textContent ?? '').trim() : '';
  }
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

/** The reply body, never a `.markdown` inside thoughts or sources. */
function replyBodyOf(response: Element): Element | null {
  for (const selector of selectors.replyBody) {
    for (const el of response.querySelectorAll(selector)) {
      if (!el.parentElement?.closest('model-thoughts, thinking-overlay, sources-list')) return el;
    }
  }
  return null;
}

/** The body without page chrome, with each code block's language moved from its header onto <code>. */
function replyContent(body: Element): Element {
  const clone = body.cloneNode(true) as Element;
  for (const header of clone.querySelectorAll('.code-block-decoration')) {
    const block = header.closest('code-block, .code-block') ?? header.parentElement;
    const code = block?.querySelector('pre code');
    const label = collapse(clean(header, `${selectors.chrome}, button`).textContent ?? '');
    if (code && label && !/(?:^|\s)(?:language|lang)-/.test(code.className)) {
      code.classList.add(`language-${label.toLowerCase().replace(/\s+/g, '-')}`);
    }
  }
  clone.querySelectorAll(selectors.notReply).forEach((node) => node.remove());
  return clone;
}

const replyText = (body: Element) => collapse(replyContent(body).textContent ?? '');

/** The exchange's turns: the prompt (skipped while its inline editor is open) and the reply. */
function exchangeTurns(container: Element): Turn[] {
  const id = container.id;
  if (!id) return [];
  const turns: Turn[] = [];
  const query = container.querySelector(selectors.userQuery);
  if (query) {
    const text = readUserText(query);
    // In edit mode the prompt's lines are replaced by the editor: no version of it is on the page
    // (the engine would otherwise see a new, empty user turn, keyed on the draft).
    const editing = !text && query.querySelector(selectors.editMode) !== null;
    // Angular can keep the container id across an edit, so the text is part of the id.
    if (!editing) turns.push({ id: `${id}:user:${fingerprint(text)}`, role: 'user', element: query });
  }
  const response = container.querySelector(selectors.modelResponse);
  // Stable while it streams and across a Redo; messageKey tells the versions apart.
  if (response) turns.push({ id: `${id}:model`, role: 'assistant', element: response });
  return turns;
}

/**
 * The Gemini adapter. Each content script makes its own, so what it finds once and keeps (the
 * transcript's wrapper) belongs to that page and nothing is shared between pages or tests.
 */
/**
 * Gemini's replies: Angular CDK's screen-reader copies, and formulas whose TeX the wrapper keeps
 * in data-math (its KaTeX carries only the aria-hidden glyphs).
 */
const MARKDOWN: MarkdownDialect = {
  chrome: '.cdk-visually-hidden',
  math: { selector: '.math-inline[data-math], .math-block[data-math], .math-display[data-math]', display: '.math-block, .math-display', texAttribute: 'data-math' },
  codeWrapper: 'div[dir="ltr"]',
};

export function createGeminiAdapter(): SiteAdapter {
  let transcript: Element | null = null;

  /** The transcript's scroller, kept while it stays mounted; `main` only while no scroller exists. */
  function transcriptOf(doc: Document): Element | null {
    if (transcript?.isConnected && transcript.ownerDocument === doc) return transcript;
    transcript = first(doc, selectors.transcript);
    return transcript ?? doc.querySelector(selectors.transcriptFallback);
  }

  /** Exchanges in page order; one nested inside another (never seen) is not its own exchange. */
  function exchanges(root: Element): Element[] {
    return [...root.querySelectorAll(selectors.exchange)].filter((el) => {
      const outer = el.parentElement?.closest(selectors.exchange);
      return !outer || !root.contains(outer);
    });
  }

  /** Walks back from the end of `parent`, descending only into wrappers that hold exchanges. */
  function collectBackward(parent: Element, count: number, found: Turn[]): void {
    for (let child = parent.lastElementChild; child && found.length < count; child = child.previousElementSibling) {
      if (child.matches(selectors.exchange)) found.unshift(...exchangeTurns(child));
      else if (child.querySelector(selectors.exchange)) {
        const inner: Turn[] = [];
        collectBackward(child, count - found.length, inner);
        found.unshift(...inner);
      }
    }
  }

  function composerArea(doc: Document): Element | null {
    return adapter.composer(doc)?.closest(selectors.composerArea) ?? doc.querySelector(selectors.composerArea);
  }

  const stopShown = (doc: Document) => {
    const area = composerArea(doc);
    return area !== null && first(area, selectors.stop) !== null;
  };

  const isStopControl = (button: Element) => button.matches(selectors.stopOnButton) || first(button, selectors.stop) !== null;

  function isUpdateButton(button: Element): boolean {
    if (button.matches(selectors.updateButton)) return true;
    const area = button.closest(selectors.editButtonArea);
    const buttons = area ? area.querySelectorAll('button') : [];
    return buttons.length > 1 && buttons[buttons.length - 1] === button;
  }

  const lastResponse = (doc: Document): Element | null => {
    const turn = adapter.tail(doc, 1)[0];
    return turn?.role === 'assistant' ? turn.element : null;
  };

  /** The visible label's first line: the first text outside icons and screen-reader labels. */
  function pickerLabel(picker: Element): string {
    const label = clean(picker, selectors.chrome);
    const walker = label.ownerDocument.createTreeWalker(label, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const parent = node.parentElement;
      const text = parent && parent !== label ? parent.textContent ?? '' : node.textContent;
      return text.split('\n').map((line) => line.trim()).find(Boolean) ?? '';
    }
    return '';
  }

  /** "Open mode picker, currently Pro" (English only) → "Pro"; a trailing "Extended" is the thinking level. */
  function pickerAriaMode(picker: Element): string {
    const match = /currently\s+(.+)$/i.exec(picker.getAttribute('aria-label') ?? '');
    return match ? match[1]!.replace(/[,\s]+extended(?:\s+thinking)?\s*$/i, '').trim() : '';
  }

  const adapter: SiteAdapter = {
    site: 'gemini',
    settleMs: 300,
    observedAttributes: ['data-testid', 'aria-busy', 'id'],
    markdown: MARKDOWN,

    classify(url: URL): PageKind {
      const path = url.pathname.replace(/\/+$/, '') || '/';
      for (const pattern of CONVERSATION) {
        const match = pattern.exec(path);
        if (match) return { kind: 'conversation', conversationId: match[1]!.toLowerCase() };
      }
      if (NEW_CHAT.some((pattern) => pattern.test(path))) return { kind: 'conversation', conversationId: null };
      return { kind: 'other' };
    },

    composer: (doc) => firstShown(doc, selectors.composer),

    composerArea(doc) {
      const composer = adapter.composer(doc);
      return composer?.closest('input-container') ?? composer;
    },

    composerText(composer) {
      // Quill keeps one <p> per line; an empty line is <p><br></p>.
      const lines = [...composer.children].filter((el) => el.tagName === 'P' || el.tagName === 'DIV');
      if (lines.length > 0) return lines.map(blockText).join('\n').trim();
      return (composer.innerText ?? composer.textContent ?? '').trim();
    },

    isComposerInput(target) {
      if (target.closest(selectors.composer.join(','))) return true;
      return target.closest(selectors.userQuery) !== null && target.closest(selectors.editMode) !== null && target.closest(selectors.editInput) !== null;
    },

    isSendControl(target) {
      const button = target.closest('button, [role="button"]');
      if (!button) return false;
      if (button.closest(selectors.userQuery) && button.closest(selectors.editButtonArea)) return isUpdateButton(button);
      if (!button.closest(selectors.composerArea) || isStopControl(button)) return false;
      return button.matches(selectors.sendButton) || button.querySelector(selectors.sendIcon) !== null || button.matches(selectors.sendLabel);
    },

    transcriptRoot: (doc) => transcriptOf(doc) ?? doc.body,

    turns(doc) {
      const root = transcriptOf(doc);
      return root ? exchanges(root).flatMap(exchangeTurns) : [];
    },

    tail(doc, count) {
      const root = transcriptOf(doc);
      if (!root || count <= 0) return [];
      const found: Turn[] = [];
      collectBackward(root, count, found);
      return found.slice(-count);
    },

    userText: (turn) => readUserText(turn.element),

    replyState(turn, doc): ReplyState {
      if (turn.role === 'user') return 'finished';
      const response = turn.element;
      if (response.querySelector(selectors.busy)) return 'generating';
      const body = replyBodyOf(response);
      const text = body ? replyText(body) : '';
      if (PLACEHOLDERS.test(text)) return 'generating';
      const marked = first(response, selectors.finishedMarks) !== null;
      if (body?.getAttribute('aria-busy') === 'false' && text && marked) {
        // Complete by its own signals. A Stop control can still be showing for seconds after a send,
        // before the new exchange mounts, while this is still the last response [S8]: that Stop
        // belongs to the next reply, not to this one.
        return 'finished';
      }
      // Stop belongs to the newest reply only, and only while that reply is not complete on its own.
      if (stopShown(doc) && lastResponse(doc) === response) return 'generating';
      return 'pending';
    },

    replyMarkdown(turn) {
      const body = replyBodyOf(turn.element);
      if (!body) return '';
      const chips = [...body.querySelectorAll(selectors.immersiveChip)].map((chip) => collapse(chip.querySelector(selectors.immersiveTitle)?.textContent ?? ''));
      const content = replyContent(body);
      content.querySelectorAll(selectors.immersiveChip).forEach((chip) => chip.remove());
      if (PLACEHOLDERS.test(collapse(content.textContent ?? ''))) return '';
      const reports = chips.map((title) => notCaptured(`the Deep Research report${title ? ` “${title}”` : ''}, which Gemini shows in a side panel`));
      return [htmlToMarkdown(content, MARKDOWN), ...reports].filter(Boolean).join('\n\n');
    },

    messageKey(turn, content) {
      if (turn.role !== 'assistant') return turn.id;
      const id = turn.element.querySelector(selectors.messageContent)?.id ?? '';
      if (id.startsWith(selectors.messageContentIdPrefix) && id.length > selectors.messageContentIdPrefix.length) {
        return id.slice(selectors.messageContentIdPrefix.length);
      }
      return `${turn.id}:${fingerprint(content)}`;
    },

    modelName(_turn, doc) {
      // The picker shows the mode for the next prompt: the page names no model per reply.
      const picker = first(doc, selectors.modePicker);
      if (!picker) return '';
      const label = pickerLabel(picker) || pickerAriaMode(picker);
      if (!label) return '';
      return /^gemini\b/i.test(label) ? label : `Gemini ${label}`;
    },

    title(doc) {
      // document.title is "<title> - Google Gemini", and "\u200EGoogle Gemini" while loading [S9]. The
      // sidebar's selected row has no documented hook (selection is class-only), so it is not used.
      const title = doc.title.replace(/[\u200e\u200f]/g, '').replace(/\s*[-|–]\s*Google Gemini\s*$/i, '').trim();
      return /^(?:Google\s+)?Gemini$/i.test(title) ? '' : title;
    },

    required: [
      { name: 'composer', selectors: selectors.composer, when: 'page' },
      {
        name: 'conversation containers',
        selectors: [`${selectors.exchange} ${selectors.modelResponse}`],
        when: 'history',
      },
    ],
    hints: [{ name: 'transcript scroller', selectors: selectors.transcript }],

    isPrivate: (doc) => first(doc, selectors.temporaryChat) !== null,
  };

  return adapter;
}
