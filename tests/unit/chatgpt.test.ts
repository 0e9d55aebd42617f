import { describe, expect, it } from 'vitest';
import { createChatgptAdapter, modelNameFromSlug } from '../../utils/sites/chatgpt';
import { loadFakeChatGPT, RICH_REPLY, typeAndSend } from '../support/unit/fake-site';

const chatgpt = createChatgptAdapter();

const UUID = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';
const reply = RICH_REPLY;

const newestAssistant = () => chatgpt.turns(document).filter((t) => t.role === 'assistant').at(-1)!;

describe('ChatGPT adapter: URLs', () => {
  it.each([
    [`https://chatgpt.com/c/${UUID}`, { kind: 'conversation', conversationId: UUID }],
    [`https://chatgpt.com/g/g-p-123abc-recipes/c/${UUID}`, { kind: 'conversation', conversationId: UUID }],
    ['https://chatgpt.com/', { kind: 'conversation', conversationId: null }],
    ['https://chatgpt.com/?model=gpt-5-4', { kind: 'conversation', conversationId: null }],
    ['https://chatgpt.com/c/WEB:1234-abcd', { kind: 'conversation', conversationId: null }],
    ['https://chatgpt.com/?temporary-chat=true', { kind: 'private' }],
    [`https://chatgpt.com/c/${UUID}?temporary-chat=true`, { kind: 'private' }],
    [`https://chatgpt.com/share/${UUID}`, { kind: 'other' }],
    ['https://chatgpt.com/gpts', { kind: 'other' }],
  ])('%s', (url, expected) => {
    expect(chatgpt.classify(new URL(url), document)).toEqual(expected);
  });

  it('names models the way the site does', () => {
    expect(modelNameFromSlug('gpt-5-4')).toBe('GPT-5.4');
    expect(modelNameFromSlug('gpt-5-6-thinking')).toBe('GPT-5.6 Thinking');
    expect(modelNameFromSlug('gpt-5')).toBe('GPT-5');
    expect(modelNameFromSlug('gpt-4o')).toBe('GPT-4o');
    expect(modelNameFromSlug('gpt-4-1-mini')).toBe('GPT-4.1 Mini');
    expect(modelNameFromSlug('o3')).toBe('o3');
  });
});

describe('ChatGPT adapter: page states', () => {
  it('reads hydrated history, skipping the hidden composer decoy', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, {
      history: [
        { type: 'user', content: 'First line\nsecond line' },
        { type: 'assistant', content: 'An **answer**.' },
      ],
    });
    const turns = chatgpt.turns(document);
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(new Set(turns.map((t) => t.id)).size).toBe(2);
    expect(chatgpt.userText(turns[0]!)).toBe('First line\nsecond line');
    expect(chatgpt.replyMarkdown(turns[1]!)).toBe('An **answer**.');
    expect(chatgpt.replyState(turns[1]!, document)).toBe('finished');
    const composer = chatgpt.composer(document)!;
    expect(composer.id).toBe('prompt-textarea');
    expect(composer.tagName).toBe('DIV');
  });

  it('is not finished while thinking or streaming, and is once the site finishes', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    typeAndSend('How do I strain soy milk?');
    expect(chatgpt.turns(document).map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(document.querySelector('[data-testid="stop-button"]')).not.toBeNull();
    expect(chatgpt.replyState(newestAssistant(), document)).toBe('generating');

    await chat.streamTokens(reply, 12);
    expect(chatgpt.replyState(newestAssistant(), document)).toBe('generating');
    expect(chatgpt.replyMarkdown(newestAssistant())).toContain('Soak the beans');
    expect(chatgpt.replyMarkdown(newestAssistant())).not.toContain('Minutes');

    await chat.finish(reply);
    const turn = newestAssistant();
    expect(chatgpt.replyState(turn, document)).toBe('finished');
    const markdown = chatgpt.replyMarkdown(turn);
    expect(markdown).toContain('## Plan');
    expect(markdown).toMatch(/1\.\s+Soak the beans\n\s+- overnight/);
    expect(markdown).toContain('| Soak | 480 |');
    expect(markdown).toContain('```python\ndef strain(batch):\n\n    return batch * 0.8\n```');
    expect(markdown).not.toContain('Copy code');
    expect(markdown).not.toContain('ChatGPT said');
    expect(chatgpt.modelName(turn, document)).toBe('GPT-5.4');
  });

  it('does not trust an action row while the streaming marker is still there', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    typeAndSend('Hello');
    await chat.streamTokens('Partial reply here', 2);
    const turn = newestAssistant();
    const early = document.createElement('button');
    early.setAttribute('data-testid', 'copy-turn-action-button');
    turn.element.append(early);
    expect(chatgpt.replyState(turn, document)).toBe('generating');
  });

  it('treats a click on the send button as a send control, and the stop button not', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`);
    const composer = chatgpt.composer(document)!;
    composer.textContent = 'Draft';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    const send = document.querySelector('[data-testid="send-button"]')!;
    expect(chatgpt.isSendControl(send)).toBe(true);
    expect(chatgpt.composerText(composer)).toBe('Draft');
    send.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(chatgpt.isSendControl(document.querySelector('[data-testid="stop-button"]')!)).toBe(false);
  });
});

describe('ChatGPT adapter: versions and the hot path', () => {
  const history = [
    { type: 'user' as const, content: 'q1' },
    { type: 'assistant' as const, content: 'a1' },
    { type: 'user' as const, content: 'q2' },
    { type: 'assistant' as const, content: 'a2' },
  ];

  it('reads the newest turns without the rest of the transcript', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, { history });
    const all = chatgpt.turns(document);
    for (const n of [1, 2, 3, 4, 6]) expect(chatgpt.tail(document, n)).toEqual(all.slice(-n));
  });

  it('gives an edited prompt and a regenerated reply ids of their own', async () => {
    const chat = await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, { history });
    const before = chatgpt.turns(document).map((t) => t.id);
    chat.openEdit(1, 'q2, reworded');
    const input = document.querySelector<HTMLTextAreaElement>('[data-fake-edit-input]')!;
    expect(chatgpt.isComposerInput(input)).toBe(true);
    expect(chatgpt.isSendControl(document.querySelector('.btn-primary')!)).toBe(true);
    expect(chatgpt.isSendControl(document.querySelector('.btn-secondary')!)).toBe(false);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const edited = chatgpt.turns(document);
    expect(edited.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(edited[2]!.id).not.toBe(before[2]);
    expect(chatgpt.userText(edited[2]!)).toBe('q2, reworded');
    await chat.stream('a2, again');
    const answered = chatgpt.turns(document).at(-1)!;
    chat.regenerate();
    const regenerated = chatgpt.turns(document).at(-1)!;
    expect(regenerated.id).not.toBe(answered.id);
    expect(chatgpt.replyState(regenerated, document)).toBe('generating');
    expect(chatgpt.messageKey(regenerated, 'x')).toBe(regenerated.id);
  });

  it('finds nothing on a redesigned page rather than something wrong', async () => {
    await loadFakeChatGPT(`https://chatgpt.com/c/${UUID}`, { history });
    for (const el of document.querySelectorAll('[data-turn], [data-message-author-role], [data-turn-id-container]')) {
      el.removeAttribute('data-turn');
      el.removeAttribute('data-message-author-role');
      el.removeAttribute('data-turn-id-container');
    }
    document.getElementById('prompt-textarea')!.removeAttribute('id');
    expect(chatgpt.turns(document)).toEqual([]);
    expect(chatgpt.tail(document, 3)).toEqual([]);
    expect(chatgpt.composer(document)).toBeNull();
  });
});
