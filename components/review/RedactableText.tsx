import { createContext, memo, useContext, type KeyboardEvent, type MouseEvent } from 'react';
import Markdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { partViews, rehypeSourcePieces, splitPieces, type Mark } from './source-map';
import { TARGET_ATTRIBUTE } from './selection';
import type { TargetKey } from './redaction-model';
import { t } from '@/utils/i18n';

// A message's or thought's text as the participant reviews it: Markdown rendered to React elements
// (never as HTML: raw HTML and scripts in a message are shown as the text they are), or plain
// text, with redactions as placeholders and suggestions highlighted, every piece carrying its
// source offsets so a selection can be redacted.

/** What the texts of a conversation need from the view around them. */
export interface RedactionView {
  marksFor(target: TargetKey): Mark[];
  /** A placeholder or a highlighted suggestion was clicked or pressed. */
  activate(target: TargetKey, mark: { type: Mark['type']; id: string }, anchor: HTMLElement): void;
  /** How a mark is read out (placeholders and suggestions are buttons). */
  describe(mark: Mark, text: string): string;
}
export const RedactionContext = createContext<RedactionView | null>(null);

const MARK_SELECTOR = '[data-redaction],[data-suggestion]';

/** Links open in a new tab, without telling the site where they came from; `javascript:` and the like are already emptied by react-markdown. */
const components: Components = {
  a: ({ node: _node, href, children, ...props }) =>
    href ? (
      <a {...props} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span className="underline decoration-dotted">{children}</span>
    ),
  // Images are never loaded: the review page makes no requests of its own.
  img: () => <span className="rounded bg-zinc-100 px-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{t('viewImageNotShown')}</span>,
};

const MarkdownBody = memo(
  function MarkdownBody({ content, marks, describe }: { content: string; marks: Mark[]; describe: RedactionView['describe'] }) {
    return (
      <Markdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeSourcePieces, { source: content, marks, describe }]]}
        components={components}
        urlTransform={defaultUrlTransform}
      >
        {content}
      </Markdown>
    );
  },
  (a, b) => a.content === b.content && JSON.stringify(a.marks) === JSON.stringify(b.marks),
);

function PlainBody({ content, marks, describe }: { content: string; marks: Mark[]; describe: RedactionView['describe'] }) {
  const views = partViews(splitPieces([{ text: content, start: 0, end: content.length }], marks), describe);
  return views.map(({ tag: Tag, attributes, text }) => (
    <Tag key={`${attributes['data-s']}-${attributes['data-e']}`} {...attributes}>
      {text}
    </Tag>
  ));
}

export function RedactableText({ target, content, markdown, className = '' }: { target: TargetKey; content: string; markdown: boolean; className?: string }) {
  const view = useContext(RedactionContext)!;
  const marks = view.marksFor(target);
  const activate = (event: MouseEvent | KeyboardEvent) => {
    const element = (event.target as Element).closest<HTMLElement>(MARK_SELECTOR);
    if (!element || !event.currentTarget.contains(element)) return;
    // A drag that selects text across a highlight is a selection, not a press.
    if (event.type === 'click' && !document.getSelection()?.isCollapsed) return;
    event.preventDefault();
    const redaction = element.getAttribute('data-redaction');
    view.activate(target, redaction !== null ? { type: 'redaction', id: redaction } : { type: 'suggestion', id: element.getAttribute('data-suggestion')! }, element);
  };
  return (
    <div
      {...{ [TARGET_ATTRIBUTE]: target }}
      className={`${markdown ? 'markdown' : 'whitespace-pre-wrap'} text-sm break-words ${className}`}
      onClick={activate}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') activate(event);
      }}
    >
      {markdown ? <MarkdownBody content={content} marks={marks} describe={view.describe} /> : <PlainBody content={content} marks={marks} describe={view.describe} />}
    </div>
  );
}
