import { afterEach, describe, expect, it, vi } from 'vitest';
import { Capture, type CaptureSink } from '../../utils/capture';
import type { RequestData } from '../../utils/requests';
import type { ThoughtKind } from '../../utils/schema';
import { chatgpt } from '../../utils/sites/chatgpt';
import { loadFakeChatGPT, typeAndSend } from './support/fake-site';

const UUID = '0b6f9a5e-2d7c-4e1a-8f3b-5c6d7e8f9a0b';

/** Records what the capture engine sends to the background and which prompts it opens. */
function fakeSink(options: { paused?: boolean } = {}) {
  const recorded: RequestData<'recordMessage'>[] = [];
  const updates: RequestData<'updateConversation'>[] = [];
  const asked: [number, ThoughtKind][] = [];
  const errors: unknown[] = [];
  const conversationIds = new Map<string, string>();
  const sink: CaptureSink = {
    async recordMessage(data) {
      if (options.paused) return { captured: false, reason: 'paused' };
      recorded.push(data);
      const key = data.conversationId ?? data.siteConversationId ?? `new-${recorded.length}`;
      const conversationId = conversationIds.get(key) ?? data.conversationId ?? `local-${conversationIds.size + 1}`;
      conversationIds.set(key, conversationId);
      return { captured: true, conversationId, messageId: recorded.length };
    },
    async updateConversation(data) {
      updates.push(data);
    },
    askThought: (messageId, kind) => asked.push([messageId, kind]),
    reportError: (error) => errors.push(error),
  };
  return { sink, recorded, updates, asked, errors };
}

let controller: AbortController;
afterEach(() => controller?.abort());

function startCapture(sink: CaptureSink) {
  controller = new AbortController();
  const capture = new Capture(chatgpt, document, sink, controller.signal, { settleMs: 30, checkDelayMs: 5 });
  capture.start();
  return capture;
}

describe('capture engine on ChatGPT', () => {
  it('records a prompt and its finished reply once each, asking for a reason and then a reaction', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { sink, recorded, asked, errors } = fakeSink();
    startCapture(sink);

    typeAndSend('Why is the sky blue?');
    await vi.waitFor(() => expect(asked).toEqual([[1, 'reason']]));
    expect(recorded[0]).toMatchObject({ role: 'user', content: 'Why is the sky blue?', siteConversationId: UUID, site: 'chatgpt' });

    await chat.streamTokens('Rayleigh scattering of *short* wavelengths.', 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toHaveLength(1);

    await chat.finish('Rayleigh scattering of *short* wavelengths.');
    await vi.waitFor(() => expect(asked).toEqual([[1, 'reason'], [2, 'reaction']]));
    expect(recorded[1]).toMatchObject({
      role: 'assistant',
      content: 'Rayleigh scattering of *short* wavelengths.',
      conversationId: 'local-1',
      modelName: 'GPT-5.4',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('never treats history hydrating after load as new turns', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, {
      hydrateDelayMs: 40,
      history: [
        { type: 'user', content: 'Old question' },
        { type: 'assistant', content: 'Old answer' },
      ],
    });
    const { sink, recorded, asked } = fakeSink();
    startCapture(sink);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(document.body.textContent).toContain('Old answer');
    expect(recorded).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('links a new chat to the id the site assigns after the first reply', async () => {
    const chat = await loadFakeChatGPT('https://chatgpt.com/');
    const { sink, recorded, updates } = fakeSink();
    const capture = startCapture(sink);
    typeAndSend('Name a cat');
    capture.onNavigate(new URL(location.href));
    await vi.waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({ conversationId: null, siteConversationId: null });
    await chat.stream('Miso');
    await vi.waitFor(() => expect(recorded).toHaveLength(2));
    await vi.waitFor(() => expect(location.pathname).toMatch(/^\/c\/[0-9a-f-]{36}$/));
    capture.onNavigate(new URL(location.href));
    const siteId = location.pathname.slice(3);
    await vi.waitFor(() => expect(updates).toEqual([expect.objectContaining({ conversationId: 'local-1', siteConversationId: siteId })]));
    expect(recorded[1]).toMatchObject({ conversationId: 'local-1' });
  });

  it('starts over when the participant switches to another conversation', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { sink, recorded } = fakeSink();
    const capture = startCapture(sink);
    typeAndSend('First');
    await vi.waitFor(() => expect(recorded).toHaveLength(1));
    const other = crypto.randomUUID();
    history.pushState({}, '', `/c/${other}`);
    capture.onNavigate(new URL(location.href));
    // The abandoned reply of the old conversation is not recorded under the new one.
    await chat.stream('Late reply');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toHaveLength(1);
    typeAndSend('Second');
    await vi.waitFor(() => expect(recorded).toHaveLength(2));
    expect(recorded[1]).toMatchObject({ content: 'Second', siteConversationId: other, conversationId: null });
  });

  it('captures nothing in a temporary chat', async () => {
    const chat = await loadFakeChatGPT('https://chatgpt.com/?temporary-chat=true');
    const { sink, recorded, asked } = fakeSink();
    const capture = startCapture(sink);
    expect(capture.pageKind).toBe('private');
    typeAndSend('Secret');
    await chat.stream('Reply');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('asks nothing while capture is paused', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const { sink, asked } = fakeSink({ paused: true });
    startCapture(sink);
    typeAndSend('Hello');
    await chat.stream('Hi');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked).toEqual([]);
  });
});
