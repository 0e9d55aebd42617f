import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import { answerCard, exportJsonl, findDialog, findCard, launchChromium, openChat as openChatIn, openCards, sendPrompt, stream, type ChromiumSession } from '../support/chromium';
import { thoughtsOf, parseExport } from '../support/data';
import { SITE_PAGES } from '../support/sites';

// The thought prompt as participants use it: categories, asking less, the keyboard, the optional
// profile and task questions, and how it looks on each site.

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await session?.close();
});

const exported = async (): Promise<ThoughtTraceConversation[]> =>
  parseExport(await exportJsonl(session));
const byFirstPrompt = async (text: string) => (await exported()).find((c) => c.messages[0]?.content === text)!;

const openChat = (site: Site = 'chatgpt', url?: string) => openChatIn(session, site, url);

async function openReview(hash = '') {
  const review = await session.context.newPage();
  await review.goto(`chrome-extension://${session.extensionId}/review.html${hash}`);
  return review;
}

describe('the thought prompt', () => {
  it('offers optional categories; the chosen ones are exported', async () => {
    const page = await openChat();
    await sendPrompt(page, 'Chips: plan my week');
    let frame = await findCard(page, 'reason');
    await frame.getByRole('button', { name: 'Task Motivation & Goal' }).click();
    await frame.getByRole('textbox').fill('I want a plan.');
    await frame.getByRole('textbox').press('Control+Enter');
    await stream(page, 'Monday: rest.');
    frame = await findCard(page, 'reaction');
    await expect.poll(() => frame.getByRole('group', { name: 'Category (optional)' }).getByRole('button').count()).toBe(5);
    await frame.getByRole('button', { name: 'Explicit Affirmation' }).click();
    await frame.getByRole('textbox').fill('Perfect.');
    await frame.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => openCards(page)).toBe(0);
    await page.close();
    const chat = await byFirstPrompt('Chips: plan my week');
    expect(chat.messages.map((m) => thoughtsOf(m).map((t) => [t.content, t.label]))).toEqual([
      [['I want a plan.', 'task_motivation']],
      [['Perfect.', 'explicit_affirmation']],
    ]);
  });

  it('snoozes from the prompt in one click, keeps capturing, and asks again after the snooze ends', async () => {
    const page = await openChat();
    await sendPrompt(page, 'Snooze: first');
    const frame = await findCard(page, 'reason');
    await frame.getByRole('button', { name: 'Ask less…' }).click();
    await frame.getByRole('button', { name: 'Snooze for an hour' }).click();
    await expect.poll(() => openCards(page)).toBe(0);
    await stream(page, 'One.');
    await sendPrompt(page, 'Snooze: second');
    await stream(page, 'Two.');
    await page.waitForTimeout(1000);
    expect(await openCards(page)).toBe(0);

    const review = await openReview('#settings');
    await review.getByRole('button', { name: 'End snooze' }).click();
    await review.getByRole('button', { name: 'Snooze for an hour' }).waitFor();
    await review.close();
    await sendPrompt(page, 'Snooze: third');
    await answerCard(page, 'reason', 'Back again.');
    await page.close();
    const chat = await byFirstPrompt('Snooze: first');
    expect(chat.messages.map((m) => m.content)).toEqual(['Snooze: first', 'One.', 'Snooze: second', 'Two.', 'Snooze: third']);
  });

  it('"Not in this conversation" silences only that conversation, and the review page undoes it', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { title: 'Quiet chat' });
    const page = await openChat('chatgpt', url);
    await page.waitForFunction(() => document.title === 'Quiet chat');
    await sendPrompt(page, 'Quiet: here');
    const frame = await findCard(page, 'reason');
    await frame.getByRole('button', { name: 'Ask less…' }).click();
    await frame.getByRole('button', { name: 'Not in this conversation' }).click();
    await stream(page, 'Ok.');
    await sendPrompt(page, 'Quiet: again');
    await stream(page, 'Still ok.');
    await page.waitForTimeout(1000);
    expect(await openCards(page)).toBe(0);

    const elsewhere = await openChat();
    await sendPrompt(elsewhere, 'Quiet: elsewhere');
    await answerCard(elsewhere, 'reason', 'Asked here.');
    await elsewhere.close();

    const review = await openReview();
    await review.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /Quiet chat/ }).click();
    await review.getByRole('heading', { name: 'Quiet chat', level: 2 }).waitFor();
    await review.getByRole('button', { name: 'Ask again in this conversation' }).click();
    await review.getByRole('button', { name: 'Stop asking in this conversation' }).waitFor();
    await review.close();
    await sendPrompt(page, 'Quiet: asked again');
    await answerCard(page, 'reason', 'Prompts are back.');
    await page.close();
  });

  it('works from the keyboard alone: the prompt never takes focus, the shortcut does, and focus comes back', async () => {
    const page = await openChat();
    await page.locator('#prompt-textarea').focus();
    await page.keyboard.type('Keyboard: hello');
    await page.keyboard.press('Enter');
    await findCard(page, 'reason');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-textarea');
    expect(await page.getByRole('status').innerText()).toMatch(/asks for your reason/);

    const started = Date.now();
    await page.keyboard.press('Alt+Shift+T');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => openCards(page)).toBe(0);
    const seconds = (Date.now() - started) / 1000;
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-textarea');
    console.log(`keyboard reason: ${'Typed without a mouse.'.length + 2} keystrokes (shortcut, text, Ctrl+Enter), ${seconds.toFixed(1)} s at test speed`);

    await stream(page, 'Hi.');
    await findCard(page, 'reaction');
    await page.keyboard.press('Alt+Shift+T');
    await page.keyboard.press('Escape');
    await expect.poll(() => openCards(page)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-textarea');
    await page.close();
    const chat = await byFirstPrompt('Keyboard: hello');
    expect(chat.messages.map((m) => thoughtsOf(m).map((t) => t.content))).toEqual([['Typed without a mouse.'], []]);
  });

  it('puts the optional profile and task answers into the export', async () => {
    const url = SITE_PAGES.chatgpt.conversationUrl();
    session.sites.set(new URL(url).pathname, { title: 'Profile chat' });
    const page = await openChat('chatgpt', url);
    await page.waitForFunction(() => document.title === 'Profile chat');
    await sendPrompt(page, 'Profile: question');
    await answerCard(page, 'reason', 'Curious.');
    await page.close();

    const review = await openReview('#settings');
    await review.getByLabel('Age', { exact: true }).selectOption('25-34');
    await review.getByLabel('Gender', { exact: true }).fill('Woman');
    await review.getByLabel('Education', { exact: true }).selectOption('Graduate');
    await review.getByLabel('Occupation', { exact: true }).fill('Nurse');
    await review.getByLabel('How often do you use AI assistants?').selectOption('5');
    await review.getByLabel('What do you mostly use them for?').fill('Work and study');
    // Saved as typed: no button to press. Changing a setting meanwhile keeps what was typed.
    const askTask = review.getByRole('checkbox', { name: /leave a conversation I chatted in/ });
    // The box shows the stored setting, so it changes once the setting is saved.
    const asked = await askTask.isChecked();
    await askTask.click();
    await expect.poll(() => askTask.isChecked()).toBe(!asked);
    await askTask.click();
    await expect.poll(() => askTask.isChecked()).toBe(asked);
    await review.getByRole('region', { name: 'About you (optional)' }).getByText('Saved.', { exact: true }).waitFor();
    expect(await review.getByLabel('What do you mostly use them for?').inputValue()).toBe('Work and study');
    await review.getByRole('link', { name: 'Conversations' }).click();
    await review.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /Profile chat/ }).click();
    await review.getByRole('heading', { name: 'Profile chat', level: 2 }).waitFor();
    await review.getByText('About this conversation (optional)').click();
    await review.getByLabel('What were you trying to do?').fill('Learn something.');
    await review.getByLabel('What did you expect from the AI?').fill('A clear answer.');
    // Saved as typed: no button to press.
    await review.getByRole('group').getByText('Saved.', { exact: true }).waitFor();
    await review.close();

    const chat = await byFirstPrompt('Profile: question');
    expect(chat.task_summary).toBe('Learn something.');
    expect(chat.task_expectation).toBe('A clear answer.');
    expect(chat.survey_answers).toEqual([
      { age: '25-34', gender: 'Woman', education: 'Graduate', occupation: 'Nurse', frequency: '5', purposes: 'Work and study' },
    ]);
  });

  it('interrupts once per turn: the reason\'s card waits as a strip and becomes the reaction', async () => {
    const page = await openChat();
    await sendPrompt(page, 'Turn: one card');
    const frame = await findCard(page, 'reason');
    await frame.getByRole('textbox').fill('Seeing the card stay.');
    await frame.getByRole('textbox').press('Control+Enter');
    const strip = frame.getByRole('region', { name: 'ThoughtTrace: waiting for the reply' });
    await strip.waitFor();
    await expect.poll(() => strip.innerText()).toMatch(/^ThoughtTrace will ask what you think of the reply/);
    expect(await openCards(page)).toBe(0);
    await stream(page, 'Here you are.');
    // The same card, now asking about the reply.
    expect(await findCard(page, 'reaction')).toBe(frame);
    await answerCard(page, 'reaction', 'Same card, second question.');
    await expect.poll(() => page.locator('iframe').count()).toBe(0);

    // Closing the strip declines this reply's question; the next turn asks again.
    await sendPrompt(page, 'Turn: not this reply');
    await answerCard(page, 'reason', null);
    await page.frameLocator('iframe').getByRole('button', { name: "Don't ask about this reply" }).click();
    await expect.poll(() => page.locator('iframe').count()).toBe(0);
    await stream(page, 'Not asked about.');
    await page.waitForTimeout(1000);
    expect(await page.locator('iframe').count()).toBe(0);
    await sendPrompt(page, 'Turn: asked again');
    await answerCard(page, 'reason', 'Back to normal.');
    await page.close();

    const chat = await byFirstPrompt('Turn: one card');
    expect(chat.messages.map((m) => thoughtsOf(m).map((t) => t.content))).toEqual([
      ['Seeing the card stay.'],
      ['Same card, second question.'],
      [],
      [],
      ['Back to normal.'],
    ]);
  });

  it.each(['chatgpt', 'claude', 'gemini'] as const)('looks native on %s in light and dark (screenshots)', async (site) => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await session.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(SITE_PAGES[site].conversationUrl());
      await page.locator(SITE_PAGES[site].composer).waitFor();
      await sendPrompt(page, `How do I keep basil alive on a windowsill? (${scheme})`, site);
      const frame = await findCard(page, 'reason');
      await frame.getByRole('button', { name: 'Task Motivation & Goal' }).hover();
      expect(await frame.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(scheme === 'dark');
      await page.screenshot({ path: `${SCREENSHOTS}${site}-${scheme}.png` });
      await answerCard(page, 'reason', null);
      // The turn's card, waiting for the reply.
      await page.frameLocator('iframe').getByRole('region', { name: 'ThoughtTrace: waiting for the reply' }).waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SCREENSHOTS}${site}-${scheme}-waiting.png` });
      await page.close();
    }
  });
});
