// Small DOM helpers shared by the site adapters.

/** The first element matching any selector, trying them in order (most stable first). */
export function first<E extends Element = HTMLElement>(root: ParentNode, selectors: readonly string[]): E | null {
  for (const selector of selectors) {
    const found = root.querySelector<E>(selector);
    if (found) return found;
  }
  return null;
}

/** Skips editors the site keeps hidden (fallback decoys, inactive layouts). */
export const isShown = (el: HTMLElement) =>
  !el.closest('[hidden], [aria-hidden="true"]') && el.style.display !== 'none';

/** The first shown element matching any selector, in selector order. */
export function firstShown(root: ParentNode, selectors: readonly string[]): HTMLElement | null {
  for (const selector of selectors) {
    for (const el of root.querySelectorAll<HTMLElement>(selector)) if (isShown(el)) return el;
  }
  return null;
}

/**
 * The last `count` children of `container` that `parse` accepts, in page order, walking back
 * from the end: the cost depends on `count`, not on how long the transcript is.
 */
export function lastChildren<T>(container: Element | null, count: number, parse: (child: Element) => T | null): T[] {
  const found: T[] = [];
  for (let child = container?.lastElementChild ?? null; child && found.length < count; child = child.previousElementSibling) {
    const parsed = parse(child);
    if (parsed) found.unshift(parsed);
  }
  return found;
}

/** A short, stable fingerprint of a text (FNV-1a), for ids of turns the site does not name. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * What a reply holds where the page shows no text for it (a report in a frame or side panel the
 * extension cannot read): stored in place of that part, so the turn is kept and the turns after
 * it stay in their places.
 */
export const notCaptured = (what: string): string => `[Not captured: ${what}]`;

/** The lowest element that contains both `a` and `b`. */
export function commonAncestor(a: Element, b: Element): Element | null {
  for (let node: Element | null = a; node; node = node.parentElement) if (node.contains(b)) return node;
  return null;
}

/** `descendant`'s ancestor (or itself) that is a direct child of `list`. */
export function childOf(list: Element, descendant: Element): Element | null {
  let node: Element | null = descendant;
  while (node && node.parentElement !== list) node = node.parentElement;
  return node;
}
