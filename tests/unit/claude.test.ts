import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeAdapter } from '../../utils/sites/claude';
import type { Turn } from '../../utils/sites/types';
import type { SiteConfig } from '../support/site';
import { loadFakeSite, RICH_REPLY, submitEdit, typeAndSend } from '../support/unit/fake-site';

const claude = createClaudeAdapter();

const UUID = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';
const OTHER = '0b7e3c1d-2a4f-4e6a-8c9d-112233445566';
const reply = RICH_REPLY;

const history: SiteConfig['history'] = [
  { type: 'user', content: 'First line\nsecond line' },
  { type: 'assistant', content: reply },
  { type: 'user', content: 'Thanks, and the okara?' },
  { type: 'assistant', content: 'Bake it into **crackers**.' },
];

const load = (url: string, config: SiteConfig & { thinking?: boolean } = {}) => loadFakeSite('claude', url, config);
const until = async (check: () => boolean, ms = 1000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const newest = (): Turn => claude.turns(document).at(-1)!;
const roles = () => claude.turns(document).map((t) => t.role);
const setsize = () => document.querySelector('[role="article"]')?.getAttribute('aria-setsize');
const submitButton = () => document.querySelector<HTMLButtonElement>('#submit-slot button')!;

afterEach(() => sessionStorage.clear());

describe('Claude adapter: URLs', () => {
  it.each([
    [`https://claude.ai/chat/${UUID}`, { kind: 'conversation', conversationId: UUID }],
    [`https://claude.ai/chat/${UUID.toUpperCase()}`, { kind: 'conversation', conversationId: UUID }],
    ['https://claude.ai/new', { kind: 'conversation', conversationId: null }],
    ['https://claude.ai/', { kind: 'conversation', conversationId: null }],
    ['https://claude.ai/new?incognito', { kind: 'private' }],
    ['https://claude.ai/new?incognito=true', { kind: 'private' }],
    [`https://claude.ai/chat/${UUID}?incognito`, { kind: 'private' }],
    [`https://claude.ai/project/${UUID}`, { kind: 'other' }],
    [`https://claude.ai/cowork/project/${UUID}`, { kind: 'other' }],
    ['https://claude.ai/recents', { kind: 'other' }],
    ['https://claude.ai/chats', { kind: 'other' }],
    [`https://claude.ai/share/${UUID}`, { kind: 'other' }],
    ['https://claude.ai/code', { kind: 'other' }],
    ['https://claude.ai/code/session_01abc', { kind: 'other' }],
    ['https://claude.ai/claude-code-desktop/x', { kind: 'other' }],
    ['https://claude.ai/settings/profile', { kind: 'other' }],
    ['https://claude.ai/chat/not-a-uuid', { kind: 'other' }],
  ])('%s', (url, expected) => {
    expect(claude.classify(new URL(url), document)).toEqual(expected);
  });

  it("is private while sessionStorage holds the incognito chat's uuid, on a new chat or that chat", () => {
    sessionStorage.setItem('incognito_temporary_conversation_uuid', JSON.stringify({ uuid: OTHER }));
    expect(claude.classify(new URL('https://claude.ai/new'), document)).toEqual({ kind: 'private' });
    expect(claude.classify(new URL(`https://claude.ai/chat/${OTHER}`), document)).toEqual({ kind: 'private' });
    // A saved chat has its own /chat/ URL; a leftover incognito uuid does not hide it.
    expect(claude.classify(new URL(`https://claude.ai/chat/${UUID}`), document)).toEqual({ kind: 'conversation', conversationId: UUID });
    sessionStorage.clear();
    expect(claude.classify(new URL('https://claude.ai/new'), document)).toEqual({ kind: 'conversation', conversationId: null });
  });

  it('an incognito send keeps the URL and stores the temporary uuid', async () => {
    const chat = await load('https://claude.ai/new?incognito');
    typeAndSend('Off the record', 'claude');
    expect(location.pathname).toBe('/new');
    expect(JSON.parse(sessionStorage.getItem('incognito_temporary_conversation_uuid')!).uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claude.classify(new URL(location.href), document)).toEqual({ kind: 'private' });
    await chat.stream('Sure.');
  });
});

describe('Claude adapter: reading a conversation', () => {
  it('names the model as the dataset does', async () => {
    await load(`https://claude.ai/chat/${UUID}`);
    expect(claude.modelName(null, document)).toBe('Claude Opus 4.8');
    await load(`https://claude.ai/chat/${UUID}`, { modelName: 'Sonnet 4.6' });
    expect(claude.modelName(null, document)).toBe('Claude Sonnet 4.6');
    document.querySelector('[data-testid="model-selector-dropdown"]')!.remove();
    expect(claude.modelName(null, document)).toBe('');
  });

  it('reads hydrated history: roles, exact user text, the answer without thinking or page chrome', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history, title: 'Soy milk at home', thinking: true });
    const turns = claude.turns(document);
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns.map((t) => t.id)).toEqual([
      expect.stringMatching(/^row:0:\w+$/),
      'row:1',
      expect.stringMatching(/^row:2:\w+$/),
      'row:3',
    ]);
    expect(claude.userText(turns[0]!)).toBe('First line\nsecond line');
    expect(claude.userText(turns[2]!)).toBe('Thanks, and the okara?');

    // The thinking block is really there, with its own .standard-markdown inside the response.
    expect(turns[1]!.element.querySelector('.font-claude-response [data-timeline-text] .standard-markdown')).not.toBeNull();
    const markdown = claude.replyMarkdown(turns[1]!);
    expect(markdown).not.toContain('Let me think');
    expect(markdown).not.toContain('Thought process');
    expect(markdown).not.toContain('Claude responded');
    expect(markdown).not.toContain('Copy');
    expect(markdown.startsWith('## Plan')).toBe(true);
    expect(markdown).toMatch(/1\.\s+Soak the beans\n\s+- overnight/);
    expect(markdown).toContain('| Soak | 480 |');
    expect(markdown).toContain('```python\ndef strain(batch):\n\n    return batch * 0.8\n```');
    expect(claude.replyMarkdown(turns[3]!)).toBe('Bake it into **crackers**.');

    expect(turns.filter((t) => t.role === 'assistant').map((t) => claude.replyState(t, document))).toEqual(['finished', 'finished']);
    expect(claude.title(document)).toBe('Soy milk at home');
    expect(document.title).toBe('Soy milk at home - Claude');
    expect(claude.composer(document)?.getAttribute('data-testid')).toBe('chat-input');
    expect(claude.transcriptRoot(document).hasAttribute('data-autoscroll-container')).toBe(true);
  });

  it('joins several answer blocks in one row, leaving out sr-only text and Deep Research artifacts', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history: history.slice(0, 2) });
    const turn = newest();
    const response = turn.element.querySelector('.font-claude-response')!;
    response.insertAdjacentHTML('beforeend', '<div class="standard-markdown"><p>A second block.<span class="sr-only">Hidden label</span></p></div>');
    turn.element.querySelector('[data-test-render-count]')!.insertAdjacentHTML(
      'beforeend',
      '<div class="font-claude-response" id="markdown-artifact"><div class="standard-markdown"><p>Report body</p></div></div>',
    );
    const markdown = claude.replyMarkdown(turn);
    expect(markdown.endsWith('```\n\nA second block.')).toBe(true);
    expect(markdown).not.toContain('Hidden label');
    expect(markdown).not.toContain('Report body');
  });

  it('falls back to document.title without " - Claude" when the title menu is missing', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history, title: 'Tofu' });
    document.querySelector('[data-testid="chat-title-split"]')!.remove();
    expect(claude.title(document)).toBe('Tofu');
    document.title = 'Claude';
    expect(claude.title(document)).toBe('');
  });
});

describe('Claude adapter: a live exchange', () => {
  it('goes pending → generating → finished, with the reply row there before its stream node', async () => {
    const chat = await load('https://claude.ai/new');
    expect(claude.classify(new URL(location.href), document)).toEqual({ kind: 'conversation', conversationId: null });
    typeAndSend('How do I strain soy milk?', 'claude');
    // The first send moves the new chat to its /chat/<uuid> URL right after the user row.
    const page = claude.classify(new URL(location.href), document);
    expect(page).toEqual({ kind: 'conversation', conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(roles()).toEqual(['user']);
    expect(claude.userText(newest())).toBe('How do I strain soy milk?');
    expect(submitButton().getAttribute('aria-label')).toBe('Stop response');

    await until(() => roles().length === 2);
    const pending = newest();
    expect(pending.role).toBe('assistant');
    expect(pending.element.querySelector('[data-is-streaming]')).toBeNull();
    expect(claude.replyState(pending, document)).toBe('pending');
    expect(setsize()).toBe('2');

    await chat.streamTokens(reply, 6);
    const streaming = newest();
    expect(streaming.id).toBe(pending.id);
    expect(claude.replyState(streaming, document)).toBe('generating');
    expect(claude.replyMarkdown(streaming)).toContain('Soak the beans');
    expect(claude.replyMarkdown(streaming)).not.toContain('Minutes');
    expect(streaming.element.querySelector('[data-testid="action-bar-retry"]')).toBeNull();

    await chat.finish(reply);
    const done = newest();
    expect(done.id).toBe(pending.id);
    expect(claude.replyState(done, document)).toBe('finished');
    expect(claude.replyMarkdown(done)).toContain('| Soak | 480 |');
    expect(submitButton().getAttribute('aria-label')).toBe('Send message');
    expect(claude.title(document)).not.toBe('');

    typeAndSend('And the okara?', 'claude');
    await until(() => roles().length === 4);
    expect(setsize()).toBe('4');
    await chat.stream('Bake it.');
    expect(claude.replyState(newest(), document)).toBe('finished');
  });

  it('needs both the "false" flag and the retry action before calling a reply finished', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history });
    const turns = claude.turns(document);
    const last = turns[3]!;
    last.element.querySelector('[aria-label="Message actions"]')!.remove();
    expect(claude.replyState(last, document)).toBe('pending');
    // A build that keeps the stream node on the last reply only: an older reply with its action
    // bar and later rows is done, the newest one without its node is not.
    const older = turns[1]!;
    const node = older.element.querySelector('[data-is-streaming]')!;
    node.removeAttribute('data-is-streaming');
    expect(claude.replyState(older, document)).toBe('finished');
    last.element.remove();
    turns[2]!.element.remove();
    expect(claude.replyState(older, document)).toBe('pending');
  });

  it('tail(n) is turns().slice(-n), also with a pending reply and a row in inline edit', async () => {
    const chat = await load(`https://claude.ai/chat/${UUID}`, { history });
    const check = () => {
      const all = claude.turns(document);
      for (let n = 1; n <= all.length + 2; n++) {
        expect(claude.tail(document, n).map((t) => [t.id, t.role, t.element])).toEqual(all.slice(-n).map((t) => [t.id, t.role, t.element]));
      }
      expect(claude.tail(document, 0)).toEqual([]);
    };
    check();
    typeAndSend('One more', 'claude');
    await until(() => roles().length === 6);
    check();
    await chat.streamTokens('Partial answer here', 2);
    check();
    await chat.finish('Partial answer here.');
    chat.openEdit(1, 'Thanks, and the pulp?');
    expect(roles()).toEqual(['user', 'assistant', 'assistant', 'user', 'assistant']);
    check();
  });
});

describe('Claude adapter: versions', () => {
  it('keys two versions of a reply apart after a retry in the same row', async () => {
    const chat = await load(`https://claude.ai/chat/${UUID}`, { history });
    const first = newest();
    const firstKey = claude.messageKey(first, claude.replyMarkdown(first));
    expect(firstKey).toMatch(/^row:3:\w+$/);
    expect(claude.messageKey(first, claude.replyMarkdown(first))).toBe(firstKey);

    chat.regenerate();
    const retried = newest();
    expect(retried.element).toBe(first.element);
    expect(retried.id).toBe(first.id);
    expect(claude.replyState(retried, document)).toBe('generating');
    expect(retried.element.querySelector('[data-testid="action-bar-retry"]')).toBeNull();
    expect(claude.replyMarkdown(retried)).toBe('');
    expect(setsize()).toBe('4');

    await chat.stream('Turn it into *okara cookies*.');
    const second = newest();
    expect(claude.replyState(second, document)).toBe('finished');
    const secondKey = claude.messageKey(second, claude.replyMarkdown(second));
    expect(secondKey).toMatch(/^row:3:\w+$/);
    expect(secondKey).not.toBe(firstKey);
  });

  it('gives an edited user turn a new id, drops the later rows and streams a new reply', async () => {
    const chat = await load(`https://claude.ai/chat/${UUID}`, { history });
    const before = claude.turns(document);
    expect(setsize()).toBe('4');

    chat.openEdit(0, 'Only one line now');
    const editor = document.querySelector<HTMLTextAreaElement>('[data-fake-edit-input]')!;
    expect(editor.value).toBe('Only one line now');
    submitEdit();

    const turns = claude.turns(document);
    expect(turns.map((t) => t.role)).toEqual(['user']);
    expect(turns[0]!.element).toBe(before[0]!.element);
    expect(claude.userText(turns[0]!)).toBe('Only one line now');
    expect(turns[0]!.id).toMatch(/^row:0:\w+$/);
    expect(turns[0]!.id).not.toBe(before[0]!.id);
    expect(claude.messageKey(turns[0]!, 'Only one line now')).not.toBe(claude.messageKey(before[0]!, 'First line\nsecond line'));
    expect(turns[0]!.element.querySelector('[aria-label="Previous version"]')).not.toBeNull();
    expect(turns[0]!.element.querySelector('[aria-label="Next version"]')).not.toBeNull();
    expect(turns[0]!.element.textContent).toContain('2 / 2');
    expect(setsize()).toBe('1');

    await until(() => roles().length === 2);
    expect(setsize()).toBe('2');
    expect(claude.replyState(newest(), document)).toBe('pending');
    await chat.stream('A shorter answer.');
    const answer = newest();
    expect(answer.id).toBe('row:1');
    expect(claude.replyState(answer, document)).toBe('finished');
    expect(claude.messageKey(answer, claude.replyMarkdown(answer))).not.toBe(claude.messageKey(before[1]!, claude.replyMarkdown(before[1]!)));
  });
});

describe('Claude adapter: prompt inputs and send controls', () => {
  it('knows the composer and its send button, in any language, and never the stop button', async () => {
    const chat = await load(`https://claude.ai/chat/${UUID}`, { history });
    const composer = claude.composer(document)!;
    expect(claude.isComposerInput(composer)).toBe(true);
    expect(claude.isComposerInput(composer.querySelector('p')!)).toBe(true);
    expect(claude.isSendControl(composer)).toBe(false);

    const send = submitButton();
    expect(send.disabled).toBe(true);
    expect(claude.isSendControl(send)).toBe(false);

    composer.innerHTML = '<p>Draft</p>';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    expect(claude.composerText(composer)).toBe('Draft');
    expect(claude.isSendControl(send)).toBe(true);
    send.setAttribute('aria-label', '메시지 보내기'); // a ko-KR page
    expect(claude.isSendControl(send)).toBe(true);
    expect(claude.isSendControl(document.querySelector('[aria-haspopup="menu"][aria-label^="Add files"]')!)).toBe(false);
    expect(claude.isSendControl(document.querySelector('[aria-pressed]')!)).toBe(false);
    expect(claude.isSendControl(document.querySelector('[data-testid="model-selector-dropdown"]')!)).toBe(false);
    expect(claude.isSendControl(document.querySelector('[data-testid="action-bar-retry"]')!)).toBe(false);
    // A plain toolbar button (no menu, no toggle state) is still not the submit slot.
    document.querySelector('#submit-slot')!.insertAdjacentHTML('beforebegin', '<button type="button" id="research">Research</button>');
    expect(claude.isSendControl(document.getElementById('research')!)).toBe(false);
    expect(claude.isSendControl(send)).toBe(true);
    expect(claude.isComposerInput(document.querySelector('[data-testid="user-message"] p')!)).toBe(false);

    send.click();
    expect(chat.generating).toBe(true);
    expect(claude.isSendControl(submitButton())).toBe(false); // "Stop response"
    await chat.streamTokens('Streaming now', 1);
    composer.innerHTML = '<p>Next question</p>';
    submitButton().setAttribute('aria-label', '응답 중지'); // Stop, localized
    expect(claude.isSendControl(submitButton())).toBe(false);
  });

  it("knows an inline edit's editor and its Save button, not Cancel", async () => {
    const chat = await load(`https://claude.ai/chat/${UUID}`, { history });
    chat.openEdit(1, 'Edited');
    const editor = document.querySelector('[data-fake-edit-input]')!;
    const [cancel, save] = [...editor.closest('form')!.querySelectorAll('button')];
    expect(claude.isComposerInput(editor)).toBe(true);
    expect(claude.isSendControl(save!)).toBe(true);
    expect(claude.isSendControl(cancel!)).toBe(false);
    expect(claude.isSendControl(editor)).toBe(false);
    save!.click();
    expect(claude.userText(claude.turns(document)[2]!)).toBe('Edited');
    expect(setsize()).toBe('3');
  });
});

describe('Claude adapter: a redesigned page', () => {
  it('yields no turns when the testids are gone, rather than replies without prompts', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history, title: 'Tofu' });
    expect(claude.turns(document)).toHaveLength(4);
    document.querySelectorAll('[data-testid]').forEach((el) => el.removeAttribute('data-testid'));
    expect(claude.turns(document)).toEqual([]);
    expect(claude.tail(document, 3)).toEqual([]);
    expect(claude.modelName(null, document)).toBe('');
    expect(claude.title(document)).toBe('Tofu');
    const probe = (name: string) => claude.required.find((p) => p.name === name)!.selectors.some((s) => document.querySelector(s));
    expect(probe('prompts')).toBe(false);
    // The composer survives on its container hook; once that goes too, there is no composer.
    expect(claude.composer(document)?.getAttribute('role')).toBe('textbox');
    expect(probe('composer')).toBe(true);
    document.querySelector('[data-chat-input-container]')!.removeAttribute('data-chat-input-container');
    expect(claude.composer(document)).toBeNull();
    expect(probe('composer')).toBe(false);
  });

  it('does not take other [data-index] elements in <main> for rows', async () => {
    await load(`https://claude.ai/chat/${UUID}`, { history });
    document.querySelector('[data-autoscroll-container]')!.removeAttribute('data-autoscroll-container');
    document.querySelector('main')!.insertAdjacentHTML('afterbegin', '<ul><li data-index="0">Suggestion</li><li data-index="1">Another</li></ul>');
    expect(roles()).toEqual(['user', 'assistant', 'user', 'assistant']);
  });
});
