import type { StudyLimits } from '@thoughttrace/format';

// How approved conversations are split into submissions within the study's limits. The body is
// built from the very lines the preview shows (utils/data/upload-record.ts), joined, never parsed
// and written again, so what is sent is byte for byte what the participant saw.

const encoder = new TextEncoder();
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** `POST /v1/submissions`'s body around the lines, as they are. */
export const submissionBody = (consentVersion: number, lines: readonly string[]): string =>
  `{"consentVersion":${consentVersion},"records":[${lines.join(',')}]}`;

export interface Batches<T> {
  /** In order, each within both limits. */
  batches: T[][];
  /** Lines that would not fit a submission even alone. */
  tooLarge: T[];
}

/**
 * Fills submissions in order, each with at most `maxBatchRecords` lines and a body of at most
 * `maxBodyBytes` bytes (UTF-8, as the collector counts them).
 */
export function planBatches<T extends { line: string }>(items: readonly T[], limits: StudyLimits, consentVersion: number): Batches<T> {
  const overhead = utf8Bytes(submissionBody(consentVersion, []));
  const batches: T[][] = [];
  const tooLarge: T[] = [];
  let current: T[] = [];
  let bytes = overhead;
  for (const item of items) {
    const size = utf8Bytes(item.line);
    if (overhead + size > limits.maxBodyBytes) {
      tooLarge.push(item);
      continue;
    }
    // A comma goes between lines.
    const added = current.length ? size + 1 : size;
    if (current.length === limits.maxBatchRecords || bytes + added > limits.maxBodyBytes) {
      batches.push(current);
      current = [];
      bytes = overhead;
    }
    bytes += current.length ? size + 1 : size;
    current.push(item);
  }
  if (current.length) batches.push(current);
  return { batches, tooLarge };
}
