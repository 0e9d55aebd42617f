import { useEffect, useMemo, useRef, useState } from 'react';
import type { Span } from '@/utils/redaction/types';
import type { SuggestionsRequest, SuggestionsResponse } from './suggestions.worker';
import SuggestionsWorker from './suggestions.worker?worker';

/** How long texts must stay the same before they are looked at (a thought is saved as it is typed). */
const SETTLE_MS = 250;

export interface SuggestionsState {
  /** `working` from the moment the texts change until what was found in them is here. */
  status: 'working' | 'ready' | 'failed';
  /** The spans found in each text; what was found last stays while new texts are looked at. */
  found: ReadonlyMap<string, readonly Span[]>;
}

/**
 * The detectors' spans for each of `texts`, with the participant's "always redact" words, found
 * in a worker, so highlights do not flicker as a thought is edited and the page stays responsive.
 */
export function useSuggestions(texts: readonly string[] | undefined, custom: readonly string[] | undefined): SuggestionsState {
  const worker = useRef<Worker | null>(null);
  const latest = useRef<{ id: number; key: string } | null>(null);
  const [answer, setAnswer] = useState<{ key: string | null; found: ReadonlyMap<string, readonly Span[]> }>({ key: null, found: new Map() });
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const current = new SuggestionsWorker();
    worker.current = current;
    current.onmessage = (event: MessageEvent<SuggestionsResponse>) => {
      const asked = latest.current;
      if (asked && event.data.id === asked.id) setAnswer({ key: asked.key, found: new Map(event.data.found) });
    };
    current.onerror = () => setFailed(true);
    return () => {
      current.terminate();
      worker.current = null;
    };
  }, []);

  // Live queries hand over new arrays on every change: look again only when the words differ.
  const key = useMemo(() => (texts && custom ? JSON.stringify([custom, texts]) : null), [texts, custom]);
  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(() => {
      const id = (latest.current?.id ?? 0) + 1;
      latest.current = { id, key };
      const [words, all] = JSON.parse(key) as [string[], string[]];
      worker.current?.postMessage({ id, texts: all, custom: words } satisfies SuggestionsRequest);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  return { status: failed ? 'failed' : key !== null && answer.key === key ? 'ready' : 'working', found: answer.found };
}
