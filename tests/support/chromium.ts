import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { Site } from '../../utils/data/records';
import type { BrowserDriver } from './driver';
import { HOSTS, respond, type SiteConfig } from './site';
import { SITE_PAGES } from './sites';

export const CHROME_BUILD = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));

/**
 * Debian's Chromium, headless, with `extension` loaded (or none): what every launch here shares.
 * The network flags keep Chromium from calling Google's services, which this machine refuses.
 */
export function chromiumOptions(extension?: string) {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...(extension ? [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  /** Site configuration served for each URL path (history, model, title); defaults to an empty chat. */
  sites: Map<string, SiteConfig>;
  close(): Promise<void>;
}

/**
 * `taskQuestions: false` (the default here) turns off the task questions asked on leaving a
 * conversation: otherwise a conversation an earlier test chatted in and closed is asked about on
 * the next chat page a test opens. Their own tests launch with them on.
 */
export async function launchChromium({ taskQuestions = false } = {}): Promise<ChromiumSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tt-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { ...chromiumOptions(CHROME_BUILD), acceptDownloads: true });
  const sites = new Map<string, SiteConfig>();
  // The chat sites are served from fixtures at their real URLs; nothing else may leave the machine
  // (a study's collector in a test listens on this machine's loopback).
  await context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    if (!Object.values(HOSTS).includes(url.host)) return route.abort();
    const { status, contentType, body } = respond(url.href, sites.get(url.pathname));
    return route.fulfill({ status, contentType, body });
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const session: ChromiumSession = {
    context,
    extensionId,
    sites,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  await startRecording(session);
  if (!taskQuestions) await setTaskQuestions(session, false);
  return session;
}

/**
 * The first run, as a participant goes through it: the welcome page opens on install, and
 * "Start recording" turns capture on for all three sites (nothing is captured before).
 */
export async function startRecording(session: Pick<ChromiumSession, 'context' | 'extensionId'>): Promise<void> {
  const isWelcome = (page: Page) => page.url().endsWith('/welcome.html');
  const welcome =
    session.context.pages().find(isWelcome) ??
    (await session.context.waitForEvent('page', { predicate: isWelcome, timeout: 10_000 }).catch(async () => {
      const page = await session.context.newPage();
      await page.goto(`chrome-extension://${session.extensionId}/welcome.html`);
      return page;
    }));
  await welcome.getByRole('button', { name: /^Start recording/ }).click();
  await welcome.getByRole('status').waitFor();
  await welcome.close();
}

/** Turns the task questions on leaving a conversation on or off, in Settings as a participant would. */
export async function setTaskQuestions(session: ChromiumSession, on: boolean): Promise<void> {
  const settings = await session.context.newPage();
  await settings.goto(`chrome-extension://${session.extensionId}/review.html#settings`);
  const box = settings.getByRole('checkbox', { name: /leave a conversation I chatted in/ });
  // The box shows the stored setting: it changes once the setting is saved.
  if ((await box.isChecked()) !== on) await box.click();
  await settings.waitForFunction(
    (want) => (document.querySelector('input[type="checkbox"]') as HTMLInputElement | null)?.checked === want,
    on,
  );
  await settings.close();
}

/** The thought prompt of `kind`, found the way the UI contract says: a dialog in any frame. */
export async function findCard(page: Page, kind: 'reason' | 'reaction', timeoutMs = 15_000): Promise<Frame> {
  return findDialog(page, new RegExp(kind, 'i'), timeoutMs);
}

/** The frame showing a dialog whose accessible name matches `name`. */
export async function findDialog(page: Page, name: RegExp, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.getByRole('dialog', { name }).isVisible().catch(() => false)) return frame;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`no dialog named ${name} appeared`);
}

/** Frames that currently show a thought prompt of either kind. */
export async function openCards(page: Page): Promise<number> {
  let count = 0;
  for (const frame of page.frames()) {
    if (await frame.getByRole('dialog', { name: /reason|reaction/i }).isVisible().catch(() => false)) count++;
  }
  return count;
}

/** Types a thought into the open prompt and saves it with Ctrl+Enter, or skips it with Escape. */
export async function answerCard(page: Page, kind: 'reason' | 'reaction', text: string | null): Promise<void> {
  const frame = await findCard(page, kind);
  const box = frame.getByRole('dialog').getByRole('textbox');
  // Saving or skipping turns the card's frame into the next card or the strip (a new address), or
  // removes it: Playwright would wait for that navigation, which a removed frame never finishes.
  // cardClosed() below waits for what a participant sees instead.
  if (text === null) {
    await box.press('Escape', { noWaitAfter: true });
  } else {
    await box.fill(text);
    await box.press('Control+Enter', { noWaitAfter: true });
  }
  await cardClosed(page, frame, kind);
}

/** The card no longer asks about `kind`: its frame is gone, or shows the turn's strip or the next question. */
export async function cardClosed(page: Page, frame: Frame, kind: 'reason' | 'reaction'): Promise<void> {
  const asks = async () =>
    page.frames().includes(frame) &&
    (await frame.getByRole('dialog', { name: new RegExp(kind, 'i') }).isVisible().catch(() => false));
  const deadline = Date.now() + 10_000;
  while ((await asks()) && Date.now() < deadline) await page.waitForTimeout(25);
  if (await asks()) throw new Error(`the ${kind} prompt did not close`);
}

/** A new tab showing a chat page of `site` (a new conversation unless `url` says otherwise), ready to type in. */
export async function openChat(
  session: ChromiumSession,
  site: Site = 'chatgpt',
  url = SITE_PAGES[site].conversationUrl(),
  viewport?: { width: number; height: number },
): Promise<Page> {
  const page = await session.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(url);
  await page.locator(SITE_PAGES[site].composer).waitFor();
  return page;
}

/** A new chatgpt.com conversation whose page title (and so our conversation's title) is `title`, ready to type in. */
export async function openTitledChat(session: ChromiumSession, title: string): Promise<Page> {
  const path = `/c/${crypto.randomUUID()}`;
  session.sites.set(path, { title });
  const page = await openChat(session, 'chatgpt', `https://chatgpt.com${path}`);
  await page.waitForFunction((t) => document.title === t, title);
  return page;
}

/** One exchange as a participant makes it: the prompt, its reason (null skips), the streamed reply, its reaction (null skips). */
export async function exchange(page: Page, prompt: string, reason: string | null, reply: string, reaction: string | null): Promise<void> {
  await sendPrompt(page, prompt);
  await answerCard(page, 'reason', reason);
  await stream(page, reply);
  await answerCard(page, 'reaction', reaction);
}

/** The fake site streams `markdown` as the assistant's reply. */
export const stream = (page: Page, markdown: string) => page.evaluate((md) => (window as any).__chat.stream(md), markdown);

export async function sendPrompt(page: Page, text: string, site: Site = 'chatgpt'): Promise<void> {
  const composer = page.locator(SITE_PAGES[site].composer);
  await composer.click();
  await composer.fill(text);
  await composer.press('Enter');
}

export async function exportJsonl(session: ChromiumSession): Promise<string> {
  const review = await session.context.newPage();
  await review.goto(`chrome-extension://${session.extensionId}/review.html`);
  const [download] = await Promise.all([
    review.waitForEvent('download'),
    review.getByRole('button', { name: /^Export/ }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expectJsonlName(download.suggestedFilename());
  await review.close();
  return Buffer.concat(chunks).toString('utf8');
}

function expectJsonlName(name: string) {
  if (!name.endsWith('.jsonl')) throw new Error(`export file is ${name}, not .jsonl`);
}

/** The popup's "This tab" section as it reads with `chat` as the active tab. */
export async function popupText(session: ChromiumSession, chat: Page): Promise<string> {
  const popup = await session.context.newPage();
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
  await chat.bringToFront();
  await popup.reload();
  const section = popup.getByRole('region', { name: 'This tab' });
  const deadline = Date.now() + 10_000;
  while ((await section.innerText()).includes('Checking') && Date.now() < deadline) await popup.waitForTimeout(50);
  const text = await section.innerText();
  await popup.close();
  return text;
}

/**
 * Lets the extension reach `pattern` the way a participant can outside any prompt: in the
 * browser's extension settings (chrome://extensions → Details → Site access → "On specific
 * sites", which is `developerPrivate.addHostPermission` on that page). Headless Chromium shows
 * the permission prompt of `permissions.request` where nobody can answer it, and the promise never
 * settles; once the site is allowed there, Chrome grants the request without a prompt. The
 * extension's code is the same either way: it asks from the participant's click.
 */
export async function allowSiteInBrowserSettings(session: Pick<ChromiumSession, 'context' | 'extensionId'>, pattern: string): Promise<void> {
  const settings = await session.context.newPage();
  await settings.goto(`chrome://extensions/?id=${session.extensionId}`);
  await settings.evaluate(
    ([id, host]) =>
      (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id!, host!),
    [session.extensionId, pattern],
  );
  await settings.close();
}

/** This browser's side of the one driver interface. */
export const driver = {
  name: 'Chromium',
  launch: launchChromium,
  sendPrompt,
  findCard,
  answerCard,
  cardClosed,
  exportJsonl,
} satisfies BrowserDriver<ChromiumSession, Page, Frame>;
