import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import { thoughtTraceConversationSchema, type ThoughtTraceConversation, type ThoughtTraceThought } from '../../utils/data/records';

const examplesUrl = new URL('../../../shared/data/thoughttrace-examples.jsonl', import.meta.url);

export function loadExamples(): ThoughtTraceConversation[] {
  return readFileSync(examplesUrl, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ThoughtTraceConversation);
}

export function example(id: string): ThoughtTraceConversation {
  const found = loadExamples().find((c) => c.id === id);
  if (!found) throw new Error(`no example ${id}`);
  return found;
}

export const thoughtsOf = (m: ThoughtTraceConversation['messages'][number]): ThoughtTraceThought[] =>
  m.type === 'user' ? m.reasons : m.reactions;

/**
 * Markdown compared by what it renders to: the captured reply went Markdown → the site's HTML →
 * our Markdown, so bullet markers or blank lines may differ while every heading, list, table and
 * code block must be the same.
 */
export const renderedMarkdown = (markdown: string) =>
  (marked.parse(markdown, { async: false, gfm: true }) as string).replace(/\s+/g, ' ').replace(/>\s+</g, '><').replace(/\s+<\//g, '</').trim();

/** An exported ThoughtTrace JSONL file, every line validated against the dataset schema. */
export const parseExport = (jsonl: string): ThoughtTraceConversation[] =>
  jsonl
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => thoughtTraceConversationSchema.parse(JSON.parse(line)));
