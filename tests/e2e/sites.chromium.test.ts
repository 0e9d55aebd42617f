import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import { answerCard, exportJsonl, launchChromium, openCards, sendPrompt, stream, type ChromiumSession } from '../support/chromium';
import { example, renderedMarkdown, thoughtsOf, parseExport } from '../support/data';
import { SITE_PAGES } from '../support/sites';

// Claude and Gemini go through the same flow as ChatGPT (tests/e2e/chatgpt.chromium.test.ts).

const CASES: { site: Site; replay: string; model: string }[] = [
  { site: 'claude', replay: 'user897_task1_conversation1', model: 'Claude Opus 4.8' },
  { site: 'gemini', replay: 'user804_task2_conversation1', model: 'Gemini 3.1 Pro' },
];

let session: ChromiumSession;
beforeAll(async () => {
  session = await launchChromium();
});
afterAll(async () => {
  await session?.close();
});


async function exchange(page: Page, site: Site, prompt: string, reason: string | null, reply: string, reaction: string | null) {
  await sendPrompt(page, prompt, site);
  await answerCard(page, 'reason', reason);
  await stream(page, reply);
  await answerCard(page, 'reaction', reaction);
}

describe.each(CASES)('$site in Chromium', ({ site, replay, model }) => {
  const pages = SITE_PAGES[site];

  it('replays a real conversation and exports exactly its messages and thoughts', async () => {
    const recorded = example(replay);
    const page = await session.context.newPage();
    await page.goto(pages.conversationUrl());
    await page.locator(pages.composer).waitFor();
    for (let i = 0; i < recorded.messages.length; i += 2) {
      const [prompt, reply] = [recorded.messages[i]!, recorded.messages[i + 1]!];
      await exchange(page, site, prompt.content, thoughtsOf(prompt)[0]?.content ?? null, reply.content, thoughtsOf(reply)[0]?.content ?? null);
    }
    await page.close();

    const exported = parseExport(await exportJsonl(session)).find((c) => c.messages[0]?.content === recorded.messages[0]!.content)!;
    expect(exported.model_provider).toBe(pages.provider);
    expect(exported.model_name).toBe(model);
    expect(exported.messages.map((m) => m.type)).toEqual(recorded.messages.map((m) => m.type));
    exported.messages.forEach((message, i) => {
      const original = recorded.messages[i]!;
      if (message.type === 'user') expect(message.content).toBe(original.content);
      else expect(renderedMarkdown(message.content)).toBe(renderedMarkdown(original.content));
      expect(thoughtsOf(message).map((t) => t.content)).toEqual(thoughtsOf(original).map((t) => t.content));
    });
  });

  it('keeps edits and regenerations as versions; the export follows where the participant ended', async () => {
    const page = await session.context.newPage();
    await page.goto(pages.conversationUrl());
    await page.locator(pages.composer).waitFor();
    await exchange(page, site, `${site}: plan a picnic`, 'I want ideas.', 'Bring **sandwiches**.', 'Too short.');
    // Regenerate the reply: only a reaction is asked.
    await page.evaluate(() => (window as any).__chat.regenerate());
    await stream(page, 'Bring sandwiches, fruit and a blanket.');
    await answerCard(page, 'reaction', 'Better.');
    // Edit the prompt: a reason for the new version, then its reply.
    await page.evaluate((text) => (window as any).__chat.openEdit(0, text), `${site}: plan a picnic for ten`);
    await page.locator('[data-fake-edit-input]').press('Enter');
    await answerCard(page, 'reason', 'It is a bigger group.');
    await stream(page, 'For ten people, bring *two* baskets.');
    await answerCard(page, 'reaction', 'Right size.');
    expect(await openCards(page)).toBe(0);
    await page.close();

    const exported = parseExport(await exportJsonl(session)).find((c) => c.messages[0]?.content.startsWith(`${site}: plan a picnic`))!;
    expect(exported.messages.map((m) => [m.content, thoughtsOf(m).map((t) => t.content)])).toEqual([
      [`${site}: plan a picnic for ten`, ['It is a bigger group.']],
      ['For ten people, bring *two* baskets.', ['Right size.']],
    ]);
  });

  it('keeps a new chat that gets its id from the site as one conversation', async () => {
    const before = parseExport(await exportJsonl(session)).length;
    const page = await session.context.newPage();
    await page.goto(pages.newChatUrl);
    await page.locator(pages.composer).waitFor();
    await exchange(page, site, `${site}: name a cat`, 'Adopting.', 'How about **Miso**?', 'Cute.');
    await page.waitForURL(pages.conversationPath);
    await exchange(page, site, `${site}: another one?`, 'Options.', 'Try *Tofu*.', 'Also good.');
    await page.close();
    const exported = parseExport(await exportJsonl(session));
    expect(exported).toHaveLength(before + 1);
    const chat = exported.find((c) => c.messages[0]?.content === `${site}: name a cat`)!;
    expect(chat.messages.map((m) => m.content)).toEqual([`${site}: name a cat`, 'How about **Miso**?', `${site}: another one?`, 'Try *Tofu*.']);
  });

  it('records the conversation already on the page as context, without prompts, once', async () => {
    const url = pages.conversationUrl();
    session.sites.set(new URL(url).pathname, {
      history: [
        { type: 'user', content: `${site}: an old question` },
        { type: 'assistant', content: 'An old answer:\n\n1. first\n2. second' },
      ],
    });
    for (let visit = 0; visit < 2; visit++) {
      const page = await session.context.newPage();
      await page.goto(url);
      await page.getByText('An old answer:').waitFor();
      await page.waitForTimeout(1500);
      expect(await openCards(page)).toBe(0);
      await page.close();
    }
    const exported = parseExport(await exportJsonl(session)).filter((c) => c.messages[0]?.content === `${site}: an old question`);
    expect(exported).toHaveLength(1);
    expect(exported[0]!.messages.map((m) => [m.content, thoughtsOf(m).length])).toEqual([
      [`${site}: an old question`, 0],
      ['An old answer:\n\n1. first\n2. second', 0],
    ]);
  });
});
