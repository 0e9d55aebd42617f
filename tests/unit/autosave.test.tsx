import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAutosave, useConfirmLeavingUnsaved } from '../../components/autosave';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Autosave = ReturnType<typeof useAutosave<string>>;

let root: Root;
let current: Autosave;

function Harness({ save, guard }: { save: (value: string) => Promise<unknown>; guard: boolean }) {
  current = useAutosave(save);
  useConfirmLeavingUnsaved(guard && current.pending);
  return null;
}

function mount(save: (value: string) => Promise<unknown>, guard = false) {
  root = createRoot(document.createElement('div'));
  act(() => root.render(<Harness save={save} guard={guard} />));
}

/** Whether closing the page now would bring up the leave-page dialog. */
function wouldAskBeforeLeaving() {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  act(() => root.unmount());
  vi.useRealTimers();
});

/** A save that lands when the test says so. */
function controlledSave() {
  const landings: (() => void)[] = [];
  const save = vi.fn((_: string) => new Promise<void>((resolve) => landings.push(resolve)));
  const land = () => act(async () => void landings.shift()!());
  return { save, land };
}

describe('saving as typed', () => {
  it('saves the first keystroke at once, and the latest value right after a save under way', async () => {
    const { save, land } = controlledSave();
    mount(save);
    act(() => current.schedule('H'));
    expect(save.mock.calls).toEqual([['H']]);
    act(() => current.schedule('He'));
    act(() => current.schedule('Hello'));
    // One save at a time; what was typed meanwhile waits for it, and only the latest goes.
    expect(save.mock.calls).toEqual([['H']]);
    expect(current.pending).toBe(true);
    await land();
    expect(save.mock.calls).toEqual([['H'], ['Hello']]);
    expect(current.pending).toBe(true);
    await land();
    expect(save.mock.calls).toEqual([['H'], ['Hello']]);
    expect(current.pending).toBe(false);
    expect(current.saved).toBe(true);
  });

  it('flush resolves once the last value typed is saved', async () => {
    const { save, land } = controlledSave();
    mount(save);
    act(() => current.schedule('a'));
    act(() => current.schedule('ab'));
    let flushed = false;
    act(() => void current.flush().then(() => (flushed = true)));
    await land();
    expect(flushed).toBe(false);
    await land();
    expect(flushed).toBe(true);
    expect(save.mock.calls).toEqual([['a'], ['ab']]);
  });

  it('sends what is pending at once when the page is hidden or left, or the editor goes away, even with a save under way', async () => {
    const { save, land } = controlledSave();
    mount(save);
    act(() => current.schedule('typed'));
    act(() => current.schedule('typed before switching tabs'));
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    await act(async () => document.dispatchEvent(new Event('visibilitychange')));
    delete (document as { visibilityState?: string }).visibilityState;
    expect(save.mock.calls).toEqual([['typed'], ['typed before switching tabs']]);
    await land();
    await land();
    expect(current.pending).toBe(false);

    act(() => current.schedule('typed before closing the tab'));
    act(() => current.schedule('and more'));
    await act(async () => window.dispatchEvent(new Event('pagehide')));
    expect(save.mock.calls.at(-1)).toEqual(['and more']);
    await land();
    await land();

    act(() => current.schedule('typed before the editor closed'));
    act(() => current.schedule('typed before the editor closed, too'));
    act(() => root.unmount());
    expect(save.mock.calls.at(-1)).toEqual(['typed before the editor closed, too']);
    // Nothing is sent twice when the earlier saves land.
    const sent = save.mock.calls.length;
    await land();
    await land();
    expect(save.mock.calls).toHaveLength(sent);
    mount(save); // for afterEach
  });

  it('keeps a value whose save failed, and saves it on the next try', async () => {
    const save = vi.fn<(value: string) => Promise<unknown>>().mockRejectedValueOnce(new Error('background gone'));
    save.mockResolvedValue(undefined);
    mount(save);
    act(() => current.schedule('Do not lose me'));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(current.failed).toBe(true);
    expect(current.pending).toBe(true);
    await act(() => current.flush());
    expect(save.mock.calls).toEqual([['Do not lose me'], ['Do not lose me']]);
    expect(current.failed).toBe(false);
    expect(current.pending).toBe(false);
  });

  it('cancel drops the pending value and waits for a save under way', async () => {
    const { save, land } = controlledSave();
    mount(save);
    act(() => current.schedule('first'));
    act(() => current.schedule('second'));
    let cancelled = false;
    let cancelling: Promise<unknown> = Promise.resolve();
    act(() => {
      cancelling = current.cancel().then(() => (cancelled = true));
    });
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(cancelled).toBe(false);
    await land();
    await act(() => cancelling);
    expect(cancelled).toBe(true);
    expect(save.mock.calls).toEqual([['first']]);
  });

  it('asks before the page is left only while something is unsaved', async () => {
    mount(async () => undefined, true);
    expect(wouldAskBeforeLeaving()).toBe(false);
    act(() => current.schedule('unsaved words'));
    expect(wouldAskBeforeLeaving()).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(wouldAskBeforeLeaving()).toBe(false);
  });
});
