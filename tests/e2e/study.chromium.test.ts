import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allowSiteInBrowserSettings, exchange, launchChromium, openTitledChat, type ChromiumSession } from '../support/chromium';
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
  const page = await openTitledChat(session, title);
  await exchange(page, prompt, reason, reply, reaction);
  await page.close();
}

async function openStudyPage(): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html#study'));
  await page.getByRole('heading', { name: 'Taking part in a study' }).waitFor();
  return page;
}

/**
 * Approves a conversation for upload on the review page, as the participant does once they have
 * reviewed it; `redact` names a suggested redaction to accept first (its button).
 */
async function approve(title: string, redact?: string) {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html'));
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill(title);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
  const main = page.getByRole('main');
  await main.getByRole('heading', { name: title, level: 2 }).waitFor();
  if (redact) {
    const suggestions = main.locator('section[aria-busy="false"]').filter({ hasText: 'Suggested redactions' });
    await suggestions.getByRole('button', { name: redact }).click();
    await main.getByRole('button', { name: /^\[EMAIL_1\], redacted/ }).first().waitFor();
  }
  const approveButton = main.getByRole('region', { name: 'Review and upload' }).getByRole('button', { name: 'Approve for upload' });
  await approveButton.click();
  await approveButton.waitFor({ state: 'detached' });
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
    await chat('Trip to Porto', 'Plan two days in Porto and mail it to ana.ruiz@example.org', 'Going with my parents', 'Day one: **Ribeira**.', 'Too touristy');
    await approve('Trip to Porto', 'Redact the e-mail address');
    await chat('Not for the study', 'Name a fado singer', 'Curious', '**Amália Rodrigues**.', 'Classic');
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
    const mine = page.getByRole('region', { name: 'Your conversations and this study' });
    await mine.getByText(/^Uploaded /).waitFor();
    // Only what was approved is listed; the rest is counted, never sent.
    await mine.getByText('1 other conversation is not approved for upload', { exact: false }).waitFor();
    expect(await mine.innerText()).not.toContain('Not for the study');

    // What the study received is byte for byte what the preview shows.
    const expected = await preview('Trip to Porto');
    expect(await collector.exportLines()).toEqual([expected]);
    expect(expected).not.toContain('Trip to Porto');
    expect(expected).not.toContain('chatgpt.com');
    // Redacted on the review page before approval: the study has the placeholder, never the address.
    expect(expected).toContain('Plan two days in Porto and mail it to [EMAIL_1]');
    expect(expected).not.toContain('ana.ruiz');

    const popupAfter = await session.context.newPage();
    await popupAfter.goto(extensionPage('popup.html'));
    await popupAfter.getByTestId('popup-study-counts').filter({ hasText: '0 waiting · 1 uploaded' }).waitFor();
    expect(await popupAfter.getByRole('region', { name: 'Study' }).innerText()).toContain(STUDY_NAME);
    await popupAfter.close();
    await page.close();
  });

  it('keeps every approved conversation through a collector down, failing, slow or silent, a lost answer and a stopped service worker, and stores each once', async () => {
    const page = await openStudyPage();
    const retry = () => page.getByRole('button', { name: 'Retry now' }).click();

    // The collector is down: the attempt fails, and the next one is scheduled.
    await proxy.down();
    await chat('Down', 'Name a river', 'Quiz night', 'The **Douro**.', 'Right');
    await approve('Down');
    await lastError(page, /could not be reached/);
    await page.getByText(/tries again by itself at/).waitFor();
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    await popup.getByTestId('popup-study-error').filter({ hasText: /could not be reached/ }).waitFor();
    await popup.close();
    await proxy.up();

    // It answers 500: an error too, in the collector's words.
    proxy.only = { method: 'POST', path: '/v1/submissions' };
    proxy.mode = 'error';
    await retry();
    await lastError(page, /the collector failed \(test proxy\)/);
    expect(await uploadedCount(page)).toBe(1);

    // Slowly: it gets there.
    proxy.mode = 'slow';
    await retry();
    await waitForUploaded(page, 2);
    await expect.poll(() => page.getByTestId('study-last-error').count()).toBe(0);

    // Not at all: the request times out, and is sent again once the collector answers.
    proxy.mode = 'hang';
    await chat('Silent', 'Name a bridge', 'Quiz night again', 'The **Dom Luís I**.', 'Yes');
    await approve('Silent');
    await lastError(page, /No answer from the study within 31 s/, 60_000);
    proxy.mode = 'pass';
    await retry();
    await waitForUploaded(page, 3);

    // The collector stores a batch but its answer is lost: the extension sends the same batch again.
    proxy.mode = 'lose';
    await chat('Lost', 'Name a wine', 'Dinner party', 'A **tawny port**.', 'Perfect');
    await approve('Lost');
    await lastError(page, /could not be reached/);
    proxy.mode = 'pass';
    await retry();
    await waitForUploaded(page, 4);
    // (Chromium itself may send a request again once when a kept-alive connection is cut.)
    const lost = submissions().filter((r) => r.body.includes('Name a wine'));
    expect(lost.length).toBeGreaterThanOrEqual(2);
    expect(lost.map((r) => r.outcome)).toEqual([...lost.slice(1).map(() => 'cut'), 200]);
    expect(new Set(lost.map((r) => r.body)).size).toBe(1);

    // The service worker is stopped while a batch is on its way; the batch still reaches the collector.
    proxy.mode = 'hold';
    const held = proxy.held();
    await chat('Interrupted', 'Name a tile colour', 'Decorating', 'Classic **azulejo blue**.', 'Lovely');
    await approve('Interrupted');
    await held;
    await stopServiceWorker();
    await proxy.release();
    proxy.mode = 'pass';
    proxy.only = null;
    // Opening the page and asking again starts the background; it sends what is still approved.
    await page.reload();
    await page.getByRole('button', { name: 'Retry now' }).click();
    await waitForUploaded(page, 5);
    const interrupted = submissions().filter((r) => r.body.includes('Name a tile colour'));
    expect(interrupted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(interrupted.map((r) => r.body)).size).toBe(1);

    // Exactly one stored copy of every approved conversation, each what its preview shows.
    const titles = ['Trip to Porto', 'Down', 'Silent', 'Lost', 'Interrupted'];
    const expected = await Promise.all(titles.map(preview));
    expect([...(await collector.exportLines())].sort()).toEqual([...expected].sort());
    expect(new Set(submissions().flatMap(sentIds)).size).toBe(titles.length);
    await page.close();
  });

  it('asks again when the consent changes, and sends nothing after withdrawing but the deletion asked for', async () => {
    const page = await openStudyPage();
    // The study raises its consent version.
    await collector.restart(2);
    proxy.target = collector.url;
    await chat('After the change', 'Name a cake', 'Birthday', 'A **pastel de nata** tower.', 'Yum');
    const before = proxy.requests.length;
    await approve('After the change');
    const alert = page.getByRole('alert');
    await alert.getByText('The study replaced the consent you agreed to (version 1) with version 2').waitFor();
    expect(await alert.getByRole('heading', { name: 'Consent, version 2' }).count()).toBe(1);
    // It only looked: nothing was sent under the old consent.
    expect(proxy.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/study']);
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    await popup.getByTestId('popup-study-state').filter({ hasText: 'The study changed its consent' }).waitFor();
    await popup.close();

    await alert.getByLabel('I have read the consent text (version 2) and agree to take part.').check();
    await alert.getByRole('button', { name: 'Agree to version 2' }).click();
    await waitForUploaded(page, 6);
    expect(JSON.parse(submissions().at(-1)!.body).consentVersion).toBe(2);
    expect(await page.getByTestId('study-state').innerText()).toContain('You take part in this study');

    // Pausing stops uploads until resumed.
    await page.getByRole('button', { name: 'Pause uploads' }).click();
    await page.getByTestId('study-state').filter({ hasText: 'Uploads are paused' }).waitFor();
    await chat('While paused', 'Name a tram', 'Commuting', 'Tram **28**.', 'Classic');
    const pausedAt = proxy.requests.length;
    await approve('While paused');
    await page.waitForTimeout(1500);
    expect(proxy.requests.length).toBe(pausedAt);
    expect(await page.getByTestId('study-waiting').innerText()).toBe('1');
    await page.getByRole('button', { name: 'Resume uploads' }).click();
    await waitForUploaded(page, 7);

    // Withdrawing, and asking the study to delete what it received.
    await page.getByRole('button', { name: 'Withdraw from the study…' }).click();
    const confirm = page.getByRole('group', { name: 'Withdraw from the study' });
    expect(await confirm.getByLabel('Also ask the study to delete the 7 conversations I uploaded').isChecked()).toBe(true);
    const withdrawnAt = proxy.requests.length;
    await confirm.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await page.getByTestId('study-deletion').filter({ hasText: 'The study deleted the 7 conversations you uploaded' }).waitFor();
    expect(await collector.exportLines()).toEqual([]);

    // Nothing more reaches the study: not an approval, not a retry, not a reload.
    await chat('After withdrawing', 'Name a beach', 'Summer', '**Matosinhos**.', 'Nice');
    await approve('After withdrawing');
    await page.reload();
    await page.getByRole('heading', { name: 'Join a study' }).waitFor();
    await page.evaluate(sendFromPage, ['uploadNow', undefined] as [string, unknown]);
    await page.waitForTimeout(1500);
    expect(proxy.requests.slice(withdrawnAt).map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /v1/participant']);
    // Nothing local was deleted by uploading or withdrawing.
    const { conversations } = await page.evaluate(dumpDatabase);
    for (const title of ['Trip to Porto', 'Down', 'Silent', 'Lost', 'Interrupted', 'After the change', 'While paused']) {
      expect(conversations.some((c) => c.title === title), title).toBe(true);
    }
    const popupAfter = await session.context.newPage();
    await popupAfter.goto(extensionPage('popup.html'));
    await popupAfter.getByTestId('popup-study-state').filter({ hasText: `You withdrew from “${STUDY_NAME}”` }).waitFor();
    await popupAfter.close();
    await page.close();
  });
});

/**
 * Stops the extension's service worker, as Chrome does when it has been idle: with the Stop
 * button of chrome://serviceworker-internals (the extension's is the only registration there).
 */
async function stopServiceWorker() {
  const internals = await session.context.newPage();
  await internals.goto('chrome://serviceworker-internals/');
  await internals.getByText(`Scope: chrome-extension://${session.extensionId}/`).waitFor();
  await internals.getByRole('button', { name: 'Stop', exact: true }).click();
  await internals.getByText('Running Status: STOPPED').waitFor();
  await internals.close();
}
