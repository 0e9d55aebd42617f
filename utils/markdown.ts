import TurndownService from 'turndown';
import { gfm } from '@joplin/turndown-plugin-gfm';

// Replies are stored as Markdown, the dataset's format. turndown does the conversion and the
// GFM plugin keeps tables, strikethrough and task lists.

const languageOf = (code: Element | null): string =>
  /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(code?.className ?? '')?.[1] ?? '';

function createService(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '*',
    hr: '---',
  });
  service.use(gfm);
  // Controls and screen-reader labels are page chrome, not the reply.
  service.remove(['button', 'script', 'style', 'noscript']);
  service.addRule('screenReaderOnly', {
    filter: (node) => node.nodeType === 1 && (node as HTMLElement).matches('.sr-only, [aria-hidden="true"], svg'),
    replacement: () => '',
  });
  // Sites wrap code in a header (language name, copy button) inside <pre>; keep only the code.
  service.addRule('fencedCodeWithChrome', {
    filter: (node) => node.nodeName === 'PRE' && node.querySelector('code') !== null,
    replacement: (_content, node) => {
      const code = (node as HTMLElement).querySelector('code');
      const text = (code?.textContent ?? '').replace(/\n$/, '');
      const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longestRun + 1);
      return `\n\n${fence}${languageOf(code)}\n${text}\n${fence}\n\n`;
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

/** Page chrome inside a reply: removed before conversion so no stray spaces are left where it was. */
const CHROME = '.sr-only, .cdk-visually-hidden, [aria-hidden="true"], button, svg, script, style, noscript';

/** The Markdown for a rendered reply. The element itself is not modified. */
export function htmlToMarkdown(element: Element | string): string {
  service ??= createService();
  if (typeof element === 'string') return service.turndown(element).trim();
  const copy = element.cloneNode(true) as HTMLElement;
  for (const chrome of copy.querySelectorAll(CHROME)) chrome.remove();
  return service.turndown(copy).trim();
}
