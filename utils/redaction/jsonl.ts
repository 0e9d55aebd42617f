import { z } from 'zod';
import { findSpansIn } from './find';
import type { FindOptions } from './types';

const inputLineSchema = z.object({ text: z.string() });

export type JsonLinesResult = { ok: true; lines: string[] } | { ok: false; errors: string[] };

/**
 * The `pii` command's contract, without the file system: one `{"spans": […]}` line per input line
 * `{"text": …}` (other fields are ignored). All or nothing: if any line is malformed, every
 * malformed line is reported and no output is produced, so output lines always match input lines.
 */
export function suggestForJsonLines(input: string, options?: FindOptions): JsonLinesResult {
  const rows = input.endsWith('\n') ? input.slice(0, -1).split('\n') : input === '' ? [] : input.split('\n');
  const texts: string[] = [];
  const errors: string[] = [];
  rows.forEach((row, index) => {
    const problem = parseLine(row.endsWith('\r') ? row.slice(0, -1) : row);
    if (typeof problem === 'string') errors.push(`line ${index + 1}: ${problem}`);
    else texts.push(problem.text);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, lines: findSpansIn(texts, options).map((spans) => JSON.stringify({ spans })) };
}

function parseLine(row: string): { text: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(row);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const parsed = inputLineSchema.safeParse(value);
  return parsed.success ? parsed.data : 'expected a JSON object with a string "text"';
}
