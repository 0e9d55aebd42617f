import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allowSiteInBrowserSettings, answerCard, launchChromium, sendPrompt, type ChromiumSession } from '../support/chromium';
import { startProxy, type CollectorProxy, type RecordedRequest } from '../support/collector/proxy';
import { dumpDatabase, previewLine, sendFromPage, startStudyCollector, STUDY_NAME, type StudyCollector } from '../support/study';

// Taking part in a study in Chromium, against a real collector over SQLite, through a proxy that
// records every request the extension makes and fails the ways networks and servers do. One
// browser and one collector for the whole file: each test goes on from where the previous left.

let session: ChromiumSession;
let collector: StudyCollector;
let proxy: CollectorProxy;
const requestedUrls: string[] = [];

beforeAll(async () => {
  collector = await startStudyCollector(1);
  proxy = await startProxy(collector.url);
  session = await launchChromium();
  session.context.on('request', (request) => requestedUrls.push(request.url()));
  await allowSiteInBrowserSettings(session, 'http://127.0.0.1/*');
});

afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await collector?.close();
});

const extensionPage = (path: string) => `chrome-extension://${session.extensionId}/${path}`;

/** A chatgpt.com conversation titled `title`, with one exchange: prompt, reason, reply, reaction. */
async function chat(title: string, prompt: string, reason: string, reply: string, reaction: string) {
  const path = `/c/${crypto.randomUUID()}`;
  session.sites.set(path, { title });
  const page = await session.context.newPage();
  await page.goto(`https://chatgpt.com${path}`);
  await page.locator('#prompt-textarea').waitFor();
  await page.waitForFunction((t) => document.title === t, title);
  await sendPrompt(page, prompt);
  await answerCard(page, 'reason', reason);
  await page.evaluate((markdown) => (window as any).__chat.stream(markdown), reply);
  await answerCard(page, 'reaction', reaction);
  await page.close();
}

async function openStudyPage(): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html#study'));
  await page.getByRole('heading', { name: 'Taking part in a study' }).waitFor();
  return page;
}

/** Approves a conversation for upload, as the review page does once the participant has reviewed it. */
async function approve(title: string) {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html'));
  const { conversations } = await page.evaluate(dumpDatabase);
  const conversation = conversations.find((c) => c.title === title)!;
  await page.evaluate(sendFromPage, ['setReviewState', { conversationId: conversation.id, state: 'reviewed' }] as [string, unknown]);
  await page.close();
}

async function preview(title: string): Promise<string> {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html'));
  const dump = await page.evaluate(dumpDatabase);
  await page.close();
  return previewLine(dump, title);
}

const uploadedCount = (page: Page) => page.getByTestId('study-uploaded').innerText().then(Number);
const submissions = () => proxy.requests.filter((r) => r.method === 'POST' && r.path === '/v1/submissions');
const sentIds = (request: RecordedRequest) => (JSON.parse(request.body) as { records: { id: string }[] }).records.map((r) => r.id);

async function waitForUploaded(page: Page, count: number, timeout = 20_000) {
  await expect.poll(() => uploadedCount(page), { timeout, message: `${count} conversations uploaded` }).toBe(count);
}

async function lastError(page: Page, pattern: RegExp, timeout = 20_000) {
  await page.getByTestId('study-last-error').filter({ hasText: pattern }).waitFor({ timeout });
}

describe('taking part in a study in Chromium', () => {
  it('shows the study, sends nothing before consent, then uploads exactly what the preview shows', async () => {
    await chat('Trip to Porto', 'Plan two days in Porto', 'Going with my parents', 'Day one: **Ribeira**.', 'Too touristy');
    await approve('Trip to Porto');
    // Approved, but not in a study: nothing leaves the browser.
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    await popup.getByTestId('popup-study-state').filter({ hasText: 'Not taking part in a study' }).waitFor();
    await popup.close();
    expect(proxy.requests).toEqual([]);

    const page = await openStudyPage();
    await page.getByLabel('Study address').fill(proxy.url);
    await page.getByRole('button', { name: 'Look up the study' }).click();
    // The manifest in full: name, researchers, contact, what is collected, retention, consent.
    const about = page.getByRole('article', { name: 'About the study' });
    await about.getByRole('heading', { name: STUDY_NAME }).waitFor();
    const shown = await about.innerText();
    for (const text of ['The ThoughtTrace test lab', 'study@example.org', 'the conversations you approve, with your thoughts', 'Deleted when the tests end.', 'Consent (version 1)']) {
      expect(shown).toContain(text);
    }
    // The consent text is Markdown, rendered without its raw HTML, and its image is not loaded.
    await about.getByRole('heading', { name: 'Consent, version 1' }).waitFor();
    expect(await about.locator('strong').innerText()).toBe('the conversations you approve');
    expect(shown).not.toContain('alert(1)');
    expect(await page.locator('article script, article img').count()).toBe(0);
    expect(requestedUrls.some((url) => url.includes('tracker.example'))).toBe(false);

    // Looking the study up is the only request before consent.
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/study']);
    const join = page.getByRole('button', { name: 'Join the study' });
    expect(await join.isDisabled()).toBe(true);
    await page.getByLabel('I have read the consent text (version 1) and agree to take part.').check();
    await join.click();

    await page.getByTestId('study-state').filter({ hasText: 'You take part in this study' }).waitFor();
    await waitForUploaded(page, 1);
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/study', 'POST /v1/enrol', 'GET /v1/study', 'POST /v1/submissions']);
    expect(JSON.parse(submissions()[0]!.body).consentVersion).toBe(1);
    await page.getByRole('region', { name: 'Your conversations and this study' }).getByText(/^Uploaded /).waitFor();

    // What the study received is byte for byte what the preview shows.
    const expected = await preview('Trip to Porto');
    expect(await collector.exportLines()).toEqual([expected]);
    expect(expected).not.toContain('Trip to Porto');
    expect(expected).not.toContain('chatgpt.com');

    const popupAfter = await session.context.newPage();
    await popupAfter.goto(extensionPage('popup.html'));
    await popupAfter.getByTestId('popup-study-counts').filter({ hasText: '0 waiting · 1 uploaded' }).waitFor();
    expect(await popupAfter.getByRole('region', { name: 'Study' }).innerText()).toContain(STUDY_NAME);
    await popupAfter.close();
    await page.close();
  });
});
