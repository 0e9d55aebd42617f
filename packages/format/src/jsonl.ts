import { z } from 'zod';
import { thoughtTraceConversationSchema, type ThoughtTraceConversation } from './conversation.js';

export interface ParsedJsonl {
  conversations: ThoughtTraceConversation[];
  /** One entry per line that is not a valid conversation, with the reason. */
  errors: { line: number; message: string }[];
}

/** Parses a ThoughtTrace JSONL file. Blank lines are ignored; every other line must validate. */
export function parseThoughtTraceJsonl(text: string): ParsedJsonl {
  const result: ParsedJsonl = { conversations: [], errors: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      result.errors.push({ line: index + 1, message: 'not valid JSON' });
      return;
    }
    const parsed = thoughtTraceConversationSchema.safeParse(json);
    if (parsed.success) result.conversations.push(parsed.data);
    else result.errors.push({ line: index + 1, message: z.prettifyError(parsed.error) });
  });
  return result;
}

