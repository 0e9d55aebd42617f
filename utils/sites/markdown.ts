import TurndownService from 'turndown';
import { gfm } from '@joplin/turndown-plugin-gfm';

// Replies are stored as Markdown, the dataset's format. turndown does the conversion and the
// GFM plugin keeps tables, strikethrough and task lists. Site markup is normalised first (page
// chrome removed, math collapsed to its TeX, tight lists unwrapped), so the rules below stay generic.

const LANGUAGE_CLASS = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/;

/** A code block's language: its `language-x` class, else the label in the block's own header (e.g. "Python"). */
function languageOf(pre: Element, code: Element | null): string {
  const fromClass = LANGUAGE_CLASS.exec(code?.className ?? '')?.[1];
  if (fromClass) return fromClass;
  // The header is whatever the block shows besides the code (buttons are already gone).
  const header = pre.cloneNode(true) as Element;
  header.querySelector('code')?.closest('.cm-editor, .cm-scroller, pre pre, div[dir="ltr"]')?.remove();
  header.querySelector('code')?.remove();
  const label = (header.textContent ?? '').replace(/\s+/g, ' ').trim();
  return /^[\w+#.-]{1,24}$/.test(label) ? label.toLowerCase() : '';
}

/** TeX for a rendered formula: KaTeX's annotation (ChatGPT), or the source kept on the wrapper (Gemini's data-math). */
function texOf(math: Element): string {
  const source = math.getAttribute('data-math') ?? math.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
  return (source ?? math.textContent ?? '').trim();
}

const MATH = '.math-inline[data-math], .math-block[data-math], .math-display[data-math], .katex-display, .katex';
const isDisplayMath = (math: Element) =>
  math.matches('.math-block, .math-display, .katex-display, [data-display]') || math.querySelector('math[display="block"]') !== null;

function createService(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '*',
    hr: '---',
  });
  service.use(gfm);
  service.remove(['button', 'script', 'style', 'noscript']);
  // Formulas become their TeX once, `$…$` inline and `$$…$$` on their own line.
  service.addRule('math', {
    filter: (node) => node.nodeType === 1 && (node as Element).matches(MATH) && !(node as Element).parentElement?.closest(MATH),
    replacement: (_content, node) => {
      const tex = texOf(node as Element);
      if (!tex) return '';
      return isDisplayMath(node as Element) ? `\n\n$$${tex}$$\n\n` : `$${tex}$`;
    },
  });
  // Sites wrap code in a header (language name, copy button) inside <pre>; keep only the code.
  service.addRule('fencedCodeWithChrome', {
    filter: (node) => node.nodeName === 'PRE' && node.querySelector('code') !== null && !node.parentElement?.closest('pre'),
    replacement: (_content, node) => {
      const code = (node as HTMLElement).querySelector('code');
      const text = (code?.textContent ?? '').replace(/\n$/, '');
      const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longestRun + 1);
      return `\n\n${fence}${languageOf(node as Element, code)}\n${text}\n${fence}\n\n`;
    },
  });
  // "- item" and "1. item" rather than turndown's wider "-   item"; nested content is indented
  // by the marker's width, which CommonMark requires and chat sites write.
  service.addRule('compactListItem', {
    filter: 'li',
    replacement: (content, node, options) => {
      const parent = node.parentNode as HTMLElement | null;
      let marker = `${options.bulletListMarker} `;
      if (parent?.nodeName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? 1);
        marker = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n/gm, `\n${' '.repeat(marker.length)}`);
      return marker + body + (node.nextSibling && !/\n$/.test(body) ? '\n' : '');
    },
  });
  return service;
}

let service: TurndownService | undefined;

/**
 * Page chrome inside a reply, removed before conversion so no stray spaces are left where it was:
 * screen-reader copies, icons and controls (by tag and by role).
 */
const CHROME =
  '.sr-only, .cdk-visually-hidden, [class*="visually-hidden"], [aria-hidden="true"], button, [role="button"], svg, script, style, noscript';

/**
 * A list is tight when each item holds at most one paragraph: chat sites still wrap that
 * paragraph in <p>, which Markdown would read as a loose list with blank lines between items.
 */
function unwrapTightLists(root: Element): void {
  for (const list of root.querySelectorAll('ul, ol')) {
    const items = [...list.children].filter((child) => child.nodeName === 'LI');
    const paragraphs = items.map((item) => [...item.children].filter((child) => child.nodeName === 'P'));
    if (paragraphs.some((ps) => ps.length > 1)) continue;
    for (const [p] of paragraphs) p?.replaceWith(...p.childNodes);
  }
}

/**
 * Each formula is reduced to its TeX before the chrome goes: KaTeX renders it twice (an accessible
 * copy and an aria-hidden glyph copy), and on some sites the glyph copy is the only one.
 */
function dropChrome(root: Element): void {
  for (const math of root.querySelectorAll(MATH)) {
    if (math.parentElement?.closest(MATH)) continue;
    const display = isDisplayMath(math);
    math.replaceChildren(root.ownerDocument.createTextNode(texOf(math)));
    if (display) math.setAttribute('data-display', '');
  }
  for (const chrome of root.querySelectorAll(CHROME)) chrome.remove();
}

/** The Markdown for a rendered reply. The element itself is not modified. */
export function htmlToMarkdown(element: Element): string {
  service ??= createService();
  const copy = element.cloneNode(true) as HTMLElement;
  dropChrome(copy);
  unwrapTightLists(copy);
  return service.turndown(copy).trim();
}
