import type { Site } from '../../utils/data/records';

export type CardKind = 'reason' | 'reaction';

/**
 * What a browser test does the way a participant would, in either browser: Chromium through
 * playwright-core (`chromium.ts`) and Firefox through puppeteer-core over WebDriver BiDi
 * (`firefox.ts`) each implement it with their own page and frame types, so a test written against
 * it reads the same in both.
 */
export interface BrowserDriver<Session, Page, Frame> {
  name: 'Chromium' | 'Firefox';
  /** A browser with the built extension installed, recording turned on through the welcome page. */
  launch(options?: { taskQuestions?: boolean }): Promise<Session>;
  /** Types a prompt into the site's composer and sends it with Enter. */
  sendPrompt(page: Page, text: string, site?: Site): Promise<void>;
  /** The frame whose dialog asks for a thought of `kind` (CONTRACTS.md §2). */
  findCard(page: Page, kind: CardKind, timeoutMs?: number): Promise<Frame>;
  /** Types `text` and saves with Ctrl+Enter, or skips with Escape when `text` is null. */
  answerCard(page: Page, kind: CardKind, text: string | null): Promise<void>;
  /** Waits until the card no longer asks about `kind`. */
  cardClosed(page: Page, frame: Frame, kind: CardKind): Promise<void>;
  /** The review page's Export, as the downloaded file's text. */
  exportJsonl(session: Session): Promise<string>;
}
