// A pattern that may start at any letter is slow over megabytes; most need a rare character
// (`@`, `::`) that a plain search finds fast. They run only on the whitespace-delimited stretch
// around each occurrence, so their lookbehinds still see the real neighbouring characters.
const RADIUS = 256;

/** [offset, text] stretches around each occurrence of `trigger`, merged where they overlap. */
export function windowsAround(text: string, trigger: string | RegExp): Array<[number, string]> {
  const hits: number[] = [];
  if (typeof trigger === 'string') {
    for (let i = text.indexOf(trigger); i !== -1; i = text.indexOf(trigger, i + 1)) hits.push(i);
  } else {
    for (const match of text.matchAll(trigger)) hits.push(match.index);
  }
  const windows: Array<[number, number]> = [];
  for (const hit of hits) {
    const start = edge(text, hit, -1);
    const end = edge(text, hit, 1);
    const last = windows.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return windows.map(([start, end]) => [start, text.slice(start, end)]);
}

// The nearest whitespace within RADIUS, or RADIUS away: a candidate longer than that is not
// an address of this kind.
function edge(text: string, from: number, step: 1 | -1): number {
  const limit = step === 1 ? Math.min(text.length, from + RADIUS) : Math.max(0, from - RADIUS);
  let i = from;
  while (i !== limit && !/\s/.test(text[i]!)) i += step;
  return step === 1 ? i : i === limit ? i : i + 1;
}
