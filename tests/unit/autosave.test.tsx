import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOSAVE_DELAY_MS, useAutosave, useConfirmLeavingUnsaved } from '../../components/autosave';

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

describe('saving as typed', () => {
  it('saves only the latest value, once typing pauses', async () => {
    const save = vi.fn(async (_: string) => undefined);
    mount(save);
    act(() => current.schedule('H'));
    act(() => current.schedule('Hello'));
    expect(current.pending).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1));
    expect(save).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(save.mock.calls).toEqual([['Hello']]);
    expect(current.pending).toBe(false);
    expect(current.saved).toBe(true);
  });

  it('saves at once when the page is hidden, and when the editor goes away', async () => {
    const save = vi.fn(async (_: string) => undefined);
    mount(save);
    act(() => current.schedule('typed before closing the tab'));
    await act(async () => window.dispatchEvent(new Event('pagehide')));
    expect(save.mock.calls).toEqual([['typed before closing the tab']]);

    act(() => current.schedule('typed before the editor closed'));
    act(() => root.unmount());
    expect(save.mock.calls.at(-1)).toEqual(['typed before the editor closed']);
    mount(save); // for afterEach
  });

  it('keeps a value whose save failed, and saves it on the next try', async () => {
    const save = vi.fn<(value: string) => Promise<unknown>>().mockRejectedValueOnce(new Error('background gone'));
    save.mockResolvedValue(undefined);
    mount(save);
    act(() => current.schedule('Do not lose me'));
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS));
    expect(current.failed).toBe(true);
    expect(current.pending).toBe(true);
    await act(() => current.flush());
    expect(save.mock.calls).toEqual([['Do not lose me'], ['Do not lose me']]);
    expect(current.failed).toBe(false);
    expect(current.pending).toBe(false);
  });

  it('cancel drops the pending value and waits for a save under way', async () => {
    let land: () => void = () => undefined;
    const save = vi.fn((_: string) => new Promise<void>((resolve) => (land = resolve)));
    mount(save);
    act(() => current.schedule('first'));
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS));
    act(() => current.schedule('second'));
    let cancelled = false;
    let cancelling: Promise<unknown> = Promise.resolve();
    act(() => {
      cancelling = current.cancel().then(() => (cancelled = true));
    });
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS));
    expect(cancelled).toBe(false);
    await act(async () => {
      land();
      await cancelling;
    });
    expect(cancelled).toBe(true);
    expect(save.mock.calls).toEqual([['first']]);
  });

  it('asks before the page is left only while something is unsaved', async () => {
    mount(async () => undefined, true);
    expect(wouldAskBeforeLeaving()).toBe(false);
    act(() => current.schedule('unsaved words'));
    expect(wouldAskBeforeLeaving()).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS));
    expect(wouldAskBeforeLeaving()).toBe(false);
  });
});
