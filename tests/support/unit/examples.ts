import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ThoughtTraceConversation } from '../../../utils/data/records';

// The 12 example conversations for unit tests. (A path, not `new URL(..., import.meta.url)` as in
// tests/support/data.ts: under happy-dom, URL is the DOM's and fs rejects it.)
export function loadExamples(): ThoughtTraceConversation[] {
  return readFileSync(path.resolve(__dirname, '../../../../shared/data/thoughttrace-examples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ThoughtTraceConversation);
}
