import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as chromium from '../support/chromium';
import * as firefox from '../support/firefox';

// The first run's walkthrough (issue 12): on the welcome page, a new participant sends a prompt
// in a demo chat, the real thought card asks why, the demo reply is written, the card asks what
// they think; the card is driven exactly as on a chat site. The demo stores nothing, and the page
// still starts recording. Then the privacy policy it links to.

const REASON = 'We go in April and money is tight';
const REACTION = 'Useful, but day two is rushed';

/**
 * How many records the extension's database holds in the tables a conversation fills, read in one
 * of its pages. Self-contained: it is serialized into the page.
 */
async function storedRecords(): Promise<number> {
  const names = (await indexedDB.databases()).map((db) => db.name);
  if (!names.includes('thoughttrace')) return 0;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('thoughttrace');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tables = ['conversations', 'messages', 'thoughts', 'drafts'].filter((name) => db.objectStoreNames.contains(name));
  const counts = await Promise.all(
    tables.map(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const request = db.transaction(name).objectStore(name).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        }),
    ),
  );
  db.close();
  return counts.reduce((sum, count) => sum + count, 0);
}

describe('the welcome walkthrough in Chromium', () => {
  let session: chromium.ChromiumSession;
  beforeAll(async () => {
    session = await chromium.launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('walks through a demo turn with the real card, stores nothing, and still starts recording', async () => {
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/welcome.html`);
    for (const heading of ['What is recorded, and where it stays', 'How to annotate', 'Try it: a one-minute demo']) {
      await expect(page.getByRole('heading', { name: heading }).isVisible()).resolves.toBe(true);
    }
    const demo = page.getByRole('region', { name: 'Demo chat' });
    await expect(demo.getByRole('textbox', { name: 'Message the demo assistant' }).inputValue()).resolves.toContain('Lisbon');
    await demo.getByRole('textbox', { name: 'Message the demo assistant' }).press('Enter');

    // The card asks why, quoting the prompt, and is the card of the chat sites: same controls, same keys.
    const reason = page.getByRole('dialog', { name: /reason/i });
    await reason.waitFor();
    expect(await reason.innerText()).toContain('Plan three days in Lisbon');
    await reason.getByRole('button', { name: 'Task Motivation & Goal' }).click();
    await chromium.answerCard(page, 'reason', REASON);

    // The demo reply is written, and the card asks what the participant thinks of it.
    await chromium.findCard(page, 'reaction');
    expect(await demo.getByRole('list', { name: 'Demo conversation' }).innerText()).toContain('Sintra');
    await chromium.answerCard(page, 'reaction', REACTION);

    const summary = page.getByRole('region', { name: 'That is a whole turn' });
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toContain(`Why you sent the prompt: ${REASON} (Task Motivation & Goal)`);
    expect(text).toContain(`What you think of the reply: ${REACTION}`);
    expect(text).toContain('Nothing from this demo was stored');
    expect(await page.evaluate(storedRecords)).toBe(0);

    // Another go starts from the beginning.
    await summary.getByRole('button', { name: 'Try the demo again' }).click();
    await expect(demo.getByRole('button', { name: 'Send' }).isEnabled()).resolves.toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('button', { name: /^Start recording/ }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').innerText()).toContain('Recording is on for ChatGPT, Claude, Gemini');
    await page.close();
  });

  it('links to the full privacy policy, inside the extension', async () => {
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/welcome.html`);
    const [policy] = await Promise.all([session.context.waitForEvent('page'), page.getByRole('link', { name: 'Read the privacy policy' }).click()]);
    await policy.getByRole('heading', { name: 'ThoughtTrace privacy policy' }).waitFor();
    expect(policy.url()).toBe(`chrome-extension://${session.extensionId}/privacy.html`);
    for (const heading of ['What is stored in your browser', 'What leaves your browser, and when', 'What the chat sites can see']) {
      await expect(policy.getByRole('heading', { name: heading }).isVisible()).resolves.toBe(true);
    }
    await policy.close();
    await page.close();
  });
});

describe('the welcome walkthrough in Firefox', () => {
  let session: firefox.FirefoxSession;
  beforeAll(async () => {
    session = await firefox.launchFirefox();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('walks through a demo turn with the real card (reason skipped, reaction saved) and stores nothing', async () => {
    const { page, handle: send } = await firefox.openExtensionPage(session, 'welcome.html', '::-p-aria(Send)');
    await page.bringToFront();
    await send.click();
    await firefox.answerCard(page, 'reason', null);
    await firefox.answerCard(page, 'reaction', REACTION);

    const summary = await page.waitForSelector('::-p-aria([name="That is a whole turn"][role="region"])');
    const text = await summary!.evaluate((element) => (element as HTMLElement).innerText);
    expect(text).toContain(`What you think of the reply: ${REACTION}`);
    expect(text).not.toContain('Why you sent the prompt');
    expect(text).toContain('Nothing from this demo was stored');
    expect(await page.evaluate(storedRecords)).toBe(0);

    await page.click('::-p-text(Start recording)');
    const status = await page.waitForSelector('[role="status"]');
    expect(await status!.evaluate((element) => (element as HTMLElement).innerText)).toContain('Recording is on for ChatGPT, Claude, Gemini');
    await page.close();
  });

  it('shows the privacy policy inside the extension', async () => {
    const { page, handle } = await firefox.openExtensionPage(session, 'privacy.html', '::-p-text(What leaves your browser, and when)');
    expect(await handle.evaluate((element) => element.tagName)).toBe('H2');
    expect(await page.evaluate(() => document.body.innerText)).toContain('Everything ThoughtTrace records stays in your browser.');
    await page.close();
  });
});
