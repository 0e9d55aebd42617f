import type { Span } from './types';

/** The participant's own words and phrases, case-insensitive, never inside a longer word. */
export function findCustom(text: string, words: readonly string[]): Span[] {
  const terms = [...new Set(words.map((word) => word.trim()).filter(Boolean))];
  if (terms.length === 0) return [];
  // Longest first, so "Anna Maria" wins over "Anna" at the same place.
  terms.sort((a, b) => b.length - a.length);
  const alternatives = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length, kind: 'custom' }));
}
