import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PromptHost } from '../../utils/prompt-host';

let hidden = false;
let controller: AbortController;

beforeEach(() => {
  (window as unknown as { happyDOM: { settings: { disableIframePageLoading: boolean } } }).happyDOM.settings.disableIframePageLoading = true;
  hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.body.innerHTML = '<form><div id="composer" contenteditable="true"></div></form>';
  controller = new AbortController();
});
afterEach(() => controller.abort());

const frames = () => [...document.querySelectorAll('iframe')];
const host = () => new PromptHost(document, (path) => `chrome-extension://abcdef${path}`, controller.signal);

describe('the prompt host on a chat page', () => {
  it('opens the prompt page for a message, without taking focus from the composer', () => {
    const composer = document.getElementById('composer')!;
    composer.focus();
    host().show({ messageId: 12, kind: 'reason' });
    expect(frames()).toHaveLength(1);
    const url = new URL(frames()[0]!.src);
    expect(url.pathname).toBe('/thought-prompt.html');
    expect(url.searchParams.get('messageId')).toBe('12');
    expect(url.searchParams.get('kind')).toBe('reason');
    expect(document.activeElement).toBe(composer);
    // Fixed, outside the page's layout, and never over the composer at the bottom.
    expect(frames()[0]!.style.position).toBe('fixed');
    expect(frames()[0]!.style.top).toBe('72px');
  });

  it('replaces a prompt nobody touched with the next one', () => {
    const prompts = host();
    prompts.show({ messageId: 1, kind: 'reason' });
    prompts.show({ messageId: 2, kind: 'reaction' });
    expect(frames()).toHaveLength(1);
    expect(new URL(frames()[0]!.src).searchParams.get('messageId')).toBe('2');
  });

  it('waits until a background tab is visible again before asking', () => {
    const prompts = host();
    hidden = true;
    prompts.show({ messageId: 7, kind: 'reaction' });
    expect(frames()).toHaveLength(0);
    hidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    expect(frames()).toHaveLength(1);
    expect(new URL(frames()[0]!.src).searchParams.get('kind')).toBe('reaction');
  });

  it('announces the prompt to screen readers, and matches a dark site', () => {
    document.body.style.backgroundColor = 'rgb(33, 33, 33)';
    host().show({ messageId: 9, kind: 'reaction' });
    expect(document.querySelector('[role="status"]')!.textContent).toMatch(/asks for your reaction/);
    expect(new URL(frames()[0]!.src).searchParams.get('theme')).toBe('dark');
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    host().show({ messageId: 10, kind: 'reason' });
    expect(new URL(frames().at(-1)!.src).searchParams.get('theme')).toBe('light');
  });

  it('removes its prompt when the extension is updated or disabled', () => {
    host().show({ messageId: 3, kind: 'reason' });
    controller.abort();
    expect(frames()).toHaveLength(0);
  });
});
