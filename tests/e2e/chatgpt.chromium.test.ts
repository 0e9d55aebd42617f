import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type ThoughtTraceConversation } from '../../utils/data/records';
import { answerCard, exportJsonl, launchChromium, openCards, sendPrompt, type ChromiumSession } from '../support/chromium';
import { example, renderedMarkdown, thoughtsOf, parseExport } from '../support/data';

const REPLAYED = ['user897_task2_conversation1', 'user528_task2_conversation1', 'user155_task2_conversation1'];

let session: ChromiumSession;

beforeAll(async () => {
  session = await launchChromium();
});

afterAll(async () => {
  await session?.close();
});

/** Replays a recorded conversation turn by turn: prompt, reason, streamed reply, reaction. */
async function replay(page: Page, conversation: ThoughtTraceConversation) {
  const messages = conversation.messages;
  for (let i = 0; i < messages.length; i += 2) {
    const prompt = messages[i]!;
    const reply = messages[i + 1]!;
    await sendPrompt(page, prompt.content);
    await answerCard(page, 'reason', thoughtsOf(prompt)[0]?.content ?? null);
    await page.evaluate((markdown) => (window as any).__chat.stream(markdown), reply.content);
    await answerCard(page, 'reaction', thoughtsOf(reply)[0]?.content ?? null);
  }
}

/** The export holds exactly the replayed messages and thoughts, in order. */
function expectReplayed(exported: ThoughtTraceConversation, recorded: ThoughtTraceConversation) {
  expect(exported.model_provider).toBe('OpenAI');
  expect(exported.model_name).toBe('GPT-5.4');
  expect(exported.id).not.toBe(recorded.id);
  expect(exported.messages.map((m) => m.type)).toEqual(recorded.messages.map((m) => m.type));
  exported.messages.forEach((message, i) => {
    const original = recorded.messages[i]!;
    if (message.type === 'user') expect(message.content).toBe(original.content);
    else expect(renderedMarkdown(message.content)).toBe(renderedMarkdown(original.content));
    expect(thoughtsOf(message).map((t) => [t.content, t.label])).toEqual(
      thoughtsOf(original).slice(0, 1).map((t) => [t.content, '']),
    );
    if (i > 0) expect(message.id).toBeGreaterThan(exported.messages[i - 1]!.id);
  });
}

describe('ChatGPT in Chromium', () => {
  it('replays three real conversations and exports exactly their messages and thoughts', async () => {
    const uuids: string[] = [];
    for (const id of REPLAYED) {
      const uuid = crypto.randomUUID();
      uuids.push(uuid);
      const page = await session.context.newPage();
      await page.goto(`https://chatgpt.com/c/${uuid}`);
      await page.locator('#prompt-textarea').waitFor();
      await replay(page, example(id));
      await page.close();
    }
    const exported = parseExport(await exportJsonl(session));
    expect(exported).toHaveLength(REPLAYED.length);
    REPLAYED.forEach((id, i) => expectReplayed(exported[i]!, example(id)));
  });

  it('keeps a new chat whose URL gains its id after the first reply as one conversation', async () => {
    const before = parseExport(await exportJsonl(session)).length;
    const page = await session.context.newPage();
    await page.goto('https://chatgpt.com/');
    await page.locator('#prompt-textarea').waitFor();
    await sendPrompt(page, 'What is a good name for a cat?');
    await answerCard(page, 'reason', 'I am adopting a kitten.');
    await page.evaluate(() => (window as any).__chat.stream('How about **Miso**?'));
    await answerCard(page, 'reaction', 'Cute name.');
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await sendPrompt(page, 'Another one?');
    await answerCard(page, 'reason', 'I want options.');
    await page.evaluate(() => (window as any).__chat.stream('Try *Tofu*.'));
    await answerCard(page, 'reaction', 'Also good.');
    await page.close();

    const exported = parseExport(await exportJsonl(session));
    expect(exported).toHaveLength(before + 1);
    const chat = exported.find((c) => c.messages[0]?.content === 'What is a good name for a cat?')!;
    expect(chat.messages.map((m) => m.content)).toEqual([
      'What is a good name for a cat?',
      'How about **Miso**?',
      'Another one?',
      'Try *Tofu*.',
    ]);
    expect(chat.messages.flatMap((m) => thoughtsOf(m).map((t) => t.content))).toEqual([
      'I am adopting a kitten.',
      'Cute name.',
      'I want options.',
      'Also good.',
    ]);
  });

  it('records turns already on the page as context, without prompts', async () => {
    const uuid = crypto.randomUUID();
    session.sites.set(`/c/${uuid}`, {
      history: [
        { type: 'user', content: 'An old question' },
        { type: 'assistant', content: 'An old answer with a list:\n\n- one\n- two' },
      ],
      title: 'Old chat',
    });
    const before = parseExport(await exportJsonl(session)).length;
    const page = await session.context.newPage();
    await page.goto(`https://chatgpt.com/c/${uuid}`);
    await page.getByText('An old answer with a list:').waitFor();
    await page.waitForTimeout(1500);
    expect(await openCards(page)).toBe(0);

    await sendPrompt(page, 'A new question');
    await answerCard(page, 'reason', 'Following up.');
    await page.evaluate(() => (window as any).__chat.stream('A new answer.'));
    await answerCard(page, 'reaction', 'Fine.');
    await page.close();

    const exported = parseExport(await exportJsonl(session));
    expect(exported).toHaveLength(before + 1);
    const opened = exported.at(-1)!;
    expect(opened.messages.map((m) => m.content)).toEqual([
      'An old question',
      'An old answer with a list:\n\n- one\n- two',
      'A new question',
      'A new answer.',
    ]);
    expect(opened.messages.map((m) => thoughtsOf(m).map((t) => t.content))).toEqual([[], [], ['Following up.'], ['Fine.']]);
  });
});
