import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import type { Site } from '../../utils/data/records';
import type { BrowserDriver } from './driver';
import { HOSTS, respond, type SiteConfig } from './site';
import { SITE_PAGES } from './sites';

export const FIREFOX_BUILD = fileURLToPath(new URL('../../.output/firefox-mv2', import.meta.url));
const ADDON_ID = 'thoughttrace@thoughttrace.org';

export interface FirefoxSession {
  browser: Browser;
  /** moz-extension://<uuid>: fixed through a pref so page URLs are known in advance. */
  origin: string;
  downloads: string;
  sites: Map<string, SiteConfig>;
  newChatPage(): Promise<Page>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** As in Chromium: the task questions on leaving a conversation are off unless asked for. */
export async function launchFirefox({ taskQuestions = false } = {}): Promise<FirefoxSession> {
  const uuid = crypto.randomUUID();
  const downloads = mkdtempSync(join(tmpdir(), 'tt-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: uuid }),
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/x-ndjson',
      // An optional permission asked for from a click (joining a study) is granted without the
      // prompt, which WebDriver cannot answer. Firefox still refuses a request made without a click.
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
  await browser.installExtension(FIREFOX_BUILD);
  const sites = new Map<string, SiteConfig>();
  const session: FirefoxSession = {
    browser,
    origin: `moz-extension://${uuid}`,
    downloads,
    sites,
    async newChatPage() {
      const page = await browser.newPage();
      // Keyboard input goes to the selected tab: make the chat the one in front.
      await page.bringToFront();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'moz-extension:' || url.protocol === 'data:' || url.protocol === 'blob:') {
          void request.continue();
        } else if (Object.values(HOSTS).includes(url.host)) {
          void request.respond(respond(url.href, sites.get(url.pathname)));
        } else {
          void request.abort();
        }
      });
      return page;
    },
    async close() {
      await browser.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
  await startRecording(session);
  if (!taskQuestions) await turnOffTaskQuestions(session);
  return session;
}

/** The first run: "Start recording" on the welcome page turns capture on for all three sites. */
async function startRecording(session: FirefoxSession): Promise<void> {
  const { page, handle } = await openExtensionPage(session, 'welcome.html', '::-p-text(Start recording)');
  await handle.click();
  await page.waitForSelector('[role="status"]');
  await page.close();
}

async function turnOffTaskQuestions(session: FirefoxSession): Promise<void> {
  const box = 'input[type="checkbox"]';
  const { page, handle } = await openExtensionPage(session, 'review.html#settings', box);
  // A BiDi error while the page settles counts as not turned off yet.
  const checked = () => page.$eval(box, (input) => (input as HTMLInputElement).checked).catch(() => true);
  if (await checked()) await handle.click();
  // The box shows the stored setting: it changes once the setting is saved.
  const deadline = Date.now() + 10_000;
  while ((await checked()) && Date.now() < deadline) await sleep(50);
  if (await checked()) throw new Error('the task questions could not be turned off');
  await page.close();
}

/** The accessible name of the frame's dialog, from aria-labelledby or aria-label. */
async function dialogName(frame: Frame): Promise<string | null> {
  return frame
    .evaluate(() => {
      const dialog = document.querySelector('[role="dialog"]');
      if (!dialog) return null;
      const ids = dialog.getAttribute('aria-labelledby');
      if (ids) return ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      return dialog.getAttribute('aria-label');
    })
    .catch(() => null);
}

export async function findCard(page: Page, kind: 'reason' | 'reaction', timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const name = await dialogName(frame);
      if (name && new RegExp(kind, 'i').test(name)) return frame;
    }
    await sleep(50);
  }
  throw new Error(`no ${kind} prompt appeared`);
}

export async function answerCard(page: Page, kind: 'reason' | 'reaction', text: string | null): Promise<void> {
  const frame = await findCard(page, kind);
  const box = await frame.waitForSelector('[role="dialog"] textarea');
  // A click, as a person would: it also gives the tab keyboard focus.
  await box!.click();
  if (text === null) {
    await page.keyboard.press('Escape');
  } else {
    await box!.type(text);
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
  }
  await cardClosed(page, frame, kind);
}

/** The card no longer asks about `kind`: its frame is gone, or shows the turn's strip or the next question. */
export async function cardClosed(page: Page, frame: Frame, kind: 'reason' | 'reaction'): Promise<void> {
  const asks = async () => page.frames().includes(frame) && new RegExp(kind, 'i').test((await dialogName(frame)) ?? '');
  const deadline = Date.now() + 10_000;
  while ((await asks()) && Date.now() < deadline) await sleep(25);
  if (await asks()) throw new Error(`the ${kind} prompt did not close`);
}

export async function sendPrompt(page: Page, text: string, site: Site = 'chatgpt'): Promise<void> {
  const composer = SITE_PAGES[site].composer;
  await page.click(composer);
  await page.type(composer, text);
  await page.keyboard.press('Enter');
}

/**
 * Opens an extension page and waits for `selector` in it. goto() on a moz-extension page never
 * resolves under BiDi, so this polls for the content instead. Polling also rides out what BiDi
 * throws while the page's realm is being replaced, and a tab opened right after another extension
 * tab that now and then stays blank is loaded again.
 */
export async function openExtensionPage(session: FirefoxSession, path: string, selector: string) {
  const page = await session.browser.newPage();
  const url = `${session.origin}/${path}`;
  const deadline = Date.now() + 30_000;
  let reloadAt = Date.now() + 8_000;
  void page.goto(url).catch(() => undefined);
  while (Date.now() < deadline) {
    const handle = await page.$(selector).catch(() => null);
    if (handle) return { page, handle };
    if (Date.now() > reloadAt) {
      void page.goto(url).catch(() => undefined);
      reloadAt = Date.now() + 8_000;
    }
    await sleep(100);
  }
  throw new Error(`${path} did not show ${selector}`);
}

export async function exportJsonl(session: FirefoxSession): Promise<string> {
  const { page: review, handle: exportButton } = await openExtensionPage(
    session,
    'review.html',
    '::-p-text(Export ThoughtTrace JSONL)',
  );
  const before = new Set(readdirSync(session.downloads));
  await exportButton.click();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const file = readdirSync(session.downloads).find((name) => !before.has(name) && name.endsWith('.jsonl'));
    if (file) {
      await sleep(200);
      const text = readFileSync(join(session.downloads, file), 'utf8');
      await review.close();
      return text;
    }
    await sleep(100);
  }
  throw new Error('the export was not downloaded');
}

/** This browser's side of the one driver interface. */
export const driver = {
  name: 'Firefox',
  launch: launchFirefox,
  sendPrompt,
  findCard,
  answerCard,
  cardClosed,
  exportJsonl,
} satisfies BrowserDriver<FirefoxSession, Page, Frame>;
