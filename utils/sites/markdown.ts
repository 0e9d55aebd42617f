import TurndownService from 'turndown';
import { gfm } from '@joplin/turndown-plugin-gfm';

// Replies are stored as Markdown, the dataset's format. turndown does the conversion and the
// GFM plugin keeps tables, strikethrough and task lists. Site markup is normalised first (page
// chrome removed, math collapsed to its TeX, tight lists unwrapped), so the rules below stay generic.
// What is particular to one site's markup (its screen-reader copies, where it keeps a formula's
// TeX, the wrapper of its code viewer) comes from that site's adapter as a MarkdownDialect.

/** One site's markup, as the conversion needs to know it. */
export interface MarkdownDialect {
  /** Page chrome inside a reply besides controls and icons: screen-reader copies, for instance. */
  chrome?: string;
  /** Formulas the site renders itself, with their TeX kept in an attribute of the wrapper. */
  math?: { selector: string; display: string; texAttribute: string };
  /** The editor wrapping the code inside a code block, so that the rest of the block is its header. */
  codeWrapper?: string;
}

const LANGUAGE_CLASS = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/;

/** A code block's language: its `language-x` class, else the label in the block's own header (e.g. "Python"). */
function languageOf(pre: Element, code: Element | null, dialect: MarkdownDialect): string {
  const fromClass = LANGUAGE_CLASS.exec(code?.className ?? '')?.[1];
  if (fromClass) return fromClass;
  // The header is whatever the block shows besides the code (buttons are already gone).
  const header = pre.cloneNode(true) as Element;
  header.querySelector('code')?.closest(['pre pre', dialect.codeWrapper].filter(Boolean).join(', '))?.remove();
  header.querySelector('code')?.remove();
  const label = (header.textContent ?? '').replace(/\s+/g, ' ').trim();
  return /^[\w+#.-]{1,24}$/.test(label) ? label.toLowerCase() : '';
}

/** KaTeX's own markup, whichever site renders with it: the TeX is in its MathML annotation. */
const KATEX = { selector: '.katex-display, .katex', display: '.katex-display, [data-display]' };

/** How formulas are found on a site: the site's own wrapper first, then KaTeX's. */
function mathOf(dialect: MarkdownDialect) {
  const own = dialect.math;
  const selector = own ? `${own.selector}, ${KATEX.selector}` : KATEX.selector;
  const display = own ? `${own.display}, ${KATEX.display}` : KATEX.display;
  return {
    selector,
    isDisplay: (math: Element) => math.matches(display) || math.querySelector('math[display="block"]') !== null,
    /** The TeX of a rendered formula: where the site keeps it, else KaTeX's annotation, else its text. */
    tex(math: Element): string {
      const source =
        (own ? math.getAttribute(own.texAttribute) : null) ?? math.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
      return (source ?? math.textContent ?? '').trim();
    },
  };
}

function createService(dialect: MarkdownDialect): TurndownService {
  const math = mathOf(dialect);
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
    filter: (node) => node.nodeType === 1 && (node as Element).matches(math.selector) && !(node as Element).parentElement?.closest(math.selector),
    replacement: (_content, node) => {
      const tex = math.tex(node as Element);
      if (!tex) return '';
      return math.isDisplay(node as Element) ? `\n\n$$${tex}$$\n\n` : `$${tex}$`;
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
      return `\n\n${fence}${languageOf(node as Element, code, dialect)}\n${text}\n${fence}\n\n`;
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

/** One converter per dialect, made on first use (an adapter's dialect is one constant object). */
const services = new WeakMap<MarkdownDialect, TurndownService>();

/**
 * Page chrome inside a reply, removed before conversion so no stray spaces are left where it was:
 * hidden copies, icons and controls (by tag and by role), and what the site's dialect adds.
 */
const CHROME = '[class*="visually-hidden"], [aria-hidden="true"], button, [role="button"], svg, script, style, noscript';

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
function dropChrome(root: Element, dialect: MarkdownDialect): void {
  const math = mathOf(dialect);
  for (const formula of root.querySelectorAll(math.selector)) {
    if (formula.parentElement?.closest(math.selector)) continue;
    const display = math.isDisplay(formula);
    formula.replaceChildren(root.ownerDocument.createTextNode(math.tex(formula)));
    if (display) formula.setAttribute('data-display', '');
  }
  for (const chrome of root.querySelectorAll(dialect.chrome ? `${dialect.chrome}, ${CHROME}` : CHROME)) chrome.remove();
}

const PLAIN: MarkdownDialect = {};

/** The Markdown for a rendered reply, in the markup of the site whose `dialect` is given. The element itself is not modified. */
export function htmlToMarkdown(element: Element, dialect: MarkdownDialect = PLAIN): string {
  let service = services.get(dialect);
  if (!service) services.set(dialect, (service = createService(dialect)));
  const copy = element.cloneNode(true) as HTMLElement;
  dropChrome(copy, dialect);
  unwrapTightLists(copy);
  return service.turndown(copy).trim();
}
