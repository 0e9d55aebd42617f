import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ConversationRecord, MessageRecord, SurveyAnswers, ThoughtRecord, ThoughtTraceConversation } from '../../utils/data/records';
import { toUploadLine } from '../../utils/data/upload-record';
import { exportJsonl, launchChromium, type ChromiumSession } from '../support/chromium';
import { parseExport, thoughtsOf } from '../support/data';

// The conversation view of the review page, driven as a participant drives it: conversations come
// in through the Import button, text is selected with the mouse or the keyboard shortcut, the
// suggestions are accepted or rejected, and what leaves is checked in the exported file and in the
// preview of what a study would receive.

let session: ChromiumSession;

beforeAll(async () => {
  session = await launchChromium();
});

afterAll(async () => {
  await session?.close();
});

type Turn = [type: 'user' | 'assistant', content: string, thoughts?: string[]];

/** A ThoughtTrace conversation whose review-page title (its task summary) is `title`. */
function conversation(title: string, turns: Turn[]): ThoughtTraceConversation {
  const at = (i: number) => new Date(Date.UTC(2026, 3, 1, 10, i)).toISOString().replace('Z', '+00:00');
  return {
    id: `e2e-${crypto.randomUUID()}`,
    messages: turns.map(([type, content, thoughts = []], i) => {
      const own = thoughts.map((text) => ({ content: text, timestamp: at(i), label: '' as const }));
      return type === 'user'
        ? { content, timestamp: at(i), type, id: 1_775_000_000_000 + i, reasons: own }
        : { content, timestamp: at(i), type, id: 1_775_000_000_000 + i, reactions: own };
    }),
    model_name: 'GPT-5.4',
    model_provider: 'OpenAI',
    created_at: at(0),
    updated_at: at(turns.length),
    task_summary: title,
    task_expectation: '',
    survey_answers: [],
  } as ThoughtTraceConversation;
}

async function openReview(): Promise<Page> {
  const review = await session.context.newPage();
  await review.goto(`chrome-extension://${session.extensionId}/review.html`);
  await review.getByRole('button', { name: /^Import/ }).waitFor();
  return review;
}

/** Imports the conversations through the review page's Import button, as a participant would a file. */
async function importConversations(review: Page, conversations: ThoughtTraceConversation[]) {
  const file = conversations.map((c) => JSON.stringify(c)).join('\n');
  await review.locator('input[type="file"]').setInputFiles({ name: 'chats.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(file) });
  await review.getByText(/^Imported \d+ conversation/).waitFor();
}

async function selectConversation(review: Page, title: string): Promise<Locator> {
  await review.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
  const main = review.getByRole('main');
  await main.getByRole('heading', { name: title, level: 2 }).waitFor();
  await suggestionsDone(main);
  return main;
}

/** The suggestions are drawn (a selection made while they are still coming is redrawn away). */
const suggestionsDone = (main: Locator) => main.locator('section[aria-busy="false"]').filter({ hasText: 'Suggested redactions' }).waitFor();

/** The page's text nodes under `root` and where `text` lies across them, as viewport points at its first and last character. */
async function rangeOf(root: Locator, text: string) {
  return root.evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes: Array<[Text, number]> = [];
    let all = '';
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      nodes.push([node, all.length]);
      all += node.data;
    }
    const at = all.indexOf(wanted);
    if (at < 0) throw new Error(`"${wanted}" is not shown in ${all}`);
    const point = (offset: number, end: boolean) => {
      const [node, start] = nodes.find(([n, s]) => (end ? offset <= s + n.data.length : offset < s + n.data.length))!;
      return [node, offset - start] as const;
    };
    const range = document.createRange();
    range.setStart(...point(at, false));
    range.setEnd(...point(at + wanted.length, true));
    range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
    const rects = range.getClientRects();
    const first = rects[0]!;
    const last = rects[rects.length - 1]!;
    (window as unknown as { __range: Range }).__range = range;
    return { from: { x: first.left + 1, y: first.top + first.height / 2 }, to: { x: last.right - 1, y: last.top + last.height / 2 } };
  }, text);
}

/** Selects `text` by dragging the mouse over it. */
async function dragSelect(page: Page, root: Locator, text: string) {
  await suggestionsDone(page.getByRole('main'));
  const { from, to } = await rangeOf(root, text);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  expect(await page.evaluate(() => document.getSelection()?.toString())).toBe(text);
}

/** Selects `text` as the keyboard or a script would, without the mouse. */
async function setSelection(page: Page, root: Locator, text: string) {
  await suggestionsDone(page.getByRole('main'));
  await rangeOf(root, text);
  await page.evaluate(() => {
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange((window as unknown as { __range: Range }).__range);
  });
}

const exportedConversation = async (title: string) => {
  const all = parseExport(await exportJsonl(session));
  const found = all.filter((c) => c.task_summary === title);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const everyText = (c: ThoughtTraceConversation) => c.messages.flatMap((m) => [m.content, ...thoughtsOf(m).map((t) => t.content)]);

describe('Redacting on the review page in Chromium', () => {
  it('redacts a selection in a formatted message and in a thought, undoes one, and the export has none of the redacted words', async () => {
    const title = 'Selection redaction';
    const review = await openReview();
    await importConversations(review, [
      conversation(title, [
        ['user', 'I work at **Globex Corp** in Springfield, please draft a letter.', ['My manager Hank Scorpio must not see this']],
        ['assistant', 'Sure! Here is a letter to *Globex Corp*:\n\n1. Greeting\n2. Ask about `Springfield` office hours', []],
      ]),
    ]);
    const main = await selectConversation(review, title);
    const prompt = main.getByRole('article', { name: 'Your prompt' });
    const reply = main.getByRole('article', { name: 'Reply' });
    const toolbar = review.getByRole('toolbar', { name: 'Redact the selection' });

    // A selection inside bold text, by mouse: redacted as the kind chosen, shown as its placeholder.
    await dragSelect(review, prompt, 'Globex Corp');
    await toolbar.getByLabel('as').selectOption('custom');
    await toolbar.getByRole('button', { name: 'Redact', exact: true }).click();
    await prompt.getByRole('button', { name: /^\[CUSTOM_1\], redacted/ }).waitFor();
    expect(await prompt.innerText()).not.toContain('Globex');

    // The same words in the reply's emphasis get the same placeholder, as in the export.
    await dragSelect(review, reply, 'Globex Corp');
    await toolbar.getByLabel('as').selectOption('custom');
    await review.keyboard.press('Alt+r');
    await reply.getByRole('button', { name: /^\[CUSTOM_1\], redacted/ }).waitFor();

    // Inline code and a thought, by the keyboard shortcut.
    await setSelection(review, reply, 'Springfield');
    await toolbar.getByLabel('as').selectOption('place');
    await review.keyboard.press('Alt+r');
    await reply.getByRole('button', { name: /^\[PLACE_1\], redacted/ }).waitFor();
    const thought = prompt.getByRole('list', { name: 'Reasons' }).getByRole('listitem');
    await setSelection(review, thought, 'Hank Scorpio');
    await toolbar.getByLabel('as').selectOption('name');
    await review.keyboard.press('Alt+r');
    await thought.getByRole('button', { name: /^\[NAME_1\], redacted/ }).waitFor();

    // A placeholder shows what it hides, and can be undone; then redacted again.
    await setSelection(review, prompt.locator('[data-redact-target]').first(), 'Springfield');
    await toolbar.getByLabel('as').selectOption('place');
    await toolbar.getByRole('button', { name: 'Redact', exact: true }).click();
    const placeholder = prompt.getByRole('button', { name: /^\[PLACE_1\], redacted/ });
    await placeholder.click();
    const details = review.getByRole('dialog', { name: 'Redaction' });
    await details.getByText('Springfield').waitFor();
    await details.getByRole('button', { name: 'Undo redaction' }).click();
    await placeholder.waitFor({ state: 'detached' });
    expect(await prompt.innerText()).toContain('in Springfield, please');
    await setSelection(review, prompt.locator('[data-redact-target]').first(), 'Springfield');
    await toolbar.getByLabel('as').selectOption('place');
    await toolbar.getByRole('button', { name: 'Redact', exact: true }).click();
    await placeholder.waitFor();
    await review.close();

    const exported = await exportedConversation(title);
    expect(everyText(exported)).toEqual([
      'I work at **[CUSTOM_1]** in [PLACE_1], please draft a letter.',
      'My manager [NAME_1] must not see this',
      'Sure! Here is a letter to *[CUSTOM_1]*:\n\n1. Greeting\n2. Ask about `[PLACE_1]` office hours',
    ]);
    const file = JSON.stringify(exported);
    for (const secret of ['Globex', 'Springfield', 'Hank', 'Scorpio']) expect(file).not.toContain(secret);
  });

  it('accepts one suggestion, all of a kind, rejects one for good, and exports none of the accepted values', async () => {
    const title = 'Suggestion redaction';
    const review = await openReview();
    await importConversations(review, [
      conversation(title, [
        ['user', 'Email ana.souza@example.org and bob@example.com, or call +44 20 7946 0958. Docs: https://docs.example.com/guide', ['Copy carol@example.net too']],
        ['assistant', 'I will write to ana.souza@example.org first.', []],
      ]),
    ]);
    const main = await selectConversation(review, title);
    const panel = main.getByRole('region', { name: 'Suggested redactions' });
    await panel.getByRole('button', { name: '3 e-mail addresses', exact: true }).waitFor();

    // One suggestion, from its highlight in the text.
    const prompt = main.getByRole('article', { name: 'Your prompt' });
    await prompt.getByRole('button', { name: '+44 20 7946 0958, suggested redaction (phone number)' }).click();
    await review.getByRole('dialog', { name: 'Suggested redaction' }).getByRole('button', { name: 'Redact', exact: true }).click();
    await prompt.getByRole('button', { name: /^\[PHONE_1\], redacted/ }).waitFor();

    // A link that is not personal: not suggested again, even after the page is opened anew.
    await prompt.getByRole('button', { name: /^https:\/\/docs\.example\.com\/guide, suggested redaction/ }).click();
    await review.getByRole('dialog', { name: 'Suggested redaction' }).getByRole('button', { name: 'Not personal' }).click();
    await panel.getByText('1 suggested values marked not personal.').waitFor();

    // All of a kind at once, in messages and thoughts alike.
    await panel.getByRole('button', { name: 'Redact all 3 e-mail addresses' }).click();
    await panel.getByRole('button', { name: '3 e-mail addresses', exact: true }).waitFor({ state: 'detached' });
    await main.getByRole('button', { name: /^\[EMAIL_1\], redacted/ }).first().waitFor();
    expect(await main.getByRole('button', { name: /suggested redaction/ }).count()).toBe(0);

    await review.reload();
    const again = await selectConversation(review, title);
    await again.getByRole('region', { name: 'Suggested redactions' }).getByText(/No personal details found/).waitFor();
    expect(await again.getByRole('button', { name: /suggested redaction/ }).count()).toBe(0);
    await review.close();

    const exported = await exportedConversation(title);
    expect(everyText(exported)).toEqual([
      'Email [EMAIL_1] and [EMAIL_2], or call [PHONE_1]. Docs: https://docs.example.com/guide',
      'Copy [EMAIL_3] too',
      'I will write to [EMAIL_1] first.',
    ]);
    for (const value of ['ana.souza', 'bob@', 'carol@', '7946']) expect(JSON.stringify(exported)).not.toContain(value);
  });

  it('suggests the words of the "always redact" list from Settings, and deletes one message, keeping the rest of the branch', async () => {
    const title = 'Always redact and delete';
    const settings = await session.context.newPage();
    await settings.goto(`chrome-extension://${session.extensionId}/review.html#settings`);
    const list = settings.getByLabel('Words and phrases to always redact');
    await list.fill('Initech\nlumbergh');
    await settings.getByRole('region', { name: 'Always redact' }).getByText('Saved.', { exact: true }).waitFor();
    await settings.close();

    const review = await openReview();
    await importConversations(review, [
      conversation(title, [
        ['user', 'Draft a memo about the TPS reports at Initech', ['Bill Lumbergh keeps asking']],
        ['assistant', 'Here is a memo for INITECH staff.', []],
        ['user', 'Shorter, please', []],
        ['assistant', 'TPS reports: use the new cover sheet.', []],
      ]),
    ]);
    const main = await selectConversation(review, title);
    const panel = main.getByRole('region', { name: 'Suggested redactions' });
    // "Initech" in any case, and "Lumbergh" as a whole word: three places, two values.
    await panel.getByRole('button', { name: '2 words from your always-redact list', exact: true }).click();
    await panel.getByText('Initech').first().waitFor();
    await panel.getByRole('button', { name: 'Redact all 2 words from your always-redact list' }).click();
    await main.getByRole('button', { name: /^\[CUSTOM_2\], redacted/ }).waitFor();

    const reply = main.getByRole('article', { name: 'Reply' }).filter({ hasText: 'Here is a memo' });
    await reply.getByRole('button', { name: 'Delete message' }).click();
    await reply.getByRole('button', { name: 'Delete message for good' }).click();
    await reply.waitFor({ state: 'detached' });
    await review.close();

    const exported = await exportedConversation(title);
    expect(exported.messages.map((m) => [m.type, m.content])).toEqual([
      ['user', 'Draft a memo about the TPS reports at [CUSTOM_1]'],
      ['user', 'Shorter, please'],
      ['assistant', 'TPS reports: use the new cover sheet.'],
    ]);
    expect(everyText(exported)[1]).toBe('Bill [CUSTOM_2] keeps asking');
  });

  it('shows HTML, scripts and javascript: links in messages and thoughts as text, and none of them runs', async () => {
    const title = 'Script payloads';
    const payloads = [
      '<img src=x onerror="window.__pwned=1;alert(1)">',
      '<script>window.__pwned=2;alert(2)</script>',
      '<svg onload="window.__pwned=3"></svg>',
      '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe>',
      '<a href="javascript:window.__pwned=5">html link</a>',
    ];
    const review = await session.context.newPage();
    const dialogs: string[] = [];
    review.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Any attempt to run inline script is refused by the page's policy and reported here.
    await review.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.sample}`));
    });
    await review.goto(`chrome-extension://${session.extensionId}/review.html`);
    await importConversations(review, [
      conversation(title, [
        ['user', `Look at this:\n\n${payloads.join('\n\n')}\n\n[markdown link](javascript:window.__pwned=6)`, [payloads[0]!, payloads[1]!]],
        ['assistant', `${payloads[2]} and ${payloads[4]}\n\n<details open><summary>raw</summary>${payloads[3]}</details>`, [`[click](javascript:window.__pwned=7) ${payloads[4]}`]],
      ]),
    ]);
    const main = await selectConversation(review, title);
    for (const payload of payloads) await main.getByText(payload, { exact: false }).first().waitFor();
    expect(await main.getByText('<img src=x onerror=', { exact: false }).count()).toBeGreaterThanOrEqual(2);

    // Nothing was made into an element, and no link goes to script.
    expect(await main.locator('article :is(img, script, svg, iframe, object, embed, details, math)').count()).toBe(0);
    const hrefs = await main.locator('article a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of hrefs) expect(href ?? '').not.toMatch(/^\s*(javascript|data|vbscript):/i);
    // Thoughts are plain text: their Markdown shows as typed.
    await main.getByText('[click](javascript:window.__pwned=7)', { exact: false }).waitFor();
    await main.getByText('markdown link').click();
    await review.waitForTimeout(300);

    expect(await review.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await review.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(review.url()).toBe(`chrome-extension://${session.extensionId}/review.html`);
    await review.close();
  });

  it('previews exactly the line an upload sends, after a redaction, a left-out message and approval', async () => {
    const title = 'Preview of the upload';
    const review = await openReview();
    await importConversations(review, [
      conversation(title, [
        ['user', 'Plan a trip for Ana, see https://maps.example.com/route?from=home&key=abc#top', ['Ana is my sister']],
        ['assistant', 'Here is a plan.', ['Good']],
        ['user', 'My passport number is 123456789, is that needed?', []],
        ['assistant', 'No, keep it to yourself.', []],
      ]),
    ]);
    const main = await selectConversation(review, title);
    const state = main.getByRole('region', { name: 'Review and upload' });
    await state.getByText('Not reviewed').waitFor();

    await setSelection(review, main.getByRole('article', { name: 'Your prompt' }).first().locator('[data-redact-target]').first(), 'Ana');
    await review.getByRole('toolbar', { name: 'Redact the selection' }).getByLabel('as').selectOption('name');
    await review.keyboard.press('Alt+r');
    await main.getByRole('button', { name: /^\[NAME_1\], redacted/ }).first().waitFor();
    const passport = main.getByRole('article', { name: 'Your prompt' }).filter({ hasText: 'passport' });
    await passport.getByRole('button', { name: 'Leave out of upload' }).click();
    await passport.getByText('Left out of upload', { exact: true }).waitFor();

    await state.getByRole('button', { name: 'Approve for upload' }).click();
    await state.getByText('Approved for upload').waitFor();

    await main.getByRole('button', { name: 'Preview what a study would receive' }).click();
    const shown = await main.getByRole('region', { name: 'Preview what a study would receive' }).getByLabel('The record a study would receive').innerText();

    // The line toUploadLine makes of the records as stored.
    const stored = await review.evaluate(async (summary) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('thoughttrace');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const all = (store: string) =>
        new Promise<unknown[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
      const conversations = (await all('conversations')) as Array<{ id: string; taskSummary: string }>;
      const conversation = conversations.find((c) => c.taskSummary === summary)!;
      const mine = (rows: unknown[]) => (rows as Array<{ conversationId: string }>).filter((r) => r.conversationId === conversation.id);
      const settings = (await all('settings')) as Array<{ key: string; value: unknown }>;
      return {
        conversation,
        messages: mine(await all('messages')),
        thoughts: mine(await all('thoughts')),
        profile: settings.find((row) => row.key === 'profile')?.value ?? null,
      };
    }, title);
    const line = toUploadLine(
      stored.conversation as ConversationRecord,
      stored.messages as MessageRecord[],
      stored.thoughts as ThoughtRecord[],
      stored.profile as SurveyAnswers | null,
    );
    expect(shown).toBe(JSON.stringify(JSON.parse(line), null, 2));
    const record = JSON.parse(line) as ThoughtTraceConversation;
    expect(record.id).toBe((stored.conversation as ConversationRecord).uploadId);
    expect(record.messages.map((m) => m.content)).toEqual([
      'Plan a trip for [NAME_1], see https://maps.example.com/route',
      'Here is a plan.',
      'No, keep it to yourself.',
    ]);
    expect(shown).not.toContain('passport');

    // Kept on this device only: nothing would be sent, and approval waits.
    await state.getByRole('button', { name: 'Keep on this device only' }).click();
    await main.getByText('This conversation is kept on this device only: nothing of it would be sent.').waitFor();
    expect(await main.getByLabel('The record a study would receive').count()).toBe(0);
    await state.getByRole('button', { name: 'Back to not reviewed' }).click();
    await state.getByText('Not reviewed').waitFor();
    expect(await state.getByRole('button', { name: 'Approve for upload' }).isDisabled()).toBe(true);
    await review.close();
  });
});
