import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '@/utils/i18n';

export const AUTOSAVE_DELAY_MS = 300;

/**
 * Saves what is typed as it is typed: `schedule(value)` saves the latest value `delayMs` after the
 * last change; `flush()` saves it at once. A pending value is also saved when the page is hidden
 * or the component unmounts, and a value whose save failed stays pending for the next try.
 * `pending` is true from a change until it is saved, for guards such as the leave-page dialog;
 * `saved` once something has been saved, `failed` while the last save failed.
 */
export function useAutosave<T>(save: (value: T) => Promise<unknown>, delayMs = AUTOSAVE_DELAY_MS) {
  const saveRef = useRef(save);
  saveRef.current = save;
  const next = useRef<{ value: T } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const [saved, setSaved] = useState(false);
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    const item = next.current;
    next.current = null;
    if (!item) return;
    const saving = saveRef.current(item.value);
    inFlight.current = saving.catch(() => undefined);
    try {
      await saving;
      setFailed(false);
      setSaved(true);
      if (!next.current) setPending(false);
    } catch (failure) {
      // Keep it for the next flush, unless something newer was typed meanwhile.
      next.current ??= item;
      setFailed(true);
      throw failure;
    }
  }, []);

  const schedule = useCallback(
    (value: T) => {
      next.current = { value };
      setPending(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush().catch(() => undefined), delayMs);
    },
    [flush, delayMs],
  );

  /**
   * Forgets the pending value (it is saved another way, or thrown away on purpose) and resolves
   * once a save already under way has landed, so that what the caller writes next comes after it.
   */
  const cancel = useCallback(async () => {
    clearTimeout(timer.current);
    next.current = null;
    setPending(false);
    await inFlight.current;
  }, []);

  useEffect(() => {
    const onHide = () => void flush().catch(() => undefined);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      onHide();
    };
  }, [flush]);

  return { schedule, flush, cancel, pending, failed, saved };
}

/** While something typed on the page is not saved yet, closing or reloading it asks first (the browser's own dialog). */
export function useConfirmLeavingUnsaved(unsaved: boolean) {
  useEffect(() => {
    if (!unsaved) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsaved]);
}

/**
 * Where saving as typed stands: a hint before anything is typed, then Saving… and Saved. Only a
 * failure is announced (as an alert): announcing every save would talk over the typing.
 */
export function SaveStatus({
  autosave,
  failedMessage = t('reviewSaveFailedRetry'),
}: {
  autosave: { pending: boolean; failed: boolean; saved: boolean };
  failedMessage?: string;
}) {
  if (autosave.failed) {
    return (
      <p role="alert" className="m-0 text-xs text-red-600">
        {failedMessage}
      </p>
    );
  }
  return (
    <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">
      {autosave.pending ? t('reviewSaving') : autosave.saved ? t('reviewSaved') : t('reviewSavedAsTyped')}
    </p>
  );
}
