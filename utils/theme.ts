/** Light or dark, for extension pages: the site's theme when given, else the browser's preference. */
export function applyTheme(doc: Document, explicit?: string | null): void {
  const media = doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
  const apply = () => doc.documentElement.classList.toggle('dark', explicit ? explicit === 'dark' : Boolean(media?.matches));
  apply();
  if (!explicit) media?.addEventListener('change', apply);
}

/** Whether a page looks dark, from its background colour (sites mark dark mode in different ways). */
export function looksDark(doc: Document): boolean {
  for (const element of [doc.body, doc.documentElement]) {
    if (!element) continue;
    const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(element).backgroundColor);
    if (!match || match[4] === '0') continue;
    const [r, g, b] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  }
  return doc.documentElement.classList.contains('dark') || getComputedStyle(doc.documentElement).colorScheme === 'dark';
}
