import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The welcome page's demo drives the real thought card, and must never reach the background:
// whatever the participant does in it (type, save, skip, ask less), no message leaves the page.

const { sendMessage } = vi.hoisted(() => ({ sendMessage: vi.fn(async () => undefined) }));
vi.mock('@/utils/protocol/messages', () => ({ sendMessage, onMessage: vi.fn() }));

import { Walkthrough } from '../../components/welcome/Walkthrough';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;

beforeEach(async () => {
  vi.useFakeTimers();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root.render(<Walkthrough />));
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  sendMessage.mockClear();
  vi.useRealTimers();
});

const settle = () => act(async () => void (await vi.advanceTimersByTimeAsync(0)));
const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;
const dialog = () => container.querySelector<HTMLElement>('[role="dialog"]');
const dialogKind = () => dialog()?.querySelector('#tt-question')?.textContent;
const text = () => container.textContent ?? '';

async function click(target: HTMLElement) {
  await act(async () => target.click());
  await settle();
}

async function type(value: string) {
  const textbox = dialog()!.querySelector('textarea')!;
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(textbox, value);
    textbox.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

/** Lets the demo reply be written to its end (each step of it is scheduled by the one before). */
async function writeReply() {
  for (let step = 0; step < 200; step++) await act(async () => void (await vi.advanceTimersByTimeAsync(200)));
}

describe('the welcome demo', () => {
  it('asks why, then what the participant thinks, shows what a real chat would save, and sends nothing', async () => {
    await click(button('Send'));
    expect(dialogKind()).toBe('Why did you send this prompt?');
    expect(dialog()!.textContent).toContain('Plan three days in Lisbon');
    await type('To plan our trip');
    await click(button('Save'));
    // The reply is still being written: the slim strip waits, then becomes the reaction question.
    expect(container.querySelector('[aria-label="ThoughtTrace: waiting for the reply"]')).not.toBeNull();
    await writeReply();
    expect(dialogKind()).toBe('What do you think of this reply?');
    await type('Helpful');
    await click(button('Save'));

    expect(text()).toContain('Why you sent the prompt: To plan our trip');
    expect(text()).toContain('What you think of the reply: Helpful');
    expect(text()).toContain('Nothing from this demo was stored');
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('treats "ask less" as the card would, and changes no setting', async () => {
    await click(button('Send'));
    await type('A draft');
    await click(button('Ask less…'));
    await click(button('Not in this conversation'));
    // The turn's card is closed for good: no reaction question follows the reply.
    expect(dialog()).toBeNull();
    await writeReply();
    expect(dialog()).toBeNull();
    expect(text()).toContain('You chose “Not in this conversation” under Ask less');
    expect(text()).toContain('No thoughts');
    expect(sendMessage).not.toHaveBeenCalled();

    // Another go starts over, with the example prompt back in the box.
    await click(button('Try the demo again'));
    expect(container.querySelector('textarea')!.value).toContain('Lisbon');
    expect(dialog()).toBeNull();
  });
});
