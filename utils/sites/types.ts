import type { Role } from '../data/records';
import type { MarkdownDialect } from './markdown';
import type { Site } from './registry';

/**
 * A turn the page has mounted. `id` is stable while the turn stays mounted and is the same on
 * every visit for finished turns; it is what the engine uses to tell new turns from known ones.
 */
export interface Turn {
  id: string;
  role: Role;
  element: Element;
}

/** What a URL on a supported site means for capture. */
export type PageKind =
  /** A conversation; `conversationId` is null on a new chat until the site assigns one. */
  | { kind: 'conversation'; conversationId: string | null }
  /** A chat the participant asked the site not to keep (temporary / incognito): never captured. */
  | { kind: 'private' }
  /** Anything else on the site (settings, share pages, project homes). */
  | { kind: 'other' };

/**
 * Where a reply stands by the site's own signals:
 * - `pending`: nothing says it is generating, and not every completion mark is there (a finished
 *   reply whose action bar the page does not show, or one that has not started yet);
 * - `generating`: thinking or streaming;
 * - `finished`: every completion signal the site gives is present.
 * A turn already on the page when it loads is finished unless it is `generating`.
 */
export type ReplyState = 'pending' | 'generating' | 'finished';

/** A selector group the adapter needs, for the health check and its log. */
export interface SelectorProbe {
  /** Plain-language name used in the log and the popup, e.g. "composer". */
  name: string;
  selectors: readonly string[];
  /**
   * What it is needed for. `page` (the composer): on every conversation page once loaded; without
   * it new prompts are not seen, but what the page shows is still recorded. `history` (the turns):
   * where the page shows a transcript; without them nothing can be recorded on the page.
   */
  when: 'page' | 'history';
}

/**
 * A wrapper the adapter prefers (a scroller, a row, a container) but can do without: when none of
 * its selectors match while turns are found, a fallback is in use, and the health report names it.
 */
export interface SelectorHint {
  name: string;
  selectors: readonly string[];
}

/**
 * Everything the capture engine needs to know about one chat site. Each site lives in one
 * file under utils/sites/ with its selectors in one place, ordered most stable first; the engine
 * never touches the DOM except through this interface.
 */
export interface SiteAdapter {
  /** The site's row in utils/sites/registry.ts (its name, provider and address). */
  site: Site;
  /** How long a finished reply's text must stay unchanged before it is captured. */
  settleMs: number;
  /**
   * The attributes whose changes can mean a turn appeared, changed version or finished (streaming
   * flags, message ids, busy states): the capture engine's observer watches these and child lists.
   */
  observedAttributes: readonly string[];
  /** The reply markup's particulars (screen-reader copies, formulas, code viewers) for Markdown conversion. */
  markdown: MarkdownDialect;
  classify(url: URL, doc: Document): PageKind;
  /** The visible prompt editor, if mounted. */
  composer(doc: Document): HTMLElement | null;
  /**
   * The composer's whole box on screen (the editor with its send button and tools), which our UI
   * never covers; null when no composer is shown.
   */
  composerArea(doc: Document): Element | null;
  /** The editor's current text. */
  composerText(composer: HTMLElement): string;
  /**
   * Whether a keydown Enter in `target` sends a prompt: the composer, or the inline editor of an
   * edited user turn.
   */
  isComposerInput(target: Element): boolean;
  /** Whether a click on `target` sends a prompt (the send button, or an edit's send/update button). */
  isSendControl(target: Element): boolean;
  /** Element to observe for transcript changes. */
  transcriptRoot(doc: Document): Element;
  /** Every mounted turn, in page order. */
  turns(doc: Document): Turn[];
  /** The newest `count` mounted turns, in page order, without scanning the whole transcript. */
  tail(doc: Document, count: number): Turn[];
  /** The text of a user turn as the participant wrote it. */
  userText(turn: Turn): string;
  replyState(turn: Turn, doc: Document): ReplyState;
  /** The reply as Markdown, without page chrome, thinking blocks or placeholders. */
  replyMarkdown(turn: Turn): string;
  /** The id stored with a captured message, stable across visits, distinct per version. */
  messageKey(turn: Turn, content: string): string;
  /** The model as the site names it, or "" when the page does not show it. */
  modelName(turn: Turn | null, doc: Document): string;
  /** The conversation's title, or "". */
  title(doc: Document): string;
  /** What must be on a loaded conversation page; the send button is not (it hides on an empty composer). */
  required: readonly SelectorProbe[];
  /** Wrappers with fallbacks; only reported, never a reason to stop. */
  hints: readonly SelectorHint[];
  /** A private chat the URL does not reveal (Gemini's temporary chat is a mode of the same page). */
  isPrivate?(doc: Document): boolean;
}
