import { autoUpdate, computePosition, flip, offset, shift, type VirtualElement } from '@floating-ui/dom';
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type Ref } from 'react';
import { primary, quiet } from './ui';
import { t } from '@/utils/i18n';
import { SPAN_KINDS, type SpanKind } from '@/utils/redaction/types';
import { kindName } from './kind-names';

/** A small panel beside what it is about (a placeholder, a highlight, the selection), kept in view as the page scrolls. */
export function Floating({
  anchor,
  label,
  role,
  onClose,
  takeFocus,
  children,
  ref,
}: {
  anchor: Element | VirtualElement;
  label: string;
  role: 'dialog' | 'toolbar';
  onClose: () => void;
  /** Move the keyboard into the panel (after a press on a placeholder or highlight; never for a selection). */
  takeFocus: boolean;
  children: ReactNode;
  ref?: Ref<HTMLDivElement>;
}) {
  const panel = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = panel.current;
    if (!element) return;
    return autoUpdate(anchor, element, () => {
      void computePosition(anchor, element, {
        strategy: 'fixed',
        placement: 'bottom-start',
        middleware: [offset(6), flip(), shift({ padding: 8 })],
      }).then(({ x, y }) => Object.assign(element.style, { left: `${x}px`, top: `${y}px` }));
    });
  }, [anchor]);

  useEffect(() => {
    if (!takeFocus) return;
    const before = document.activeElement as HTMLElement | null;
    panel.current?.querySelector<HTMLElement>('button, select')?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, [takeFocus]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (panel.current?.contains(target)) return;
      if (anchor instanceof Element && anchor.contains(target)) return;
      onClose();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [anchor, onClose]);

  return (
    <div
      ref={(element) => {
        panel.current = element;
        if (typeof ref === 'function') ref(element);
        else if (ref) ref.current = element;
      }}
      role={role}
      aria-label={label}
      style={{ position: 'fixed', left: 0, top: 0 }}
      className="z-20 flex max-w-sm flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      {children}
    </div>
  );
}

/** The selection's toolbar: redact it, as a kind the participant can change. */
export function SelectionToolbar({
  anchor,
  kind,
  onKind,
  onRedact,
  onClose,
  error,
  ref,
}: {
  anchor: VirtualElement;
  kind: SpanKind;
  onKind: (kind: SpanKind) => void;
  onRedact: () => void;
  onClose: () => void;
  error?: string;
  ref?: Ref<HTMLDivElement>;
}) {
  const kindId = useId();
  return (
    <Floating anchor={anchor} label={t('redactSelectionToolbar')} role="toolbar" onClose={onClose} takeFocus={false} ref={ref}>
      {error ? (
        <p className="m-0 text-zinc-700 dark:text-zinc-200">{error}</p>
      ) : (
        <div className="flex items-center gap-2">
          {/* Pressing here must not clear the selection being redacted. */}
          <button type="button" className={primary} aria-keyshortcuts="Alt+R" title={t('redactShortcutHint')} onMouseDown={(e) => e.preventDefault()} onClick={onRedact}>
            {t('redactSelection')}
          </button>
          <label htmlFor={kindId} className="text-xs text-zinc-600 dark:text-zinc-300">
            {t('redactAs')}
          </label>
          <select
            id={kindId}
            value={kind}
            onChange={(e) => onKind(e.target.value as SpanKind)}
            className="max-w-48 rounded-lg border border-zinc-300 bg-white p-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
          >
            {SPAN_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindName(k, 1)}
              </option>
            ))}
          </select>
        </div>
      )}
    </Floating>
  );
}

/** What a placeholder hides, and undoing it. */
export function RedactionDetails({ anchor, kind, original, onUndo, onClose }: { anchor: Element; kind: SpanKind; original: string; onUndo: () => void; onClose: () => void }) {
  return (
    <Floating anchor={anchor} label={t('redactDetailsLabel')} role="dialog" onClose={onClose} takeFocus>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('redactDetailsHeading', [kindName(kind, 1)])}</p>
      <p className="m-0 max-h-40 overflow-y-auto break-words whitespace-pre-wrap">{original}</p>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('redactDetailsLocal')}</p>
      <div className="flex gap-2">
        <button type="button" className={primary} onClick={onUndo}>
          {t('redactUndo')}
        </button>
        <button type="button" className={quiet} onClick={onClose}>
          {t('redactClose')}
        </button>
      </div>
    </Floating>
  );
}

/** One suggestion: redact it, say it is not personal, or redact every value of its kind. */
export function SuggestionDetails({
  anchor,
  kind,
  value,
  sameKind,
  onRedact,
  onReject,
  onRedactAll,
  onClose,
}: {
  anchor: Element;
  kind: SpanKind;
  value: string;
  /** Values of this kind still suggested in the conversation. */
  sameKind: number;
  onRedact: () => void;
  onReject: () => void;
  onRedactAll: () => void;
  onClose: () => void;
}) {
  return (
    <Floating anchor={anchor} label={t('redactSuggestionLabel')} role="dialog" onClose={onClose} takeFocus>
      <p className="m-0 text-xs text-zinc-500 dark:text-zinc-400">{t('redactSuggestionHeading', [kindName(kind, 1)])}</p>
      <p className="m-0 max-h-40 overflow-y-auto font-medium break-words whitespace-pre-wrap">{value}</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={primary} onClick={onRedact}>
          {t('redactThis')}
        </button>
        <button type="button" className={quiet} onClick={onReject}>
          {t('redactNotPersonal')}
        </button>
        {sameKind > 1 && (
          <button type="button" className={quiet} onClick={onRedactAll}>
            {t('redactAllOfKind', [sameKind, kindName(kind, sameKind)])}
          </button>
        )}
      </div>
    </Floating>
  );
}
