import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { answerCard, launchFirefox, openExtensionPage, sendPrompt, type FirefoxSession } from '../support/firefox';
import { startProxy, type CollectorProxy } from '../support/collector/proxy';
import { dumpDatabase, previewLine, startStudyCollector, STUDY_NAME, type StudyCollector } from '../support/study';

// The main path of taking part in a study, in Firefox ESR with the Firefox build: join (the host
// permission and Firefox's data collection consent are asked for from the clicks; the test
// profile grants optional permissions without their prompt), consent, annotate, approve, upload,
// and the admin export is what the preview shows.

let session: FirefoxSession;
let collector: StudyCollector;
let proxy: CollectorProxy;

beforeAll(async () => {
  collector = await startStudyCollector(1);
  proxy = await startProxy(collector.url);
  session = await launchFirefox();
});

afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await collector?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read().catch(() => value);
  }
  if (!done(value)) throw new Error(`${what}: still ${JSON.stringify(value)}`);
  return value;
}

const text = (page: Page, selector: string) => page.$eval(selector, (element) => (element as HTMLElement).innerText).catch(() => '');

describe('taking part in a study in Firefox', () => {
  it('joins, consents and uploads exactly what the preview shows, sending nothing before consent', async () => {
    const chat = await session.newChatPage();
    await chat.goto('https://chatgpt.com/c/' + crypto.randomUUID());
    await chat.waitForSelector('#prompt-textarea');
    await sendPrompt(chat, 'Plan a day in Coimbra');
    await answerCard(chat, 'reason', 'Visiting a friend');
    await chat.evaluate(() => (window as any).__chat.stream('Start at the **university**.'));
    await answerCard(chat, 'reaction', 'Good start');
    await chat.close();

    // Approved for upload on the review page (the only conversation, shown first).
    const { page: review, handle: approveButton } = await openExtensionPage(session, 'review.html', '::-p-aria([name="Approve for upload"][role="button"])');
    await approveButton.click();
    await review.waitForSelector('::-p-aria([name="Approve for upload"][role="button"])', { hidden: true });
    await review.close();
    expect(proxy.requests).toEqual([]);

    const { page } = await openExtensionPage(session, 'review.html#study', '::-p-text(Look up the study)');
    const dump = await page.evaluate(dumpDatabase);
    const conversation = dump.conversations.find((c) => c.taskSummary === '' && c.site === 'chatgpt')!;
    expect(conversation.review).toBe('reviewed');

    await page.type('input[type="url"]', proxy.url);
    await (await page.waitForSelector('::-p-text(Look up the study)'))!.click();
    await page.waitForSelector(`::-p-text(${STUDY_NAME})`);
    const shown = await text(page, 'article');
    for (const part of ['The ThoughtTrace test lab', 'study@example.org', 'Deleted when the tests end.', 'Consent (version 1)']) expect(shown).toContain(part);
    expect(shown).not.toContain('alert(1)');
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/study']);

    await (await page.waitForSelector('::-p-text(I have read the consent text (version 1))'))!.click();
    await (await page.waitForSelector('::-p-text(Join the study)'))!.click();
    await until(() => text(page, '[data-testid="study-uploaded"]'), (value) => value === '1', 'conversations uploaded');
    expect(await text(page, '[data-testid="study-state"]')).toContain('You take part in this study');
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/study', 'POST /v1/enrol', 'GET /v1/study', 'POST /v1/submissions']);

    // Byte for byte what the preview shows.
    const expected = previewLine(await page.evaluate(dumpDatabase), conversation.title);
    expect(await collector.exportLines()).toEqual([expected]);

    // Withdrawing stops everything and deletes what was sent.
    await (await page.waitForSelector('::-p-text(Withdraw from the study…)'))!.click();
    await (await page.waitForSelector('::-p-aria([name="Withdraw"][role="button"])'))!.click();
    await until(() => text(page, '[data-testid="study-deletion"]'), (value) => value.includes('The study deleted the conversation you uploaded'), 'deletion confirmed');
    expect(await collector.exportLines()).toEqual([]);
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/participant' });
    await page.close();
  });
});
