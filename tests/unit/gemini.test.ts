import { describe, expect, it } from 'vitest';
import { createGeminiAdapter } from '../../utils/sites/gemini';
import type { Turn } from '../../utils/sites/types';
import type { SiteConfig } from '../support/site';
import { loadFakeSite, RICH_REPLY, submitEdit, typeAndSend } from '../support/unit/fake-site';

const gemini = createGeminiAdapter();

const ID = '0123456789abcdef';
const URL_ = `https://gemini.google.com/app/${ID}`;
const reply = RICH_REPLY;

/** Config fields the Gemini fake understands beyond the shared SiteConfig. */
type GeminiConfig = SiteConfig & { thinking?: boolean; sources?: boolean; initialExchanges?: number };
const load = (url: string, config: GeminiConfig = {}) => loadFakeSite('gemini', url, config as SiteConfig);

const exchanges = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    { type: 'user' as const, content: `Question ${i + 1}` },
    { type: 'assistant' as const, content: `Answer ${i + 1}.` },
  ]).flat();

const assistants = () => gemini.turns(document).filter((t) => t.role === 'assistant');
const newestAssistant = () => assistants().at(-1)!;
const state = (turn: Turn) => gemini.replyState(turn, document);
const sendButton = () => document.querySelector<HTMLElement>('input-area-v2 button.send-button.submit');
const stopButton = () => document.querySelector<HTMLElement>('input-area-v2 button.send-button.stop');
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function type(text: string) {
  const composer = gemini.composer(document)!;
  composer.innerHTML = text
    .split('\n')
    .map((line) => `<p>${line || '<br>'}</p>`)
    .join('');
  composer.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('Gemini adapter: URLs', () => {
  it.each([
    [`https://gemini.google.com/app/${ID}`, { kind: 'conversation', conversationId: ID }],
    [`https://gemini.google.com/app/${ID}/`, { kind: 'conversation', conversationId: ID }],
    [`https://gemini.google.com/app/${ID.toUpperCase()}?hl=en`, { kind: 'conversation', conversationId: ID }],
    [`https://gemini.google.com/u/1/app/${ID}`, { kind: 'conversation', conversationId: ID }],
    [`https://gemini.google.com/gem/brainstormer/${ID}`, { kind: 'conversation', conversationId: ID }],
    [`https://gemini.google.com/u/2/gem/1a2b3c4d5e/${ID}`, { kind: 'conversation', conversationId: ID }],
    ['https://gemini.google.com/app', { kind: 'conversation', conversationId: null }],
    ['https://gemini.google.com/app/', { kind: 'conversation', conversationId: null }],
    ['https://gemini.google.com/app?pageId=none', { kind: 'conversation', conversationId: null }],
    ['https://gemini.google.com/u/0/app', { kind: 'conversation', conversationId: null }],
    ['https://gemini.google.com/gem/brainstormer', { kind: 'conversation', conversationId: null }],
    ['https://gemini.google.com/u/1/gem/brainstormer/', { kind: 'conversation', conversationId: null }],
    [`https://gemini.google.com/share/${ID}`, { kind: 'other' }],
    ['https://gemini.google.com/settings', { kind: 'other' }],
    ['https://gemini.google.com/', { kind: 'other' }],
    ['https://gemini.google.com/gems/view', { kind: 'other' }],
    ['https://gemini.google.com/app/0123', { kind: 'other' }],
    ['https://gemini.google.com/app/c_0123456789abcdef', { kind: 'other' }],
    [`https://gemini.google.com/app/${ID}/extra`, { kind: 'other' }],
    [`https://gemini.google.com/x/app/${ID}`, { kind: 'other' }],
    [`https://gemini.google.com/foo/1/app/${ID}`, { kind: 'other' }],
    [`https://gemini.google.com/u/x/app/${ID}`, { kind: 'other' }],
    ['https://gemini.google.com/u/1/settings', { kind: 'other' }],
  ])('%s', (url, expected) => {
    expect(gemini.classify(new URL(url), document)).toEqual(expected);
  });
});

describe('Gemini adapter: model and title', () => {
  it('names the mode picker\'s model, from its label first and its aria-label as a fallback', async () => {
    await load(URL_);
    expect(gemini.modelName(null, document)).toBe('Gemini 3.1 Pro');

    await load(URL_, { modelName: '3 Flash', thinking: true });
    // The label's second line is the thinking level, not part of the name.
    expect(gemini.modelName(null, document)).toBe('Gemini 3 Flash');

    // The label renders lazily; until then the aria-label names the mode.
    document.querySelector('.logo-pill-label-container')!.replaceChildren();
    expect(gemini.modelName(null, document)).toBe('Gemini Flash');

    document.querySelector('bard-mode-switcher')!.remove();
    expect(gemini.modelName(null, document)).toBe('');
  });

  it('takes the title from document.title, and none while loading', async () => {
    await load(URL_, { title: 'Soy milk at home', hydrateDelayMs: 50 });
    expect(document.title).toBe('\u200eGoogle Gemini');
    expect(gemini.title(document)).toBe('');
    await tick(60);
    expect(gemini.title(document)).toBe('Soy milk at home');
  });
});

describe('Gemini adapter: hydrated history', () => {
  it('reads prompts without the "You said" label or icon words, and replies without thoughts or chrome', async () => {
    await load(URL_, {
      thinking: true,
      sources: true,
      history: [
        { type: 'user', content: 'First line\n\nthird line' },
        { type: 'assistant', content: reply },
        { type: 'user', content: 'Thanks' },
        { type: 'assistant', content: 'You are **welcome**.' },
      ],
    });
    const turns = gemini.turns(document);
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(new Set(turns.map((t) => t.id)).size).toBe(4);
    const containerId = document.querySelector('.conversation-container')!.id;
    expect(containerId).toMatch(/^[0-9a-f]{16}$/);
    expect(turns[0]!.id).toMatch(new RegExp(`^${containerId}:user:`));
    expect(turns[1]!.id).toBe(`${containerId}:model`);

    expect(gemini.userText(turns[0]!)).toBe('First line\n\nthird line');
    expect(gemini.userText(turns[2]!)).toBe('Thanks');
    // The bubble's own text has the label and ligatures the adapter must not read.
    expect(turns[0]!.element.textContent).toContain('You said');
    expect(turns[0]!.element.textContent).toContain('content_copy');

    const markdown = gemini.replyMarkdown(turns[1]!);
    expect(markdown).toContain('## Plan');
    expect(markdown).toMatch(/1\.\s+Soak the beans\n\s+- overnight/);
    expect(markdown).toContain('| Soak | 480 |');
    expect(markdown).toContain('```python\ndef strain(batch):\n\n    return batch * 0.8\n```');
    for (const chrome of ['Python\n', 'content_copy', 'Copy code', 'thumb_up', 'Show thinking', 'weigh the options', 'Sources', 'example.org', 'Gemini said', 'open_in_new']) {
      expect(markdown).not.toContain(chrome);
    }
    // The fixture really renders those next to the reply.
    expect(turns[1]!.element.textContent).toContain('weigh the options');
    expect(turns[1]!.element.textContent).toContain('example.org');
    expect(gemini.replyMarkdown(turns[3]!)).toBe('You are **welcome**.');
    expect(assistants().map(state)).toEqual(['finished', 'finished']);
    expect(gemini.messageKey(turns[1]!, markdown)).toMatch(/^r_[0-9a-f]{16}$/);
    expect(gemini.messageKey(turns[0]!, 'First line')).toBe(turns[0]!.id);
  });

  it('never reads thoughts as the reply, wherever they mount', async () => {
    await load(URL_, { thinking: true, history: exchanges(1) });
    const turn = newestAssistant();
    // Moved inside message-content, ahead of the reply body: the reply is still the reply.
    const content = turn.element.querySelector('message-content')!;
    content.prepend(turn.element.querySelector('model-thoughts')!);
    content.querySelector('model-thoughts .markdown')!.classList.add('markdown-main-panel');
    expect(gemini.replyMarkdown(turn)).toBe('Answer 1.');
    expect(state(turn)).toBe('finished');
  });

  it('keeps ids across visits and renders only the newest 10 exchanges', async () => {
    await load(URL_, { history: exchanges(12) });
    const first = gemini.turns(document);
    expect(first).toHaveLength(20);
    expect(gemini.userText(first[0]!)).toBe('Question 3');
    expect(gemini.userText(first.at(-2)!)).toBe('Question 12');
    const keys = first.map((t) => gemini.messageKey(t, t.role === 'user' ? gemini.userText(t) : gemini.replyMarkdown(t)));
    await load(URL_, { history: exchanges(12) });
    const again = gemini.turns(document);
    expect(again.map((t) => t.id)).toEqual(first.map((t) => t.id));
    expect(again.map((t) => gemini.messageKey(t, t.role === 'user' ? gemini.userText(t) : gemini.replyMarkdown(t)))).toEqual(keys);
  });

  it('never takes the sidebar\'s scroller for the transcript', async () => {
    await load(URL_, { history: exchanges(1), title: 'Soy' });
    expect(document.querySelectorAll('infinite-scroller')).toHaveLength(2);
    expect(gemini.transcriptRoot(document).getAttribute('data-test-id')).toBe('chat-history-container');
    expect(document.querySelectorAll('[data-test-id="conversation"]').length).toBeGreaterThan(0);
  });
});

describe('Gemini adapter: reply states', () => {
  it('goes generating → finished across a send, per turn', async () => {
    const chat = await load(URL_, { history: exchanges(1) });
    const before = gemini.turns(document);
    typeAndSend('How do I strain soy milk?', 'gemini');
    const turns = gemini.turns(document);
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns.slice(0, 2).map((t) => t.id)).toEqual(before.map((t) => t.id));
    expect(gemini.userText(turns[2]!)).toBe('How do I strain soy milk?');
    expect(location.pathname).toBe(`/app/${ID}`);
    expect(stopButton()).not.toBeNull();
    expect(chat.generating).toBe(true);

    // The placeholder, then streaming; the earlier reply stays finished while Stop shows.
    expect(newestAssistant().element.textContent).toContain('Thinking');
    expect(state(newestAssistant())).toBe('generating');
    expect(gemini.replyMarkdown(newestAssistant())).toBe('');
    expect(state(turns[1]!)).toBe('finished');

    await chat.streamTokens(reply, 8);
    expect(state(newestAssistant())).toBe('generating');
    expect(gemini.replyMarkdown(newestAssistant())).toContain('Soak the beans');
    expect(gemini.replyMarkdown(newestAssistant())).not.toContain('Minutes');

    await chat.finish(reply);
    expect(chat.generating).toBe(false);
    expect(stopButton()).toBeNull();
    expect(assistants().map(state)).toEqual(['finished', 'finished']);
    expect(gemini.replyMarkdown(newestAssistant())).toContain('| Soak | 480 |');
    expect(newestAssistant().id).toBe(`${document.querySelectorAll('.conversation-container')[1]!.id}:model`);
  });

  it('is not finished at any step of the site\'s finish until every signal is in', async () => {
    const chat = await load(URL_);
    typeAndSend('Hello', 'gemini');
    await chat.streamTokens('Hi there, friend.', 3);
    const finishing = chat.finish('Hi there, friend.');
    // Sample between the fake's steps: text final → Stop gone → aria-busy false + footer + actions.
    const samples: { state: string; stop: boolean; busy: string | null; actions: boolean }[] = [];
    for (let i = 0; i < 5; i++) {
      const turn = newestAssistant();
      samples.push({
        state: state(turn),
        stop: stopButton() !== null,
        busy: turn.element.querySelector('.markdown')!.getAttribute('aria-busy'),
        actions: turn.element.querySelector('message-actions') !== null,
      });
      await new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
    }
    await finishing;
    expect(samples[0]).toEqual({ state: 'generating', stop: true, busy: 'true', actions: false });
    // Stop is gone but aria-busy still says the reply is in progress.
    expect(samples).toContainEqual({ state: 'generating', stop: false, busy: 'true', actions: false });
    expect(samples.at(-1)).toEqual({ state: 'finished', stop: false, busy: 'false', actions: true });
  });

  it('is pending without signals, and generating while only a placeholder shows', async () => {
    const chat = await load(URL_);
    typeAndSend('Search the web for soy', 'gemini');
    const turn = newestAssistant();
    const body = turn.element.querySelector('.markdown')!;

    // SITES.md: an empty model-response with no Stop and no aria-busy yet.
    body.removeAttribute('aria-busy');
    body.innerHTML = '';
    stopButton()!.remove();
    expect(state(turn)).toBe('pending');

    // ...the same with Stop showing: generating, since it is the newest reply.
    chat.regenerate();
    body.removeAttribute('aria-busy');
    expect(stopButton()).not.toBeNull();
    expect(state(turn)).toBe('generating');
    stopButton()!.remove();

    // aria-busy already "false" but the only text is a transient placeholder.
    for (const placeholder of ['Searching the internet', 'Thinking…', 'Analyzing...']) {
      body.setAttribute('aria-busy', 'false');
      body.innerHTML = `<p>${placeholder}</p>`;
      turn.element.querySelector('response-container')!.append(document.createElement('message-actions'));
      expect(state(turn)).toBe('generating');
      expect(gemini.replyMarkdown(turn)).toBe('');
    }

    // Real text but no footer or actions yet: not finished.
    turn.element.querySelectorAll('message-actions').forEach((el) => el.remove());
    body.innerHTML = '<p>Here is what I found.</p>';
    expect(state(turn)).toBe('pending');
    turn.element.querySelector('.response-footer')!.classList.add('complete');
    expect(state(turn)).toBe('finished');
  });

  it('keeps a finished reply finished while a Stop shows before the next exchange mounts', async () => {
    await load(URL_, { history: exchanges(2) });
    const last = newestAssistant();
    document.getElementById('send-slot')!.innerHTML =
      '<button class="send-button stop" aria-label="Stop response"><mat-icon fonticon="stop" data-mat-icon-name="stop">stop</mat-icon></button>';
    expect(state(last)).toBe('finished');
    // Without its own completion signals, the newest reply is generating while Stop shows.
    last.element.querySelector('.markdown')!.setAttribute('aria-busy', 'false');
    last.element.querySelector('message-actions')!.remove();
    last.element.querySelector('.response-footer')!.classList.remove('complete');
    expect(state(last)).toBe('generating');
    expect(state(assistants()[0]!)).toBe('finished');
    // Stop belongs to the newest reply only: an older one without its signals is not generating.
    const older = assistants()[0]!;
    older.element.querySelector('message-actions')!.remove();
    older.element.querySelector('.response-footer')!.classList.remove('complete');
    expect(state(older)).toBe('pending');
  });
});

describe('Gemini adapter: tail', () => {
  it('equals turns().slice(-n) for every n, across sends and extra children', async () => {
    const chat = await load(URL_, { history: exchanges(4) });
    const check = () => {
      const all = gemini.turns(document);
      for (let n = 1; n <= all.length + 2; n++) {
        expect(gemini.tail(document, n)).toEqual(all.slice(-n));
      }
      expect(gemini.tail(document, 0)).toEqual([]);
    };
    check();
    typeAndSend('One more', 'gemini');
    check();
    await chat.stream('Done.');
    // A loading spinner at the end, and exchanges inside a wrapper element.
    const scroller = gemini.transcriptRoot(document);
    const spinner = document.createElement('div');
    spinner.className = 'loading-history-spinner-container';
    scroller.append(spinner);
    const wrapper = document.createElement('div');
    wrapper.append(...[...scroller.querySelectorAll('.conversation-container')].slice(1, 3));
    scroller.insertBefore(wrapper, scroller.children[1]!);
    check();
    expect(gemini.turns(document)).toHaveLength(10);
  });
});

describe('Gemini adapter: edits and Redo', () => {
  it('gives a Redo a new message key in the same turn', async () => {
    const chat = await load(URL_, { history: exchanges(2) });
    const turn = newestAssistant();
    const key = gemini.messageKey(turn, gemini.replyMarkdown(turn));
    expect(key).toMatch(/^r_[0-9a-f]{16}$/);

    // The Redo button in message-actions.
    const redo = [...turn.element.querySelectorAll('message-actions button')].find((b) => b.textContent === 'refresh')!;
    redo.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(chat.generating).toBe(true);
    const again = newestAssistant();
    expect(again.id).toBe(turn.id);
    expect(state(again)).toBe('generating');
    const redoKey = gemini.messageKey(again, '');
    expect(redoKey).toMatch(/^r_[0-9a-f]{16}$/);
    expect(redoKey).not.toBe(key);

    await chat.stream('A different answer.');
    const done = newestAssistant();
    expect(state(done)).toBe('finished');
    expect(gemini.replyMarkdown(done)).toBe('A different answer.');
    expect(gemini.messageKey(done, 'A different answer.')).toBe(redoKey);
  });

  it('falls back to the container and content for a reply without a message-content id', async () => {
    await load(URL_, { history: exchanges(1) });
    const turn = newestAssistant();
    turn.element.querySelector('message-content')!.removeAttribute('id');
    expect(gemini.messageKey(turn, 'Answer 1.')).toMatch(new RegExp(`^${turn.id}:[0-9a-z]+$`));
    expect(gemini.messageKey(turn, 'Answer 1.')).not.toBe(gemini.messageKey(turn, 'Other'));
  });

  it('replaces the exchange and the later ones on Update, with new keys', async () => {
    const chat = await load(URL_, { history: exchanges(3) });
    const before = gemini.turns(document);
    const oldKeys = before.map((t) => gemini.messageKey(t, ''));

    chat.openEdit(1, 'Question 2, edited\nwith a second line');
    const input = document.querySelector<HTMLTextAreaElement>('[data-fake-edit-input]')!;
    expect(gemini.isComposerInput(input)).toBe(true);
    const area = document.querySelector('.edit-button-area')!;
    const [cancel, update] = [...area.querySelectorAll('button')];
    expect(gemini.isSendControl(update!)).toBe(true);
    expect(gemini.isSendControl(cancel!)).toBe(false);
    // While the editor is open the prompt is not on the page: no turn for it, no empty-text turn.
    expect(gemini.turns(document).filter((t) => t.role === 'user').map((t) => gemini.userText(t))).toEqual(['Question 1', 'Question 3']);

    submitEdit();
    const after = gemini.turns(document);
    expect(after.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(after.slice(0, 2).map((t) => t.id)).toEqual(before.slice(0, 2).map((t) => t.id));
    expect(gemini.userText(after[2]!)).toBe('Question 2, edited\nwith a second line');
    expect(after[2]!.id).not.toBe(before[2]!.id);
    expect(state(after[3]!)).toBe('generating');
    const newKeys = after.slice(2).map((t) => gemini.messageKey(t, ''));
    for (const key of newKeys) expect(oldKeys).not.toContain(key);

    await chat.stream('Edited answer.');
    expect(state(newestAssistant())).toBe('finished');
    expect(gemini.replyMarkdown(newestAssistant())).toBe('Edited answer.');
  });

  it('changes the user turn id when Angular keeps the container but the text changes', async () => {
    await load(URL_, { history: exchanges(1) });
    const [user] = gemini.turns(document);
    user!.element.querySelector('p.query-text-line')!.textContent = ' Question 1, reworded ';
    const [edited] = gemini.turns(document);
    expect(edited!.element).toBe(user!.element);
    expect(edited!.id).not.toBe(user!.id);
    expect(gemini.messageKey(edited!, 'Question 1, reworded')).toBe(edited!.id);
  });
});

describe('Gemini adapter: composer and controls', () => {
  it('finds the Quill editor and never the ql-clipboard decoy', async () => {
    await load(URL_);
    const clipboard = document.querySelector<HTMLElement>('.ql-clipboard')!;
    expect(clipboard.getAttribute('contenteditable')).toBe('true');
    const composer = gemini.composer(document)!;
    expect(composer.classList.contains('ql-editor')).toBe(true);
    expect(composer).not.toBe(clipboard);
    expect(gemini.isComposerInput(composer)).toBe(true);
    expect(gemini.isComposerInput(clipboard)).toBe(false);
    type('Two\n\nlines');
    expect(gemini.composerText(composer)).toBe('Two\n\nlines');
    composer.innerHTML = '<p>Soft<br>break</p>';
    expect(gemini.composerText(composer)).toBe('Soft\nbreak');
    composer.innerHTML = '<p><br></p>';
    expect(gemini.composerText(composer)).toBe('');

    composer.remove();
    expect(gemini.composer(document)).toBeNull();
  });

  it('recognises Send (button or icon) and Update, never Stop or the other composer buttons', async () => {
    const chat = await load(URL_, { history: exchanges(1) });
    expect(sendButton()).toBeNull();
    type('Draft');
    const send = sendButton()!;
    expect(gemini.isSendControl(send)).toBe(true);
    expect(gemini.isSendControl(send.querySelector('mat-icon')!)).toBe(true);
    for (const other of document.querySelectorAll('input-area-v2 button:not(.send-button)')) {
      expect(gemini.isSendControl(other)).toBe(false);
    }
    expect(gemini.isSendControl(document.querySelector('[data-test-id="new-chat-button"]')!)).toBe(false);

    send.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(chat.generating).toBe(true);
    expect(gemini.turns(document)).toHaveLength(4);
    const stop = stopButton()!;
    expect(stop.classList.contains('send-button')).toBe(true);
    expect(gemini.isSendControl(stop)).toBe(false);
    expect(gemini.isSendControl(stop.querySelector('mat-icon')!)).toBe(false);
    await chat.stream('Ok.');

    // Action buttons in a reply are not send controls either.
    for (const button of newestAssistant().element.querySelectorAll('button')) expect(gemini.isSendControl(button)).toBe(false);

    chat.openEdit(0, 'Changed');
    expect(gemini.isSendControl(document.querySelector('.edit-button-area button.update-button')!)).toBe(true);
    // Without the classes, Update is the row's last button (Cancel comes first); no text is read.
    const buttons = [...document.querySelectorAll('.edit-button-area button')];
    for (const button of buttons) button.removeAttribute('class');
    expect(buttons.map((b) => gemini.isSendControl(b))).toEqual([false, true]);
  });

  it('never takes a Stop for Send, even when the slot keeps the submit class and only the icon swaps', async () => {
    const chat = await load(URL_);
    typeAndSend('Hello', 'gemini');
    expect(chat.generating).toBe(true);
    const slot = document.getElementById('send-slot')!;
    slot.innerHTML =
      '<button class="send-button submit"><mat-icon fonticon="stop" data-mat-icon-name="stop">stop</mat-icon></button>';
    expect(gemini.isSendControl(slot.querySelector('button')!)).toBe(false);
    expect(state(newestAssistant())).toBe('generating');
    slot.innerHTML = '<button class="send-button submit" aria-label="Stop response"><svg><path d="M6 6h12v12H6z"></path></svg></button>';
    expect(gemini.isSendControl(slot.querySelector('button')!)).toBe(false);
  });

  it('gives a new chat its id in the URL on the first send, keeping the account prefix', async () => {
    const chat = await load('https://gemini.google.com/u/1/app');
    expect(gemini.classify(new URL(location.href), document)).toEqual({ kind: 'conversation', conversationId: null });
    typeAndSend('Start here', 'gemini');
    const page = gemini.classify(new URL(location.href), document);
    expect(location.pathname).toMatch(/^\/u\/1\/app\/[0-9a-f]{16}$/);
    expect(page).toEqual({ kind: 'conversation', conversationId: location.pathname.slice(-16) });
    expect(gemini.userText(gemini.turns(document)[0]!)).toBe('Start here');
    await chat.stream('Hi.');
    expect(gemini.title(document)).toBe('Start here');
  });

  it('puts history that hydrates late before a prompt sent meanwhile', async () => {
    await load(URL_, { history: exchanges(2), hydrateDelayMs: 30 });
    expect(gemini.turns(document)).toHaveLength(0);
    typeAndSend('Early', 'gemini');
    await tick(40);
    const users = gemini.turns(document).filter((t) => t.role === 'user').map((t) => gemini.userText(t));
    expect(users).toEqual(['Question 1', 'Question 2', 'Early']);
  });
});

describe('Gemini adapter: a redesigned page', () => {
  it('yields no turns and no composer rather than wrong data', async () => {
    await load(URL_, { history: exchanges(2) });
    expect(gemini.turns(document)).toHaveLength(4);
    const renamed = document.body.innerHTML.replace(
      /<(\/?)(user-query|model-response|rich-textarea|infinite-scroller)\b/g,
      (_m, slash: string, tag: string) => `<${slash}${tag.replace('-', '-x-')}`,
    );
    document.body.innerHTML = renamed;
    expect(document.querySelector('.conversation-container')).not.toBeNull();
    expect(document.querySelector('.ql-editor')).not.toBeNull();
    expect(gemini.turns(document)).toEqual([]);
    expect(gemini.tail(document, 4)).toEqual([]);
    expect(gemini.composer(document)).toBeNull();
    expect(gemini.transcriptRoot(document).tagName).toBe('MAIN');
  });
});

describe('Gemini adapter: what the page cannot show, and temporary chats', () => {
  it('keeps a Deep Research reply’s visible text and marks the report in its side panel as not captured', async () => {
    await load(URL_, { history: exchanges(1) });
    const body = document.querySelector('message-content .markdown')!;
    body.innerHTML =
      '<p>I\'ve completed your research.</p><div class="attachment-container"><response-element><immersive-entry-chip>' +
      '<gem-processing-card role="status"><div class="container"><mat-icon fonticon="travel_explore">travel_explore</mat-icon>' +
      '<span class="card-title">Tidal Mill Economics</span><div class="body-area"><span class="current-step">Jan 5, 9:50 AM</span></div></div>' +
      '</gem-processing-card></immersive-entry-chip></response-element></div>';
    expect(gemini.replyMarkdown(newestAssistant())).toBe(
      "I've completed your research.\n\n[Not captured: the Deep Research report “Tidal Mill Economics”, which Gemini shows in a side panel]",
    );
  });

  it('reads prompts written as bare paragraphs (the 2026-01 markup) and finds a transcript without its scroller', async () => {
    await load(URL_, { history: exchanges(1) });
    const query = document.querySelector('user-query')!;
    query.innerHTML = '<user-query-content><div class="user-query-container"><div class="file-preview-container"></div><p>Why is the sky blue?</p></div></user-query-content>';
    expect(gemini.userText(gemini.turns(document)[0]!)).toBe('Why is the sky blue?');
    const scroller = document.querySelector('infinite-scroller[data-test-id="chat-history-container"]')!;
    scroller.removeAttribute('data-test-id');
    scroller.classList.remove('chat-history');
    expect(gemini.turns(document).map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(gemini.hints[0]!.selectors.some((s) => document.querySelector(s))).toBe(false);
  });

  it('is private while the temporary chat toggle is on, whatever the address says', async () => {
    await load(URL_, { history: exchanges(1) });
    expect(gemini.isPrivate!(document)).toBe(false);
    document.querySelector<HTMLElement>('[data-test-id="temp-chat-button"]')!.click();
    expect(gemini.isPrivate!(document)).toBe(true);
    expect(gemini.classify(new URL(URL_), document)).toEqual({ kind: 'conversation', conversationId: ID });
  });
});
