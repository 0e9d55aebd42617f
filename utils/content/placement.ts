// Geometry shared by the thought prompt and the annotate button: where on screen our floating UI
// may go. Both stay clear of the site's composer (the editor with its send button), so a
// participant never types into or clicks through ThoughtTrace by mistake.

/** A rectangle in viewport coordinates, the shape @floating-ui/dom takes as a boundary. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space kept between our UI and the composer or the viewport's edges. */
export const GAP = 8;

export function viewportOf(doc: Document): Box {
  const root = doc.documentElement;
  const win = doc.defaultView!;
  return { x: 0, y: 0, width: root.clientWidth || win.innerWidth, height: root.clientHeight || win.innerHeight };
}

export function boxOf(rect: DOMRectReadOnly): Box {
  return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
}

/** The overlap of two boxes, or null when they do not share any area. */
export function intersection(a: Box, b: Box): Box | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

const area = (box: Box | null) => (box ? box.width * box.height : 0);

/** The part of `element` inside the viewport, or null when none of it is. */
export function visibleBox(element: Element | null | undefined, view: Box): Box | null {
  if (!element?.isConnected) return null;
  return intersection(boxOf(element.getBoundingClientRect()), view);
}

/**
 * The viewport minus the composer, as one rectangle: the side of the composer (above, left or
 * right of it, a gap apart) that can hold a `minWidth` × `minHeight` box and holds most of
 * `prefer` (the message a prompt is about), else the roomiest one. The space below the composer
 * counts as the composer's: composers only move down (a new chat's drops to the bottom once sent,
 * one under a short transcript follows it as replies grow), so whatever sits below would be run
 * over before it could be moved.
 */
export function clearRegion(view: Box, avoid: Box | null, prefer: Box | null, minWidth: number, minHeight: number): Box {
  const block = avoid && intersection({ x: avoid.x - GAP, y: avoid.y - GAP, width: avoid.width + 2 * GAP, height: view.y + view.height - (avoid.y - GAP) }, view);
  if (!block) return view;
  const right = view.x + view.width;
  const sides: Box[] = [
    { x: view.x, y: view.y, width: view.width, height: block.y - view.y },
    { x: view.x, y: view.y, width: block.x - view.x, height: view.height },
    { x: block.x + block.width, y: view.y, width: right - (block.x + block.width), height: view.height },
  ].filter((side) => side.width > 0 && side.height > 0);
  if (!sides.length) return { x: view.x, y: view.y, width: 0, height: 0 };
  const fits = (side: Box) => side.width >= minWidth && side.height >= minHeight;
  const score = (side: Box) => [Number(fits(side)), prefer ? area(intersection(side, prefer)) : 0, area(side)];
  return sides.reduce((best, side) => {
    const [a, b] = [score(side), score(best)];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]! ? side : best;
    return best;
  });
}
