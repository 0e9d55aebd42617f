import { htmlToMarkdown, type MarkdownDialect } from './markdown';
import { childOf, commonAncestor, first, firstShown, fingerprint, lastChildren, notCaptured } from './dom';
import type { PageKind, ReplyState, SiteAdapter, Turn } from './types';

// Every claude.ai selector, most stable first (data-* attributes before semantic classes, ARIA
// structure after; localized labels only as a fast path that is never the sole rule). Sources and
// dates: ../shared/SITES.md section 2 ([S9] measured 2026-07/08, [S13] 2026-07/08, [S24] 2026-07).
// Fixtures that must keep matching them: tests/fixtures/claude/.
export const selectors = {
  /**
   * 2026-08 composer redesign: lugia19 re-anchored on the testid [S13 PR #89]. Fallback: the
   * editable inside the input container hook (a data-* attribute, not the localized aria-label
   * "Write your prompt to Claude").
   */
  composer: [
    '[data-testid="chat-input"][contenteditable="true"]',
    '[data-chat-input-container="true"] [contenteditable="true"]',
  ],
  /** The box around the editor; its fieldset also holds the attach/tool buttons and the send slot. */
  composerArea: ['fieldset', '[data-chat-input-container]'],
  /**
   * "Send message" ⇄ "Stop response" share one slot and have no testid [S14][S15]. The labels are
   * localized ([S9]: none found on a ko-KR account), so they are only a fast path in English; the
   * rule that survives a language change is structural (see isSendControl).
   */
  sendLabel: 'button[aria-label="Send message"]',
  stopLabel: 'button[aria-label="Stop response"]',
  /** The thread scroller, the only [data-autoscroll-container] on the page [S9][S16]. */
  transcriptRoot: ['[data-autoscroll-container]', 'main'],
  /**
   * Row wrappers, outermost first: virtualized [data-index] rows (the only per-turn identity, no
   * message ids in the DOM [S9] 2026-07-25), role="article" (2026-07 markup), and the
   * [data-test-render-count] div inside it (the 2026-07 capture has only this one). Hints only.
   */
  rows: ['[data-index]', '[role="article"]', '[data-test-render-count]'],
  /** The open artifact's side panel, outside every turn; it reuses the reply classes (2026-07). */
  sidePanel: '#wiggle-file-content, [data-skill-file-viewer]',
  /** An artifact's card inside a reply: its title line; the artifact itself is in the side panel. */
  artifactBlock: '[class~="group/artifact-block"], .artifact-block-cell',
  artifactTitle: '.leading-tight, .line-clamp-1',
  /** User row: the bubble, or (attachment-only turns have none) the user-only edit action [S9]. */
  userMessage: '[data-testid="user-message"]',
  userMarker: '[data-testid="user-message"], [data-testid="action-bar-edit"]',
  /** The prompt's paragraphs (whitespace-pre-wrap, one per line) inside the bubble. */
  userParagraph: 'p.whitespace-pre-wrap',
  /**
   * Assistant row: no testid exists; .font-claude-response since 2025-08 [S1]. Deep Research
   * artifacts reuse the class with #markdown-artifact and are not the reply [S9][S10].
   */
  response: '.font-claude-response',
  artifact: '#markdown-artifact',
  replyBody: '.standard-markdown',
  /** An expanded thinking block holds its own .standard-markdown [S9 2026-07-29]. */
  thinking: '[data-timeline-text], [class~="group/timeline-text"]',
  /** On the wrapper of the assistant body; "true" while streaming, "false" once done [S9][S16]. */
  streamNode: '[data-is-streaming]',
  streaming: '[data-is-streaming="true"]',
  streamDone: '[data-is-streaming="false"]',
  /** Assistant-only actions, rendered when the reply is done [S9]; copy is on both roles. */
  assistantActions: '[data-testid="action-bar-retry"], [data-testid="action-bar-read-aloud"]',
  retry: '[data-testid="action-bar-retry"]',
  /** 2026-08: the picker sits in the footer row below the composer; text without "Claude" [S13]. */
  modelSelector: '[data-testid="model-selector-dropdown"]',
  modelLabel: '.whitespace-nowrap',
  /** chat-title-button was renamed chat-title-split in 2026-07 [S13][S24]. */
  title: ['[data-testid="chat-title-split"]', '[data-testid="chat-title-button"]'],
  /** An edited user row's inline editor (Cancel / Save, Save being the form's submit). */
  inlineEditor: 'textarea, [contenteditable="true"]',
  inlineSubmit: 'button[type="submit"]',
} as const;

const CHAT = /^\/chat\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
const INCOGNITO_KEY = 'incognito_temporary_conversation_uuid';

/** The uuid claude.ai keeps for the current incognito chat [S13], or null. */
function incognitoUuid(doc?: Document): string | null {
  try {
    const storage = (doc?.defaultView ?? globalThis).sessionStorage;
    const raw = storage?.getItem(INCOGNITO_KEY);
    if (raw === null || raw === undefined) return null;
    try {
      const parsed: unknown = JSON.parse(raw);
      const uuid = typeof parsed === 'object' && parsed !== null ? (parsed as { uuid?: unknown }).uuid : parsed;
      return typeof uuid === 'string' ? uuid.toLowerCase() : '';
    } catch {
      return raw.toLowerCase();
    }
  } catch {
    return null; // storage blocked
  }
}

/** Text without screen-reader labels, icons or controls, whitespace collapsed. */
function visibleText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) parts.push(node.textContent ?? '');
    else if (node.nodeType === 1 && !(node as Element).matches('.sr-only, svg, [aria-hidden="true"]')) node.childNodes.forEach(walk);
  };
  walk(element);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** The transcript's row element of any kind, outermost first ([data-index] wraps the article, which wraps the render-count div). */
const ROW = selectors.rows.join(', ');

/** Message markers that are turns, not the artifact side panel's copy of a document. */
function markersIn(root: ParentNode): Element[] {
  return [...root.querySelectorAll(`${selectors.userMarker}, ${selectors.response}, ${selectors.streamNode}`)].filter(
    (el) => !el.closest(selectors.sidePanel),
  );
}

/**
 * The Claude adapter. Each content script makes its own, so what it finds once and keeps (the
 * transcript's wrapper) belongs to that page and nothing is shared between pages or tests.
 */
/** Claude's replies: screen-reader copies; formulas and code are plain KaTeX and <pre><code>. */
const MARKDOWN: MarkdownDialect = { chrome: '.sr-only' };

export function createClaudeAdapter(): SiteAdapter {
  let rowList: Element | null = null;

  /**
   * The element whose children are the rows, found once and kept while it stays mounted and holds
   * messages. The row wrappers ([data-index], role="article", [data-test-render-count]) are hints:
   * with none of them, the rows are the children of the lowest element holding both a prompt and
   * a reply.
   */
  function rowListOf(doc: Document): Element | null {
    if (rowList?.isConnected && rowList.ownerDocument === doc && markersIn(rowList).length > 0) return rowList;
    const root = first(doc, selectors.transcriptRoot) ?? doc.body;
    const markers = markersIn(root);
    const anchor = markers[0];
    if (!anchor) return (rowList = null);
    let row: Element | null = null;
    for (let el: Element | null = anchor.closest(ROW); el && root.contains(el); el = el.parentElement?.closest(ROW) ?? null) row = el;
    if (row) return (rowList = row.parentElement);
    const user = markers.find((el) => el.matches(selectors.userMarker));
    const reply = markers.find((el) => !el.matches(selectors.userMarker));
    rowList = user && reply ? commonAncestor(user, reply) : null;
    return rowList;
  }

  /** The row (a child of the row list) holding `element`. */
  function rowOf(element: Element): Element | null {
    const list = rowListOf(element.ownerDocument);
    return list?.contains(element) ? childOf(list, element) : null;
  }

  const isUserRow = (row: Element) => markersIn(row).some((el) => el.matches(selectors.userMarker));
  const isAssistantRow = (row: Element) =>
    [...row.querySelectorAll(selectors.response)].some((el) => !el.closest(selectors.artifact) && !el.closest(selectors.sidePanel)) ||
    row.querySelector(`${selectors.streamNode}, ${selectors.assistantActions}`) !== null;

  function userTextOf(row: Element): string {
    const message = row.querySelector(selectors.userMessage);
    if (!message) return '';
    const paragraphs = [...message.querySelectorAll(selectors.userParagraph)];
    // textContent keeps the pre-wrap text exactly (and needs no layout); one paragraph per line.
    if (paragraphs.length) return paragraphs.map((p) => p.textContent ?? '').join('\n').trim();
    return (message.textContent ?? '').trim();
  }

  /** The row's place: its data-index where the site numbers rows, else its position among the rows. */
  function indexOf(row: Element): string {
    const numbered = row.matches('[data-index]') ? row : row.querySelector('[data-index]');
    const index = numbered?.getAttribute('data-index');
    if (index && /^\d+$/.test(index)) return index;
    return String(Array.prototype.indexOf.call(row.parentElement?.children ?? [], row));
  }

  /** The Turn for one row, or null for rows that are not (yet) a message. */
  function toTurn(row: Element): Turn | null {
    if (isUserRow(row)) return { id: `row:${indexOf(row)}:${fingerprint(userTextOf(row))}`, role: 'user', element: row };
    if (isAssistantRow(row)) return { id: `row:${indexOf(row)}`, role: 'assistant', element: row };
    // The reply row mounts ~1.2 s before anything in it says "assistant" [S9]. An unmarked row
    // right after a user row is that reply, pending. (A user row in inline edit follows an
    // assistant row, so it stays unmarked and is skipped until saved.) Only a real row counts:
    // a spacer after the last prompt is not a reply.
    const previous = row.previousElementSibling;
    if (row.matches(ROW) && previous && isUserRow(previous) && !row.querySelector(selectors.inlineEditor)) {
      return { id: `row:${indexOf(row)}`, role: 'assistant', element: row };
    }
    return null;
  }

  /**
   * Rows alternate user / assistant. If several rows are mounted and none reads as a user turn,
   * the page has changed shape (the user-message and edit testids are gone): report nothing rather
   * than replies without their prompts. [S24] guards the same way ("warns when only one message
   * role yields copy buttons").
   */
  function shapeLost(list: Element, parsed: Turn[]): boolean {
    if (parsed.some((turn) => turn.role === 'user')) return false;
    if (markersIn(list).some((el) => el.matches(selectors.userMarker))) return false;
    return parsed.length >= 2;
  }

  /** The composer's box: the fieldset (or input container) that holds the editor and the send slot. */
  function composerAreaOf(doc: Document): Element | null {
    const composer = adapter.composer(doc);
    if (!composer) return null;
    for (const selector of selectors.composerArea) {
      const area = composer.closest(selector);
      if (area && area.querySelector('button')) return area;
    }
    return null;
  }

  const doc = (el: Element) => el.ownerDocument;

  /** The transcript row `target` sits in when that row is a user message open in the inline editor. */
  function editingRowOf(target: Element): Element | null {
    const row = rowOf(target);
    if (!row || isAssistantRow(row) || !row.querySelector(selectors.inlineEditor)) return null;
    return first(doc(target), selectors.transcriptRoot)?.contains(row) ? row : null;
  }

  const adapter: SiteAdapter = {
    site: 'claude',
    settleMs: 300,
    observedAttributes: ['data-testid', 'data-is-streaming', 'id'],
    markdown: MARKDOWN,

    classify(url: URL, page?: Document): PageKind {
      // Incognito chats live at /new?incognito and never get a /chat/ URL [S13].
      if (url.searchParams.has('incognito')) return { kind: 'private' };
      const match = CHAT.exec(url.pathname);
      const isNew = url.pathname === '/' || /^\/new\/?$/.test(url.pathname);
      // The temporary chat's uuid stays in sessionStorage; it can outlive the incognito chat in the
      // tab, so it only marks the page private when nothing in the URL says otherwise: on a new
      // chat, or on the /chat/ URL of that very uuid.
      const incognito = incognitoUuid(page);
      if (incognito !== null && (isNew || (match && match[1]!.toLowerCase() === incognito))) return { kind: 'private' };
      if (match) return { kind: 'conversation', conversationId: match[1]!.toLowerCase() };
      if (isNew) return { kind: 'conversation', conversationId: null };
      // /project/…, /recents, /chats, /share/…, /code, /claude-code-desktop, /cowork/…, /settings/…
      return { kind: 'other' };
    },

    composer: (doc) => firstShown(doc, selectors.composer),

    composerArea(doc) {
      const composer = adapter.composer(doc);
      return composer?.closest('form, fieldset') ?? composer;
    },

    composerText: (composer) => (composer.innerText ?? composer.textContent ?? '').trim(),

    isComposerInput(target) {
      if (target.closest(selectors.composer.join(','))) return true;
      return target.closest(selectors.inlineEditor) !== null && editingRowOf(target) !== null;
    },

    isSendControl(target) {
      const button = target.closest('button');
      if (!button || button.disabled) return false;
      // An inline edit's Save: the submit button of the editor's form inside a user row.
      const editing = editingRowOf(button);
      if (editing) {
        const submits = [...editing.querySelectorAll(selectors.inlineSubmit)];
        return submits.length > 0 ? submits.includes(button) : [...editing.querySelectorAll('button')].at(-1) === button;
      }
      // English fast path; the labels flip in place, so this never mistakes Stop for Send.
      if (button.matches(selectors.sendLabel)) return true;
      if (button.matches(selectors.stopLabel)) return false;
      // Any language: the composer's submit slot is the last button of the composer box, after the
      // attach / tool menus. It is Stop while a reply streams, and Send needs text to send.
      const area = composerAreaOf(doc(button));
      if (!area?.contains(button) || button.closest(selectors.composer.join(','))) return false;
      if (button.matches('[aria-haspopup], [aria-pressed], [data-testid]')) return false;
      if ([...area.querySelectorAll('button')].at(-1) !== button) return false;
      const composer = adapter.composer(doc(button));
      if (!composer || adapter.composerText(composer) === '') return false;
      return adapter.transcriptRoot(doc(button)).querySelector(selectors.streaming) === null;
    },

    transcriptRoot: (doc) => first(doc, selectors.transcriptRoot) ?? doc.body,

    turns(doc) {
      const list = rowListOf(doc);
      if (!list) return [];
      const turns = [...list.children].map(toTurn).filter((turn): turn is Turn => turn !== null);
      return shapeLost(list, turns) ? [] : turns;
    },

    tail(doc, count) {
      const list = rowListOf(doc);
      if (!list || count <= 0) return [];
      const turns = lastChildren(list, count, toTurn);
      return shapeLost(list, turns) ? [] : turns;
    },

    userText: (turn) => userTextOf(turn.element),

    replyState(turn): ReplyState {
      const row = turn.element;
      // Only "true" means streaming; a bare [data-is-streaming] is not a signal [S9].
      if (row.querySelector(selectors.streaming)) return 'generating';
      if (!row.querySelector(selectors.retry)) return 'pending';
      if (row.querySelector(selectors.streamDone)) return 'finished';
      // Some builds keep the stream node on the last reply only [S11]: an older reply with its
      // action bar, followed by later rows, is done. The newest one without the node is not.
      return row.nextElementSibling && toTurn(row.nextElementSibling) ? 'finished' : 'pending';
    },

    // The reply's prose blocks and, in their place, a marker for each artifact card (the artifact
    // itself opens in a side panel outside the turn). Tool widgets such as web search are chrome.
    replyMarkdown(turn) {
      const parts = [...turn.element.querySelectorAll(`${selectors.response} :is(${selectors.replyBody}, ${selectors.artifactBlock})`)]
        .filter(
          (part) =>
            !part.closest(selectors.thinking) &&
            !part.closest(selectors.artifact) &&
            // A nested block is part of its outer block already.
            !part.parentElement?.closest(`${selectors.replyBody}, ${selectors.artifactBlock}`),
        )
        .map((part) => {
          if (part.matches(selectors.replyBody)) return htmlToMarkdown(part, MARKDOWN);
          const title = visibleText(part.querySelector(selectors.artifactTitle) ?? part);
          return notCaptured(`the artifact “${title}”, which Claude shows in a side panel`);
        });
      return parts.filter(Boolean).join('\n\n');
    },

    messageKey(turn, content) {
      // No message ids in Claude's DOM: a regenerated reply streams into the same row, so the
      // version is told apart by its text. A user turn's id already carries its text.
      if (turn.role !== 'assistant') return turn.id;
      return `row:${indexOf(turn.element)}:${fingerprint(content)}`;
    },

    modelName(_turn, doc) {
      const selector = doc.querySelector(selectors.modelSelector);
      if (!selector) return '';
      const label = visibleText(selector.querySelector(selectors.modelLabel) ?? selector);
      if (!label) return '';
      // The picker says "Opus 4.8"; the dataset writes "Claude Opus 4.8".
      return /^claude\b/i.test(label) ? label : `Claude ${label}`;
    },

    title(doc) {
      const element = first(doc, selectors.title);
      const text = element ? visibleText(element) : '';
      if (text) return text;
      const title = doc.title.replace(/\s*[-–|]\s*Claude\s*$/i, '').trim();
      return title === 'Claude' ? '' : title;
    },

    required: [
      { name: 'composer', selectors: selectors.composer, when: 'page' },
      { name: 'prompts', selectors: [selectors.userMessage, '[data-testid="action-bar-edit"]'], when: 'history' },
      { name: 'replies', selectors: [selectors.response], when: 'history' },
    ],
    hints: [
      { name: 'message rows', selectors: selectors.rows },
    ],
  };

  return adapter;
}
