import { readFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { createChatgptAdapter } from '../../utils/sites/chatgpt';
import { createGeminiAdapter } from '../../utils/sites/gemini';
import { htmlToMarkdown } from '../../utils/sites/markdown';

// Site particulars (screen-reader copies, formulas, code viewers) come from each adapter's dialect.
const chatgpt = createChatgptAdapter().markdown;
const gemini = createGeminiAdapter().markdown;

const render = (md: string) => marked.parse(md, { async: false }) as string;

const BLOCK_TAGS = 'p|div|li|ul|ol|table|thead|tbody|tr|th|td|h[1-6]|blockquote|pre|hr|br';

/**
 * HTML reduced to what a reader sees: whitespace runs collapsed, and whitespace next to a block
 * tag dropped (a browser does not render it). Whitespace inside inline text is kept.
 */
function normaliseHtml(html: string): string {
  return html
    .replace(/\s+/g, ' ')
    .replace(new RegExp(`\\s*(</?(?:${BLOCK_TAGS})\\b[^>]*>)\\s*`, 'g'), '$1')
    .trim();
}

const element = (html: string): HTMLElement => {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
};

describe('htmlToMarkdown', () => {
  it('turns a table with thead/tbody into a GFM pipe table', () => {
    const html =
      '<table><thead><tr><th>Method</th><th>Cost</th></tr></thead>' +
      '<tbody><tr><td>Twist and lever</td><td>Free</td></tr><tr><td>Fruit press</td><td>$80</td></tr></tbody></table>';
    const md = htmlToMarkdown(element(html));
    // Cells may be padded to the column width; the pipes and delimiter row are what matter.
    expect(md.split('\n').map((line) => line.replace(/ +\|/g, ' |'))).toEqual([
      '| Method | Cost |',
      '| --- | --- |',
      '| Twist and lever | Free |',
      '| Fruit press | $80 |',
    ]);
    expect(normaliseHtml(render(md))).toBe(normaliseHtml(html));
  });

  it('keeps nested ordered and unordered lists nested', () => {
    const html =
      '<ol><li>Soak the beans<ul><li>8 hours<ol><li>cold water</li><li>change it once</li></ol></li>' +
      '<li>or 4 hours warm</li></ul></li><li>Blend</li></ol>';
    const md = htmlToMarkdown(element(html));
    const lines = md.split('\n');
    const indent = (text: string) => {
      const line = lines.find((l) => l.includes(text));
      expect(line, `"${text}" in ${JSON.stringify(md)}`).toBeDefined();
      return line!.length - line!.trimStart().length;
    };
    expect(indent('Soak the beans')).toBe(0);
    expect(indent('8 hours')).toBeGreaterThan(0);
    expect(indent('cold water')).toBeGreaterThan(indent('8 hours'));
    expect(indent('change it once')).toBe(indent('cold water'));
    expect(indent('or 4 hours warm')).toBe(indent('8 hours'));
    expect(indent('Blend')).toBe(0);
    expect(md).toMatch(/^1\. +Soak the beans$/m);
    expect(md).toMatch(/^ +- +8 hours$/m);
    expect(md).toMatch(/^ +2\. +change it once$/m);
    expect(md).toMatch(/^2\. +Blend$/m);
    // Rendering the Markdown gives back the same structure.
    expect(normaliseHtml(render(md))).toBe(normaliseHtml(html));
  });

  it('writes a fenced code block with its language and the exact code, without the site chrome', () => {
    const code = 'def strain(litres):\n    total = 0\n\n\n    for _ in range(litres):\n        total += 1\n    return total';
    const pre = element(
      '<pre class="overflow-visible"><div class="contain-inline-size rounded-md">' +
        '<div class="flex items-center text-token-text-secondary px-4 py-2 text-xs">python</div>' +
        '<div class="sticky top-9"><button class="flex gap-1"><svg viewBox="0 0 24 24"><path d="M0 0"/></svg>Copy code</button></div>' +
        '<div class="overflow-y-auto p-4"><code class="whitespace-pre! language-python"></code></div></div></pre>',
    );
    // textContent, not innerHTML, so the code is exactly these characters.
    pre.querySelector('code')!.textContent = `${code}\n`;
    const md = htmlToMarkdown(pre);
    expect(md).toBe(`\`\`\`python\n${code}\n\`\`\``);
    expect(md).not.toMatch(/Copy code/);
    // The element on the page is left as it was.
    expect(pre.textContent).toContain('Copy code');
  });

  it('keeps a code block without a language, and HTML special characters as text', () => {
    const pre = element('<pre><code>if (a &lt; b &amp;&amp; c &gt; d) {\n  return "&lt;div&gt;";\n}</code></pre>');
    expect(htmlToMarkdown(pre)).toBe('```\nif (a < b && c > d) {\n  return "<div>";\n}\n```');
  });

  it('uses a longer fence when the code itself contains ```', () => {
    const pre = element('<pre><code class="language-markdown"></code></pre>');
    pre.querySelector('code')!.textContent = 'Example:\n```js\nconsole.log(1)\n```\nand ```` four';
    const md = htmlToMarkdown(pre);
    expect(md).toBe('`````markdown\nExample:\n```js\nconsole.log(1)\n```\nand ```` four\n`````');
    // The fence is really longer: Markdown renders one code block holding the inner fences.
    const rendered = element(render(md));
    expect(rendered.querySelectorAll('pre')).toHaveLength(1);
    expect(rendered.querySelector('code')!.textContent).toBe('Example:\n```js\nconsole.log(1)\n```\nand ```` four\n');
  });

  it('converts headings, bold, italics, links, inline code, blockquotes and strikethrough', () => {
    const md = htmlToMarkdown(element(
      '<h2>Option 2: A press</h2>' +
        '<p>Use <strong>mechanical pressure</strong>, not <em>gravity</em>; see ' +
        '<a href="https://example.org/press?size=30">this guide</a> and run <code>make okara</code>. ' +
        '<del>Hand squeezing</del> <s>is fine</s>.</p>' +
        '<blockquote><p>Okara clogs the cloth.</p></blockquote>' +
        '<h3>Next</h3>',
    ));
    expect(md).toBe(
      [
        '## Option 2: A press',
        '',
        'Use **mechanical pressure**, not *gravity*; see [this guide](https://example.org/press?size=30) and run `make okara`. ~~Hand squeezing~~ ~~is fine~~.',
        '',
        '> Okara clogs the cloth.',
        '',
        '### Next',
      ].join('\n'),
    );
  });

  it('drops screen-reader-only text, hidden icons and buttons', () => {
    const md = htmlToMarkdown(
      element(
        '<div><h5 class="sr-only">ChatGPT said:</h5><p>Try a <strong>fruit press</strong>.' +
          '<span aria-hidden="true">✓</span></p>' +
          '<div class="actions"><button aria-label="Copy">Copy</button><button>Good response</button></div></div>',
      ),
      chatgpt,
    );
    expect(md).toBe('Try a **fruit press**.');
  });
});

describe('htmlToMarkdown on real replies', () => {
  const conversations: { id: string; messages: { type: string; content: string }[] }[] = readFileSync(
    path.resolve(__dirname, '../../../shared/data/thoughttrace-examples.jsonl'),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

  const reply = (conversationId: string, index: number) => {
    const message = conversations.find((c) => c.id === conversationId)?.messages[index];
    if (message?.type !== 'assistant') throw new Error(`no reply ${conversationId}[${index}]`);
    return message.content;
  };

  /**
   * Beyond whitespace (see normaliseHtml), one harmless difference: turndown puts a blank line
   * between the blocks of a list item (its text and a nested table or list), which makes marked
   * render that list "loose", wrapping each item's text in <p>. The content, order and nesting
   * are unchanged, so paragraphs directly inside a list item are unwrapped before comparing.
   */
  function comparable(html: string): string {
    const root = element(html);
    for (const p of [...root.querySelectorAll('li > p')]) p.replaceWith(...p.childNodes);
    return normaliseHtml(root.innerHTML);
  }

  const cases: [string, string, number][] = [
    ['table inside a list, nested lists', 'user584_task2_conversation1', 9],
    ['nested bullet lists under headings', 'user804_task1_conversation1', 3],
    ['table with aligned columns and line breaks', 'user1020_task1_conversation1', 19],
  ];

  for (const [name, conversationId, index] of cases) {
    it(`${name} (${conversationId} message ${index}) survives Markdown → HTML → Markdown`, () => {
      const original = reply(conversationId, index);
      const html = render(original);
      // The examples were chosen for their structure; make sure it is really there.
      expect(html).toMatch(/<(table|ul|ol)>/);
      const md = htmlToMarkdown(element(html));
      expect(comparable(render(md))).toBe(comparable(html));
    });
  }

  it('the examples really exercise tables and nested lists', () => {
    const all = cases.map(([, id, i]) => render(reply(id, i))).join('');
    expect(all).toMatch(/<table>/);
    expect(all).toMatch(/<li>[^]*?<ul>/);
  });

  it('a reply with a code block survives the same round trip', () => {
    const original = [
      'Scale the recipe with this:',
      '',
      '```python',
      'def scale(recipe, factor):',
      '    """Multiply every quantity."""',
      '',
      '    return {k: v * factor for k, v in recipe.items()}',
      '```',
      '',
      '1. Run it',
      '   - with `factor=3` for 30 L',
    ].join('\n');
    const html = render(original);
    const md = htmlToMarkdown(element(html));
    expect(md).toContain('```python\ndef scale(recipe, factor):\n    """Multiply every quantity."""\n\n    return');
    expect(comparable(render(md))).toBe(comparable(html));
  });
});

describe('htmlToMarkdown on the sites’ 2026 markup', () => {
  it('writes KaTeX math as its TeX once: inline between $, display between $$', () => {
    const md = htmlToMarkdown(
      element(
        '<p>Inline: <span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>E</mi></mrow><annotation encoding="application/x-tex">E = mc^2</annotation></semantics></math></span><span class="katex-html" aria-hidden="true"><span class="mord">E</span><span class="mrel">=</span><span class="mord">mc</span><span class="msupsub">2</span></span></span></p>' +
          '<span class="katex-display"><span class="katex"><span class="katex-mathml"><math display="block"><semantics><mrow><mo>∑</mo></mrow><annotation encoding="application/x-tex">\\sum_{i=1}^{3} i = 6</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">∑i=6</span></span></span>',
      ),
    );
    expect(md).toBe('Inline: $E = mc^2$\n\n$$\\sum_{i=1}^{3} i = 6$$');
  });

  it('writes Gemini’s formulas from the TeX it keeps on the wrapper (its KaTeX has only the aria-hidden glyphs)', () => {
    const md = htmlToMarkdown(
      element('<p>Energy <span class="math-inline" data-math="KE = \\frac{1}{2}mv^2"><span class="katex"><span class="katex-html" aria-hidden="true">KE=21mv2</span></span></span>.</p>'),
      gemini,
    );
    expect(md).toBe('Energy $KE = \\frac{1}{2}mv^2$.');
  });

  it('takes a code block’s language from its header when the code carries no language class (CodeMirror viewer)', () => {
    const md = htmlToMarkdown(
      element(
        '<pre class="overflow-visible!"><div><div class="sticky"><div class="flex"><div class="flex items-center"><svg aria-hidden="true"></svg>Python</div><div><button aria-label="Copy"></button><button aria-label="Run code"><div>Run</div></button></div></div></div>' +
          '<div id="code-block-viewer" dir="ltr" class="cm-editor"><div class="cm-scroller"><pre class="cm-content"><code><span>x = 1\n</span><span>print(x)</span></code></pre></div></div></div></pre>',
      ),
      chatgpt,
    );
    expect(md).toBe('```python\nx = 1\nprint(x)\n```');
  });

  it('keeps a tight list tight when each item wraps its text in a <p>, and a loose one loose', () => {
    const tight = htmlToMarkdown(element('<ul><li><p>Teal</p></li><li><p>Plum</p><ul><li><p>Polished</p></li></ul></li></ul>'));
    expect(tight).toBe('- Teal\n- Plum\n  - Polished');
    const loose = htmlToMarkdown(element('<ul><li><p>First</p><p>More on it</p></li><li><p>Second</p></li></ul>'));
    expect(loose).toMatch(/\n *\n/);
    expect(normaliseHtml(render(loose))).toBe(normaliseHtml('<ul><li><p>First</p><p>More on it</p></li><li><p>Second</p></li></ul>'));
  });
});
