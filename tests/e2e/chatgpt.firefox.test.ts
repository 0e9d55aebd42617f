import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thoughtTraceConversationSchema } from '../../utils/schema';
import { example, renderedMarkdown, thoughtsOf } from './support/data';
import { answerPrompt, exportJsonl, launchFirefox, sendPrompt, type FirefoxSession } from './support/firefox';

let session: FirefoxSession;

beforeAll(async () => {
  session = await launchFirefox();
});

afterAll(async () => {
  await session?.close();
});

describe('ChatGPT in Firefox', () => {
  it('replays a real conversation and exports exactly its messages and thoughts', async () => {
    const recorded = example('user897_task2_conversation1');
    const page = await session.newChatPage();
    await page.goto(`https://chatgpt.com/c/${crypto.randomUUID()}`);
    await page.waitForSelector('#prompt-textarea');
    for (let i = 0; i < recorded.messages.length; i += 2) {
      const prompt = recorded.messages[i]!;
      const reply = recorded.messages[i + 1]!;
      await sendPrompt(page, prompt.content);
      await answerPrompt(page, 'reason', thoughtsOf(prompt)[0]?.content ?? null);
      await page.evaluate((markdown) => (window as any).__chat.stream(markdown), reply.content);
      await answerPrompt(page, 'reaction', thoughtsOf(reply)[0]?.content ?? null);
    }
    await page.close();

    const lines = (await exportJsonl(session)).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const exported = thoughtTraceConversationSchema.parse(JSON.parse(lines[0]!));
    expect(exported.model_provider).toBe('OpenAI');
    expect(exported.messages.map((m) => m.type)).toEqual(recorded.messages.map((m) => m.type));
    exported.messages.forEach((message, i) => {
      const original = recorded.messages[i]!;
      if (message.type === 'user') expect(message.content).toBe(original.content);
      else expect(renderedMarkdown(message.content)).toBe(renderedMarkdown(original.content));
      expect(thoughtsOf(message).map((t) => t.content)).toEqual(thoughtsOf(original).map((t) => t.content));
    });
  });
});
