// autoUpdate from @floating-ui/dom (the prompt's positioning library, already in this script)
// keeps the button on its message's corner through scrolling, resizing and layout shifts.
import { autoUpdate, getOverflowAncestors } from '@floating-ui/dom';
import { GAP, intersection, viewportOf, visibleBox, type Box } from './placement';
import type { Role, ThoughtKind } from '../data/records';
import type { SiteAdapter } from '../sites/types';
import { pageText } from './page-text';
import { looksDark } from '../theme';

/** A captured message on the page, as Capture.messageFor finds it. */
export interface CapturedTurn {
  messageId: number;
  role: Role;
  /** The turn's element: the button sits on its corner, the prompt beside it. */
  element: Element;
}

export interface AnnotateRequest {
  messageId: number;
  kind: ThoughtKind;
  anchor: Element;
  /** The participant asked: the prompt takes focus, and is shown whatever "ask less" says. */
  focus: true;
}

export interface AnnotateOptions {
  doc: Document;
  /** The captured message whose turn contains an element, or null (Capture.messageFor). */
  messageFor(element: Element): CapturedTurn | null;
  open(request: AnnotateRequest): void;
  /** The composer's area, which the button never covers. */
  avoid?: () => Element | null;
  signal: AbortSignal;
}


const SIZE = 28;
/** How long the button stays after the pointer leaves its message, to be reached across the gap. */
const LINGER_MS = 400;
const TABBABLE =
  'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable="true"], [contenteditable=""]';

/**
 * One floating button, outside the site's DOM tree, on the corner of the captured message the
 * pointer is over or the keyboard focus is in: it opens the thought prompt for that message
 * (reason for a prompt, reaction for a reply). It holds no text of the conversation.
 */
export function installAnnotate({ doc, messageFor, open, avoid = () => null, signal }: AnnotateOptions): HTMLButtonElement {
  const win = doc.defaultView!;
  const button = doc.createElement('button');
  button.type = 'button';
  const label = pageText('annotateButton');
  button.setAttribute('aria-label', label);
  button.title = label;
  button.append(icon(doc));
  button.style.cssText = [
    // The site's stylesheets also apply to this button: start from nothing.
    'all:initial',
    'position:fixed',
    'display:none',
    'align-items:center',
    'justify-content:center',
    'box-sizing:border-box',
    `width:${SIZE}px`,
    `height:${SIZE}px`,
    'padding:0',
    'margin:0',
    'border-radius:999px',
    'cursor:pointer',
    'z-index:2147483646',
    'box-shadow:0 1px 4px rgba(0,0,0,.18)',
  ].join(';');
  doc.documentElement.append(button);

  let current: CapturedTurn | null = null;
  let stopFollowing: (() => void) | null = null;
  let hovered = false;
  /** The element in the turn that had focus, where focus returns after the prompt. */
  let lastFocus: HTMLElement | null = null;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let pointerTarget: Element | null = null;
  let frameRequested = false;

  const shown = () => button.style.display !== 'none' && button.style.visibility !== 'hidden';
  const focusInside = () => {
    const active = doc.activeElement;
    return active === button || Boolean(current && active && current.element.contains(active));
  };

  function show(turn: CapturedTurn): void {
    clearTimeout(hideTimer);
    const same = current?.element === turn.element;
    current = turn;
    if (same && stopFollowing) return;
    stopFollowing?.();
    const dark = looksDark(doc);
    Object.assign(button.style, {
      display: 'flex',
      visibility: 'hidden',
      background: dark ? '#27272a' : '#ffffff',
      color: dark ? '#a5b4fc' : '#4f46e5',
      border: `1px solid ${dark ? '#52525b' : '#d4d4d8'}`,
    });
    const clips = getOverflowAncestors(turn.element).filter((node): node is Element => node instanceof Element);
    stopFollowing = autoUpdate(turn.element, button, () => place(turn.element, clips));
  }

  function hide(): void {
    clearTimeout(hideTimer);
    stopFollowing?.();
    stopFollowing = null;
    current = null;
    hovered = false;
    if (doc.activeElement === button) button.blur();
    button.style.display = 'none';
  }

  /** Lets the button go unless the pointer or focus comes back to it or its message meanwhile. */
  function hideSoon(): void {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (!hovered && !focusInside()) hide();
    }, LINGER_MS);
  }

  /** On the turn's top-right corner: just outside it where there is room, else just inside. */
  function place(element: Element, clips: Element[]): void {
    if (!element.isConnected) return hide();
    const view = viewportOf(doc);
    let visible: Box | null = visibleBox(element, view);
    for (const clip of clips) visible = visible && intersection(visible, clip.getBoundingClientRect());
    if (!visible) return void (button.style.visibility = 'hidden');
    const turn = element.getBoundingClientRect();
    const outside = turn.right + GAP / 2 + SIZE <= view.width - GAP / 2;
    const left = outside ? turn.right + GAP / 2 : turn.right - GAP / 2 - SIZE;
    let top = visible.y + GAP / 2;
    const block = visibleBox(avoid(), view);
    // Never over the composer: move up clear of it, or stay hidden if the turn's visible part is under it.
    const overlapsBlock = (y: number) => Boolean(block && intersection({ x: left, y, width: SIZE, height: SIZE }, block));
    if (overlapsBlock(top)) top = block!.y - GAP / 2 - SIZE;
    const fits = top >= visible.y && top + SIZE <= Math.max(visible.y + visible.height, visible.y + SIZE) && !overlapsBlock(top);
    Object.assign(button.style, { left: `${Math.round(left)}px`, top: `${Math.round(top)}px`, visibility: fits ? 'visible' : 'hidden' });
  }

  /** The pointer moved onto `target`: follow it to another captured message, or let the button go. */
  function pointAt(target: Element): void {
    if (target === button || current?.element.contains(target)) {
      hovered = true;
      clearTimeout(hideTimer);
      return;
    }
    const turn = messageFor(target);
    hovered = turn !== null;
    if (turn) show(turn);
    else hideSoon();
  }

  const listen = { capture: true, passive: true, signal } as const;
  // Pointer movement is coalesced to one look per frame: messageFor scans the page's turns.
  doc.addEventListener(
    'pointerover',
    (event) => {
      if (!(event.target instanceof Element)) return;
      pointerTarget = event.target;
      if (frameRequested) return;
      frameRequested = true;
      win.requestAnimationFrame(() => {
        frameRequested = false;
        if (pointerTarget) pointAt(pointerTarget);
      });
    },
    listen,
  );
  doc.documentElement.addEventListener(
    'pointerleave',
    () => {
      pointerTarget = null;
      hovered = false;
      hideSoon();
    },
    { passive: true, signal },
  );

  doc.addEventListener(
    'focusin',
    (event) => {
      const target = event.target;
      if (target === button) return clearTimeout(hideTimer);
      const turn = !(target instanceof HTMLElement) ? null : current?.element.contains(target) ? current : messageFor(target);
      if (!turn) return hideSoon();
      lastFocus = target as HTMLElement;
      show(turn);
    },
    listen,
  );
  // Focus leaving for nowhere in this page (another window, the prompt's frame).
  doc.addEventListener('focusout', (event) => event.relatedTarget === null && hideSoon(), listen);

  // The button is last in the document, so Tab is routed through it: after the turn's last
  // control comes the button, after the button whatever follows the turn.
  win.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey || !current || !shown()) return;
      const active = doc.activeElement;
      const turn = current.element;
      if (active === button) {
        const next = event.shiftKey ? (lastFocus?.isConnected && turn.contains(lastFocus) ? lastFocus : tabbables(turn).at(-1)) : after(turn);
        if (!next) return;
        event.preventDefault();
        next.focus();
      } else if (!event.shiftKey && active instanceof HTMLElement && turn.contains(active) && tabbables(turn).at(-1) === active) {
        event.preventDefault();
        button.focus();
      }
    },
    { capture: true, signal },
  );
  button.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      if (lastFocus?.isConnected) lastFocus.focus();
    },
    { signal },
  );

  // A click must not move focus out of the composer or the message: focus comes back there.
  button.addEventListener('mousedown', (event) => event.preventDefault(), { signal });
  button.addEventListener(
    'click',
    (event) => {
      event.preventDefault();
      event.stopPropagation();
      // The button is in the page's DOM: a click the page's scripts made opens nothing.
      if (!event.isTrusted) return;
      const turn = current && messageFor(current.element);
      if (!turn) return hide();
      // From the keyboard: focus goes back to where it was in the message once the prompt closes.
      if (doc.activeElement === button && lastFocus?.isConnected && turn.element.contains(lastFocus)) lastFocus.focus();
      open({ messageId: turn.messageId, kind: turn.role === 'user' ? 'reason' : 'reaction', anchor: turn.element, focus: true });
    },
    { signal },
  );
  button.addEventListener('focus', () => (button.style.outline = '2px solid #6366f1'), { signal });
  button.addEventListener('blur', () => (button.style.outline = 'none'), { signal });

  signal.addEventListener('abort', () => {
    hide();
    button.remove();
  });
  return button;
}

/** The keyboard-reachable controls in `root`, in document order. */
function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !(el as HTMLButtonElement).disabled &&
      !el.closest('[inert]') &&
      (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions)),
  );
}

/** The first keyboard-reachable control after `turn` in the page. */
function after(turn: Element): HTMLElement | undefined {
  return tabbables(turn.ownerDocument).find(
    (el) => !turn.contains(el) && turn.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && el.parentElement !== turn.ownerDocument.documentElement,
  );
}

/** A speech bubble with a plus, drawn without markup parsing (some sites enforce Trusted Types). */
function icon(doc: Document): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  for (const [name, value] of Object.entries({ width: '16', height: '16', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) {
    svg.setAttribute(name, value);
  }
  for (const d of ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z', 'M12 7v6', 'M9 10h6']) {
    const path = doc.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
