import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOptions } from '../support/chromium';
import { BUILDS, packageVersion } from '../support/release';

// Chromium refuses a whole extension for one bad manifest entry (a message missing from the
// catalogue did it once), and says why only on its extensions page. This loads the build as a
// participant's browser would and asks Chromium itself, with developer mode's error collection on.

interface ExtensionInfo {
  id: string;
  name: string;
  state: string;
  installWarnings: string[];
  manifestErrors: { message: string }[];
  runtimeErrors: { message: string }[];
}

/** chrome://extensions' own API (not in @types/chrome). */
interface DeveloperPrivate {
  updateProfileConfiguration(update: { inDeveloperMode: boolean }): Promise<void>;
  reload(id: string, options: { failQuietly: boolean; populateErrorForUnpacked: boolean }): Promise<unknown>;
  getExtensionInfo(id: string): Promise<ExtensionInfo>;
}
type ExtensionsPage = typeof globalThis & { chrome: { developerPrivate: DeveloperPrivate } };

let context: BrowserContext;
let userDataDir: string;
let extensionId: string;

beforeAll(async () => {
  userDataDir = mkdtempSync(join(tmpdir(), 'tt-release-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, chromiumOptions(BUILDS.chrome));
  // Nothing leaves the machine: the extension makes no request of its own at install.
  await context.route(/^https?:\/\//, (route) => route.abort());
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(worker.url()).host;
});

afterAll(async () => {
  await context?.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('the Chrome build in Chromium', () => {
  it('starts its service worker, which reads its own manifest', async () => {
    const worker = context.serviceWorkers().find((w) => w.url() === `chrome-extension://${extensionId}/background.js`);
    expect(worker).toBeDefined();
    const version = await worker!.evaluate(() => (globalThis as unknown as { chrome: typeof browser }).chrome.runtime.getManifest().version);
    expect(version).toBe(packageVersion());
  });

  it('opens the welcome page on install', async () => {
    const isWelcome = (page: Page) => page.url().endsWith('/welcome.html');
    const welcome = context.pages().find(isWelcome) ?? (await context.waitForEvent('page', { predicate: isWelcome, timeout: 20_000 }));
    expect(welcome.url()).toBe(`chrome-extension://${extensionId}/welcome.html`);
  });

  it('loads with no manifest error or install warning, reloaded in developer mode', async () => {
    const page = await context.newPage();
    await page.goto('chrome://extensions');
    await page.evaluate(() => (globalThis as ExtensionsPage).chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true }));
    // Chromium collects manifest errors only in developer mode: load the extension again under it.
    const restarted = context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${extensionId}/`) });
    await page.evaluate(
      (id) => (globalThis as ExtensionsPage).chrome.developerPrivate.reload(id, { failQuietly: false, populateErrorForUnpacked: true }),
      extensionId,
    );
    await restarted;
    const info = await page.evaluate((id) => (globalThis as ExtensionsPage).chrome.developerPrivate.getExtensionInfo(id), extensionId);
    expect(info.name).toBe('ThoughtTrace');
    expect(info.state).toBe('ENABLED');
    expect(info.installWarnings).toEqual([]);
    expect(info.manifestErrors.map((error) => error.message)).toEqual([]);
    expect(info.runtimeErrors.map((error) => error.message)).toEqual([]);
    await page.close();
  });
});
