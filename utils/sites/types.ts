import type { Role, Site } from '../schema';

/** A turn the page has mounted, identified by the site's own stable id. */
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
 * Everything the capture engine needs to know about one chat site. Each site lives in one
 * file under utils/sites/ with its selectors in one place; the engine never touches the DOM
 * except through this interface.
 */
export interface SiteAdapter {
  site: Site;
  /** The site's name as participants know it. */
  name: string;
  classify(url: URL): PageKind;
  /** The visible prompt editor, if mounted. */
  composer(doc: Document): HTMLElement | null;
  /** The composer's current text. */
  composerText(composer: HTMLElement): string;
  /** Whether a click on `target` sends the prompt. */
  isSendControl(target: Element): boolean;
  /** Element to observe for transcript changes. */
  transcriptRoot(doc: Document): Element;
  /** Mounted turns, in page order. */
  turns(doc: Document): Turn[];
  /** The text of a user turn as the site shows it. */
  userText(turn: Turn): string;
  /** True once the reply in `turn` has finished by the site's own signals (not by timing). */
  replyFinished(turn: Turn, doc: Document): boolean;
  /** The reply as Markdown. */
  replyMarkdown(turn: Turn): string;
  /** The model as the site names it, or "" when the page does not show it. */
  modelName(turn: Turn | null, doc: Document): string;
  /** The conversation's title, or "". */
  title(doc: Document): string;
}
