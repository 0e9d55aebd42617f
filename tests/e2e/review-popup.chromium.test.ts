import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { type ThoughtTraceConversation } from '../../utils/data/records';
import {
  answerCard,
  exchange,
  exportJsonl,
  findCard,
  launchChromium,
  openCards,
  openTitledChat,
  sendPrompt,
  type ChromiumSession,
} from '../support/chromium';
import { parseExport, thoughtsOf } from '../support/data';

// The review page and the popup, driven through their real UI on top of chats captured the way a
// participant makes them: type a prompt, answer the reason prompt, the reply streams in, answer
// (or skip) the reaction prompt. The whole file shares one browser and one database, so each test
// finds its own conversations by their titles.

let session: ChromiumSession;

beforeAll(async () => {
  session = await launchChromium();
});

afterAll(async () => {
  await session?.close();
});

const extensionPage = (path: string) => `chrome-extension://${session.extensionId}/${path}`;

async function exported(): Promise<ThoughtTraceConversation[]> {
  return parseExport(await exportJsonl(session));
}

/** The export has no titles: conversations are found by their first prompt. */
const startingWith = (all: ThoughtTraceConversation[], prompt: string) =>
  all.filter((c) => c.messages[0]?.content === prompt);
const thoughtTexts = (c: ThoughtTraceConversation) => c.messages.map((m) => thoughtsOf(m).map((t) => t.content));

async function openReview(): Promise<Page> {
  const review = await session.context.newPage();
  await review.goto(extensionPage('review.html'));
  await review.getByRole('navigation', { name: 'Conversations' }).waitFor();
  return review;
}

/** The nav entry of the conversation titled `title`. */
const navEntry = (review: Page, title: string) =>
  review.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${title}`) });

async function selectConversation(review: Page, title: string): Promise<Locator> {
  await navEntry(review, title).click();
  const main = review.getByRole('main');
  await main.getByRole('heading', { name: title, level: 2 }).waitFor();
  return main;
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  await expect.poll(condition, { timeout: timeoutMs, message: what }).toBe(true);
}

/** Watches every frame of `page` for a thought prompt for `ms`; returns how many times one was seen. */
async function promptsSeenDuring(page: Page, ms: number): Promise<number> {
  let seen = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    seen += await openCards(page);
    await page.waitForTimeout(100);
  }
  return seen;
}

describe('Review page and popup in Chromium', () => {
  it('lists conversations newest first and edits, deletes and adds thoughts, task answers and conversations', async () => {
    const trip = 'Trip to Lisbon';
    const scratch = 'Scratch chat';
    let chat = await openTitledChat(session, trip);
    await exchange(chat, 'Plan a day in Lisbon', 'Going next week', 'Visit **Belém** in the morning.', null);
    await exchange(chat, 'Where should we eat?', 'I love seafood', 'Try *Cervejaria Ramiro*.', 'Sounds great');
    await chat.close();
    chat = await openTitledChat(session, scratch);
    await exchange(chat, 'Test prompt to throw away', 'Just testing', 'Sure, testing.', 'Meh');
    await chat.close();

    let review = await openReview();
    const nav = review.getByRole('navigation', { name: 'Conversations' });
    const titles = (await nav.getByRole('button').allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
    expect(titles.filter((t) => t === trip || t === scratch)).toEqual([scratch, trip]);

    // The newest conversation shows its messages and thoughts.
    let main = await selectConversation(review, scratch);
    const scratchText = await main.innerText();
    for (const text of ['Test prompt to throw away', 'Just testing', 'Sure, testing.', 'Meh']) expect(scratchText).toContain(text);

    // Deleting asks first, then removes the conversation.
    await main.getByRole('button', { name: 'Delete conversation' }).click();
    expect(await navEntry(review, scratch).count()).toBe(1);
    await main.getByRole('button', { name: 'Delete for good' }).click();
    await navEntry(review, scratch).waitFor({ state: 'detached' });

    main = await selectConversation(review, trip);
    const prompts = main.getByRole('article', { name: 'Your prompt' });
    const replies = main.getByRole('article', { name: 'Reply' });
    const firstPrompt = prompts.filter({ hasText: 'Plan a day in Lisbon' });
    const secondPrompt = prompts.filter({ hasText: 'Where should we eat?' });
    const firstReply = replies.filter({ hasText: 'Visit' });
    await firstPrompt.getByText('Going next week').waitFor();
    await secondPrompt.getByText('I love seafood').waitFor();
    expect(await firstReply.getByRole('list', { name: 'Reactions' }).getByRole('listitem').count()).toBe(0);

    // Edit a reason. Edits are saved as typed, and Cancel puts the words back.
    await firstPrompt.getByRole('button', { name: 'Edit reason' }).click();
    const editor = firstPrompt.getByRole('textbox', { name: 'Edit reason' });
    expect(await editor.inputValue()).toBe('Going next week');
    await editor.fill('Going whenever');
    await firstPrompt.getByText('Saved.', { exact: true }).waitFor();
    await firstPrompt.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'detached' });
    await firstPrompt.getByText('Going next week').waitFor();
    await firstPrompt.getByRole('button', { name: 'Edit reason' }).click();
    await editor.fill('Going next Tuesday with my sister');
    await firstPrompt.getByRole('button', { name: 'Save', exact: true }).click();
    await firstPrompt.getByText('Going next Tuesday with my sister').waitFor();
    await editor.waitFor({ state: 'detached' });

    // Delete a reason.
    await secondPrompt.getByRole('button', { name: 'Delete reason' }).click();
    await secondPrompt.getByText('I love seafood').waitFor({ state: 'detached' });

    // Add the reaction that was skipped while chatting. It is kept as it is typed: closing the
    // page before saving it leaves it as the reply's draft, to edit and save later.
    await firstReply.getByRole('button', { name: 'Add reaction' }).click();
    await firstReply.getByRole('textbox', { name: 'New reaction' }).fill('Belém was a good');
    await firstReply.getByText('Saved.', { exact: true }).waitFor();
    await review.close();
    review = await openReview();
    main = await selectConversation(review, trip);
    const reply = main.getByRole('article', { name: 'Reply' }).filter({ hasText: 'Visit' });
    await reply.getByText('Unsaved draft').waitFor();
    await reply.getByRole('button', { name: 'Edit draft' }).click();
    const newReaction = reply.getByRole('textbox', { name: 'New reaction' });
    expect(await newReaction.inputValue()).toBe('Belém was a good');
    await newReaction.press('End');
    await newReaction.pressSequentially(' tip');
    await reply.getByRole('button', { name: 'Save', exact: true }).click();
    await reply.getByRole('list', { name: 'Reactions' }).getByText('Belém was a good tip').waitFor();
    await reply.getByText('Unsaved draft').waitFor({ state: 'detached' });

    // The task questions: the list says they are unanswered until they are.
    expect(await navEntry(review, trip).innerText()).toContain('Two optional questions about it are unanswered');
    await main.getByText('About this conversation').click();
    await main.getByLabel('What were you trying to do?').fill('Plan a weekend trip');
    await main.getByLabel('What did you expect from the AI?').fill('A short itinerary');
    // Saved as typed: no button to press.
    await main.getByRole('group').getByText('Saved.', { exact: true }).waitFor();
    await expect.poll(() => navEntry(review, trip).innerText()).not.toContain('unanswered');
    await review.close();

    const all = await exported();
    expect(startingWith(all, 'Test prompt to throw away')).toHaveLength(0);
    expect(all.flatMap((c) => c.messages).some((m) => m.content.includes('Test prompt to throw away'))).toBe(false);
    const [tripExport, ...others] = startingWith(all, 'Plan a day in Lisbon');
    expect(others).toHaveLength(0);
    expect(tripExport!.messages.map((m) => m.type)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(thoughtTexts(tripExport!)).toEqual([
      ['Going next Tuesday with my sister'],
      ['Belém was a good tip'],
      [],
      ['Sounds great'],
    ]);
    expect(tripExport!.task_summary).toBe('Plan a weekend trip');
    expect(tripExport!.task_expectation).toBe('A short itinerary');
  });

  it('keeps a reason typed but neither saved nor skipped as a draft the review page can save', async () => {
    const title = 'Draft chat';
    const chat = await openTitledChat(session, title);
    await sendPrompt(chat, 'How do I fix a squeaky door?');
    const frame = await findCard(chat, 'reason');
    await frame.getByRole('dialog').getByRole('textbox').fill('It keeps waking the baby');
    await chat.waitForTimeout(600); // the draft is saved 300 ms after the last keystroke
    await chat.close();

    const review = await openReview();
    const main = await selectConversation(review, title);
    const prompt = main.getByRole('article', { name: 'Your prompt' });
    await prompt.getByText('Unsaved draft').waitFor();
    await prompt.getByText('It keeps waking the baby').waitFor();
    expect(await prompt.getByRole('list', { name: 'Reasons' }).getByRole('listitem').count()).toBe(0);
    await prompt.getByRole('button', { name: 'Save draft as reason' }).click();
    await prompt.getByText('Unsaved draft').waitFor({ state: 'detached' });
    await prompt.getByRole('list', { name: 'Reasons' }).getByText('It keeps waking the baby').waitFor();
    await review.close();

    const [draftExport, ...others] = startingWith(await exported(), 'How do I fix a squeaky door?');
    expect(others).toHaveLength(0);
    expect(draftExport!.messages.map((m) => m.content)).toEqual(['How do I fix a squeaky door?']);
    expect(thoughtTexts(draftExport!)).toEqual([['It keeps waking the baby']]);
  });

  it('popup shows the active chat and counts, and its pause switch stops all capture until turned off', async () => {
    const title = 'Popup chat';
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    const conversations = popup.getByTestId('conversation-count');
    const thoughts = popup.getByTestId('thought-count');
    await conversations.waitFor();
    const before = { conversations: Number(await conversations.innerText()), thoughts: Number(await thoughts.innerText()) };

    const chat = await openTitledChat(session, title);
    await exchange(chat, 'Suggest a name for a goldfish', 'My kid won one at the fair', 'How about **Bubbles**?', 'Too common');

    const thisTab = popup.getByRole('region', { name: 'This tab' });
    const showPopupFor = async (tab: Page) => {
      await tab.bringToFront();
      await popup.reload();
      await thisTab.getByText(/Checking this tab/).waitFor({ state: 'detached' });
    };

    await showPopupFor(chat);
    expect(await thisTab.innerText()).toContain(`ChatGPT: ${title}`);
    expect(await thisTab.innerText()).toContain('Capture is on');
    expect(Number(await conversations.innerText())).toBe(before.conversations + 1);
    expect(Number(await thoughts.innerText())).toBe(before.thoughts + 2);
    const all = await exported();
    expect(Number(await conversations.innerText())).toBe(all.length);
    expect(Number(await thoughts.innerText())).toBe(all.flatMap((c) => c.messages.flatMap(thoughtsOf)).length);
    // Conversations chatted in with both task questions unanswered (this one among them) are pointed out.
    await popup.getByText(/conversations? you chatted in ha(s|ve) two optional questions unanswered/).waitFor();

    // Pause: a prompt sent now is neither captured nor asked about.
    const pause = popup.getByRole('switch', { name: 'Pause capture everywhere' });
    expect(await pause.isChecked()).toBe(false);
    await pause.click();
    await waitUntil(() => pause.isChecked(), 'the pause switch turns on');
    await thisTab.getByText('Capture is paused').waitFor();

    await sendPrompt(chat, 'A secret question');
    expect(await promptsSeenDuring(chat, 2000)).toBe(0);
    await chat.evaluate(() => (window as any).__chat.stream('A secret answer.'));
    expect(await promptsSeenDuring(chat, 1000)).toBe(0);
    const whilePaused = await exported();
    expect(whilePaused).toEqual(all);

    // Unpause: the next prompt is asked about and captured again.
    await pause.click();
    await waitUntil(async () => !(await pause.isChecked()), 'the pause switch turns off');
    await exchange(chat, 'One more name, please', 'Kid rejected Bubbles', 'Try *Goldie*.', null);
    const [popupExport, ...others] = startingWith(await exported(), 'Suggest a name for a goldfish');
    expect(others).toHaveLength(0);
    expect(popupExport!.messages.map((m) => m.content)).toEqual([
      'Suggest a name for a goldfish',
      'How about **Bubbles**?',
      'One more name, please',
      'Try *Goldie*.',
    ]);
    expect(thoughtTexts(popupExport!)).toEqual([['My kid won one at the fair'], ['Too common'], ['Kid rejected Bubbles'], []]);

    // A tab that is not a chat.
    const blank = await session.context.newPage();
    await showPopupFor(blank);
    expect(await thisTab.innerText()).toContain('This tab is not a supported chat');
    await blank.close();
    await chat.close();
    await popup.close();
  });

  it('popup "Review your conversations" opens the review page in a new tab', async () => {
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    const [opened] = await Promise.all([
      session.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Review your conversations' }).click(),
    ]);
    await opened.waitForURL(extensionPage('review.html'));
    await opened.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Conversations' }).waitFor();
    expect(opened).not.toBe(popup);
    await opened.close();
    if (!popup.isClosed()) await popup.close();
  });

  it('popup links the privacy policy, which the extension ships in full', async () => {
    const popup = await session.context.newPage();
    await popup.goto(extensionPage('popup.html'));
    const [policy] = await Promise.all([
      session.context.waitForEvent('page'),
      popup.getByRole('link', { name: 'Read the privacy policy' }).click(),
    ]);
    await policy.waitForURL(extensionPage('privacy.html'));
    await policy.getByRole('heading', { name: 'What leaves your browser, and when' }).waitFor();
    await policy.close();
    await popup.close();
  });

  it('"Delete all my data" needs DELETE typed, then leaves nothing to export', async () => {
    const page = await openTitledChat(session, 'To be deleted');
    await exchange(page, 'Delete me later', null, 'Sure.', null);
    await page.close();
    expect((await exported()).length).toBeGreaterThan(0);
    const settings = await session.context.newPage();
    await settings.goto(extensionPage('review.html#settings'));
    const remove = settings.getByRole('button', { name: 'Delete all my data' });
    expect(await remove.isDisabled()).toBe(true);
    await settings.getByLabel('Type DELETE to confirm').fill('DELETE');
    await remove.click();
    await settings.getByText('All your data was deleted from this browser.').waitFor();
    await settings.close();
    expect(await exported()).toEqual([]);
  });
});
