import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Locator, Page } from 'playwright-core';
import { exchange, launchChromium, openTitledChat, type ChromiumSession } from '../support/chromium';
import { loadExamples, parseExport } from '../support/data';

// The review page's list through its real UI: a file imported with the Import button and chats
// captured as a participant makes them; then search over messages and thoughts, the filters and
// their counts, the keyboard, exporting what the list shows, and the full backup out and back in
// (after "Delete all my data"), with a bad file refused. One browser and one database for the
// whole file, so the tests run in order.

let session: ChromiumSession;
let review: Page;

beforeAll(async () => {
  session = await launchChromium();
});

afterAll(async () => {
  await session?.close();
});

const extensionPage = (path: string) => `chrome-extension://${session.extensionId}/${path}`;
const examples = loadExamples();

/** A new chatgpt.com conversation titled `title`: one prompt, its reason (null skips), a reply, no reaction. */
async function chat(title: string, prompt: string, reason: string | null, reply: string) {
  const page = await openTitledChat(session, title);
  await exchange(page, prompt, reason, reply, null);
  await page.close();
}

async function openReview(): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(extensionPage('review.html'));
  await page.getByRole('button', { name: /^Export/ }).waitFor();
  return page;
}

const list = () => review.getByRole('navigation', { name: 'Conversations' });
const rows = () => list().getByRole('button');
/** The list's count (the page's other status, in the header, says what an action did). */
const count = () => review.locator('[role="status"]:not(header [role="status"])');
const searchBox = () => review.getByRole('searchbox', { name: 'Search conversations' });

/** The titles the list shows, in order (the list is virtualized: these fit the window). */
const titles = async () => (await rows().allInnerTexts()).map((text) => text.split('\n')[0]!.trim());

async function expectCount(text: string) {
  await expect.poll(() => count().innerText(), { message: `the count reads "${text}"` }).toBe(text);
}

async function chooseFile(page: Page, name: string, contents: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()]);
  await chooser.setFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(contents) });
}

const notice = (page: Page) => page.getByRole('banner').getByRole('status');

async function text(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function downloadFrom(button: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([review.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), text: await text(download) };
}

async function filter(label: string, value: string) {
  const filters = review.getByRole('search').locator('details');
  if (!(await filters.evaluate((details: HTMLDetailsElement) => details.open))) await filters.locator('summary').click();
  const control = review.getByRole('search').getByLabel(label, { exact: true });
  if ((await control.getAttribute('type')) === 'date') await control.fill(value);
  else await control.selectOption({ label: value });
}

/** The local day of an instant, as a date input takes it (the browser runs in this machine's time zone). */
const localDay = (iso: string) => {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

describe('the review list in Chromium', () => {
  it('imports a file and captured chats, then finds conversations by the words of their messages and thoughts', async () => {
    review = await openReview();
    await chooseFile(review, 'examples.jsonl', `${examples.map((c) => JSON.stringify(c)).join('\n')}\n`);
    await notice(review).getByText('Imported 12 conversations.').waitFor();

    await chat('Cider press chat', 'Where can I buy a cider press?', 'A quokka ate my last strainer', 'Try a hardware store.');
    await chat('Quiet chat', 'What time is it in Lisbon?', null, 'It is noon.');
    await expectCount('14 conversations');
    // Newest first: the two captured chats, then the file's conversations by their last activity.
    const byActivity = [...examples].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
    expect((await titles()).slice(0, 3)).toEqual(['Quiet chat', 'Cider press chat', byActivity[0]!.task_summary.slice(0, 120)]);

    // A word of one message; its conversation shows beside the list.
    await searchBox().fill('okara');
    await expectCount('1 of 14 conversations match “okara”');
    const soy = examples.find((c) => c.id === 'user804_task2_conversation1')!;
    expect(await titles()).toEqual([soy.task_summary.slice(0, 120)]);
    await review.getByRole('main').getByRole('heading', { level: 2, name: soy.task_summary.slice(0, 120) }).waitFor();
    // Every word must occur; the last one may be the start of a word.
    await searchBox().fill('okara squat');
    await expectCount('0 of 14 conversations match “okara squat”');
    await review.getByText('No conversation matches your search and filters.').first().waitFor();
    await searchBox().fill('SQUAT');
    await expectCount('2 of 14 conversations match “SQUAT”');
    // A thought's word (the participant's reason), typed as far as "quok".
    await searchBox().fill('quok');
    await expectCount('1 of 14 conversations match “quok”');
    expect(await titles()).toEqual(['Cider press chat']);
    await review.getByRole('main').getByRole('heading', { level: 2, name: 'Cider press chat' }).waitFor();
    // Clearing the search from the empty state brings every conversation back.
    await searchBox().fill('nowhere-to-be-found');
    await review.getByRole('button', { name: 'Clear search and filters' }).click();
    await expectCount('14 conversations');
    expect(await searchBox().inputValue()).toBe('');
  });

  it('filters by site, model, date and thoughts, with counts, and exports what it shows', async () => {
    await filter('Site', 'ChatGPT');
    await expectCount('2 of 14 conversations');
    await filter('Thoughts', 'Without thoughts');
    await expectCount('1 of 14 conversations');
    expect(await titles()).toEqual(['Quiet chat']);
    await review.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount('14 conversations');

    await filter('Model', 'Grok 4.1 Fast');
    await expectCount('2 of 14 conversations');
    const day = localDay(examples.find((c) => c.model_name === 'Grok 4.1 Fast')!.updated_at);
    await filter('Active from', day);
    await filter('Active until', day);
    await expectCount('2 of 14 conversations');
    await filter('Model', 'All models');
    const sameDay = examples.filter((c) => localDay(c.updated_at) === day).length;
    await expectCount(`${sameDay} of 14 conversations`);
    await review.getByRole('search').getByText('Filters (2 on)').waitFor();

    // What the list shows, and only that, downloads as ThoughtTrace JSONL.
    const shown = await downloadFrom(review.getByRole('button', { name: `Download these ${sameDay} as JSONL` }));
    expect(shown.name).toMatch(/^thoughttrace-.*\.jsonl$/);
    expect(parseExport(shown.text).map((c) => c.id).sort()).toEqual(examples.filter((c) => localDay(c.updated_at) === day).map((c) => c.id).sort());
    // The export of everything is still one click, whatever the list shows.
    const all = await downloadFrom(review.getByRole('button', { name: /^Export/ }));
    expect(parseExport(all.text)).toHaveLength(14);
    await review.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount('14 conversations');
  });

  it('moves through the list with the keyboard', async () => {
    await searchBox().focus();
    await searchBox().press('ArrowDown');
    const current = list().locator('[aria-current="true"]');
    await expect.poll(() => review.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');
    expect((await current.innerText()).split('\n')[0]).toBe('Quiet chat');
    await review.keyboard.press('ArrowDown');
    await review.getByRole('main').getByRole('heading', { level: 2, name: 'Cider press chat' }).waitFor();
    await expect.poll(() => review.evaluate(() => document.activeElement?.textContent?.startsWith('Cider press chat'))).toBe(true);
    await review.keyboard.press('End');
    const oldest = [...examples].sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at))[0]!;
    await review.getByRole('main').getByRole('heading', { level: 2, name: oldest.task_summary.slice(0, 120) }).waitFor();
    // Each row tells its place in the whole list, though only some rows exist at a time.
    expect(await list().getByRole('listitem').last().getAttribute('aria-posinset')).toBe('14');
    expect(await list().getByRole('listitem').last().getAttribute('aria-setsize')).toBe('14');
    await review.keyboard.press('Home');
    await review.getByRole('main').getByRole('heading', { level: 2, name: 'Quiet chat' }).waitFor();
  });

  it('backs up everything, restores it after "Delete all my data", with review states, and refuses a bad file', async () => {
    const before = await downloadFrom(review.getByRole('button', { name: /^Export/ }));
    const backup = await downloadFrom(review.getByRole('button', { name: 'Back up everything' }));
    expect(backup.name).toMatch(/^thoughttrace-backup-.*\.jsonl$/);
    await notice(review).getByText(/^Backed up 14 conversations/).waitFor();
    const lines = backup.text.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'thoughttrace-backup', version: 1, conversations: 14 });

    // Review states as a participant leaves them, carried by the backup.
    const states: Record<string, { review?: string; excluded?: boolean }> = {
      user804_task2_conversation1: { review: 'reviewed' },
      user584_task1_conversation1: { review: 'uploaded' },
      user727_task1_conversation1: { review: 'changed' },
      user155_task2_conversation1: { excluded: true },
    };
    const edited = lines.map((line) => {
      const entry = JSON.parse(line);
      if (entry.type !== 'conversation' || !states[entry.conversation.id]) return line;
      return JSON.stringify({ ...entry, conversation: { ...entry.conversation, ...states[entry.conversation.id] } });
    });

    const settings = await session.context.newPage();
    await settings.goto(extensionPage('review.html#settings'));
    await settings.getByLabel('Type DELETE to confirm').fill('DELETE');
    await settings.getByRole('button', { name: 'Delete all my data' }).click();
    await settings.getByText('All your data was deleted from this browser.').waitFor();
    await settings.close();
    await review.getByRole('heading', { name: 'No conversations yet' }).waitFor();

    // A file cut short is refused whole: nothing comes back.
    await chooseFile(review, 'cut.jsonl', `${edited.slice(0, -1).join('\n')}\n`);
    await notice(review).getByText(/^Nothing imported: line \d+ of the backup is not usable \(the file is incomplete/).waitFor();
    await review.getByRole('heading', { name: 'No conversations yet' }).waitFor();

    await chooseFile(review, backup.name, `${edited.join('\n')}\n`);
    await notice(review).getByText('Restored 14 conversations from the backup.').waitFor();
    await expectCount('14 conversations');
    // The export reads as it did before; a second backup holds exactly what the first did.
    expect((await downloadFrom(review.getByRole('button', { name: /^Export/ }))).text).toBe(before.text);
    const again = (await downloadFrom(review.getByRole('button', { name: 'Back up everything' }))).text.trimEnd().split('\n');
    expect(again.slice(1).map((line) => JSON.parse(line))).toEqual(edited.slice(1).map((line) => JSON.parse(line)));
    // Search works on what came back.
    await searchBox().fill('quokka');
    await expectCount('1 of 14 conversations match “quokka”');
    await searchBox().fill('');

    // The review and upload filters, and each row's state.
    await filter('Review', 'Reviewed');
    await expectCount('2 of 14 conversations');
    await filter('Review', 'Changed since upload');
    await expectCount('1 of 14 conversations');
    expect(await rows().first().innerText()).toContain('Changed since upload');
    await filter('Review', 'New');
    await expectCount('11 of 14 conversations');
    await filter('Review', 'Any');
    await filter('Upload', 'Uploaded');
    await expectCount('2 of 14 conversations');
    await filter('Upload', 'Excluded from upload');
    await expectCount('1 of 14 conversations');
    expect(await rows().first().innerText()).toContain('Excluded');
    await filter('Upload', 'Not uploaded');
    await expectCount('11 of 14 conversations');
    // Importing the same backup again changes nothing.
    await chooseFile(review, backup.name, `${edited.join('\n')}\n`);
    await notice(review).getByText('Restored 0 conversations from the backup; 14 already here were kept as they are.').waitFor();
    await expectCount('11 of 14 conversations');
  });
});
