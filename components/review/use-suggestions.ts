import { useEffect, useMemo, useRef, useState } from 'react';
import type { Span } from '@/utils/redaction/types';
import type { SuggestionsRequest, SuggestionsResponse } from './suggestions.worker';
import SuggestionsWorker from './suggestions.worker?worker';

/** How long texts must stay the same before they are looked at (a thought is saved as it is typed). */
const SETTLE_MS = 250;

export type SuggestionsState =
  | { status: 'working'; found: ReadonlyMap<string, readonly Span[]> }
  | { status: 'ready'; found: ReadonlyMap<string, readonly Span[]> }
  | { status: 'failed'; found: ReadonlyMap<string, readonly Span[]> };

/**
 * The detectors' spans for each of `texts`, with the participant's "always redact" words, found
 * in a worker. What was found last stays while new texts are looked at, so highlights do not
 * flicker as a thought is edited.
 */
export function useSuggestions(texts: readonly string[] | undefined, custom: readonly string[] | undefined): SuggestionsState {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [state, setState] = useState<SuggestionsState>({ status: 'working', found: new Map() });

  useEffect(() => {
    const current = new SuggestionsWorker();
    worker.current = current;
    current.onmessage = (event: MessageEvent<SuggestionsResponse>) => {
      if (event.data.id === latest.current) setState({ status: 'ready', found: new Map(event.data.found) });
    };
    current.onerror = () => setState((previous) => ({ status: 'failed', found: previous.found }));
    return () => {
      current.terminate();
      worker.current = null;
    };
  }, []);

  // Live queries hand over new arrays on every change: look again only when the words differ.
  const key = useMemo(() => (texts && custom ? JSON.stringify([custom, texts]) : null), [texts, custom]);
  useEffect(() => {
    if (key === null) return;
    const id = ++latest.current;
    setState((previous) => ({ status: 'working', found: previous.found }));
    const timer = setTimeout(() => {
      const [words, all] = JSON.parse(key) as [string[], string[]];
      worker.current?.postMessage({ id, texts: all, custom: words } satisfies SuggestionsRequest);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  return state;
}
