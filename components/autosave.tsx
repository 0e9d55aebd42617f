import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '@/utils/i18n';

/**
 * Saves what is typed as it is typed, one save at a time: `schedule(value)` saves at once when no
 * save is under way, and otherwise saves the latest value right after the one under way lands,
 * so a card closed a moment after the last keystroke has it all. `flush()` resolves once
 * everything scheduled is saved. When the page is hidden or left, or the component unmounts,
 * what is pending goes at once, without waiting for a save under way: the page may not live to
 * see it land. A value whose save failed stays pending for the next try.
 * `pending` is true from a change until it is saved, for guards such as the leave-page dialog;
 * `saved` once something has been saved, `failed` while the last save failed.
 */
export function useAutosave<T>(save: (value: T) => Promise<unknown>) {
  const saveRef = useRef(save);
  saveRef.current = save;
  const next = useRef<{ value: T } | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const [saved, setSaved] = useState(false);

  /** Saves the pending value now; once it lands, whatever was typed meanwhile goes next. */
  const start = useCallback((): Promise<void> => {
    const item = next.current;
    next.current = null;
    if (!item) return Promise.resolve();
    const saving: Promise<void> = saveRef.current(item.value).then(
      () => {
        // A save started after this one (the page being hidden) is the one to wait for.
        if (inFlight.current !== saving) return;
        inFlight.current = null;
        setFailed(false);
        setSaved(true);
        if (next.current) void start().catch(() => undefined);
        else setPending(false);
      },
      (failure: unknown) => {
        // A save started after this one (the page being hidden) has newer words.
        if (inFlight.current !== saving) throw failure;
        inFlight.current = null;
        // Keep it for the next try, unless something newer was typed meanwhile.
        next.current ??= item;
        setFailed(true);
        throw failure;
      },
    );
    inFlight.current = saving;
    return saving;
  }, []);

  const flush = useCallback(async () => {
    for (;;) {
      if (inFlight.current) await inFlight.current;
      else if (next.current) await start();
      else return;
    }
  }, [start]);

  const schedule = useCallback(
    (value: T) => {
      next.current = { value };
      setPending(true);
      if (!inFlight.current) void start().catch(() => undefined);
    },
    [start],
  );

  /**
   * Forgets the pending value (it is saved another way, or thrown away on purpose) and resolves
   * once a save already under way has landed, so that what the caller writes next comes after it.
   */
  const cancel = useCallback(async () => {
    next.current = null;
    setPending(false);
    await inFlight.current?.catch(() => undefined);
  }, []);

  useEffect(() => {
    const onHide = () => void start().catch(() => undefined);
    const onVisibility = () => document.visibilityState === 'hidden' && onHide();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      onHide();
    };
  }, [start]);

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
