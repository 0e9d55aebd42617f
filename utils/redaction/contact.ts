import type { Span } from './types';
import { windowsAround } from './windows';

// The part after @ must end in a letter TLD; `icon@2x.png` and `logo@3x.webp` are image files,
// and `git@github.com:owner/repo` is an SSH remote.
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w-]|:[\w~])/g;
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'js', 'ts', 'css', 'pdf']);

export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (const [from, window] of windowsAround(text, '@')) {
    for (const match of window.matchAll(EMAIL)) {
      if (FILE_EXTENSIONS.has(match[1]!.toLowerCase())) continue;
      spans.push({ start: from + match.index, end: from + match.index + match[0].length, kind: 'email' });
    }
  }
  return spans;
}

// Digit groups joined by single separators, optionally after +country code or an (area code).
const PHONE = /(?<![\w.,+\-/:$€£¥#@])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,8}){0,5}(?![\w\-/@]|[.,:]\d)/g;
// Numbers that are labeled as something else: "order number 0301234567", "ID: 030 1234 5678".
const NOT_A_PHONE_BEFORE = /(?:\b(?:order|invoice|tracking|ref(?:erence)?|account|acct|isbn|serial|ticket|case|id|version|v|build)(?:\s+(?:number|no\.?))?|#)\s*[:#]?\s*$/i;
const PHONE_CONTEXT = /\b(?:phone|tel|telephone|call|mobile|cell|fax|whatsapp|text me|ring)\b\W{0,3}[\w ]{0,12}$/i;

/**
 * Phone numbers: international (+ and 8–15 digits) and the national shapes people write: US
 * (NXX) NXX-XXXX and 1-NXX-NXX-XXXX, and European numbers with a leading trunk 0. Dates, versions,
 * prices and thousands-separated amounts have other shapes and are left alone.
 */
export function findPhones(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(PHONE)) {
    if (match[0].length < 8) continue;
    const candidate = longestPhonePrefix(match[0]);
    if (!candidate) continue;
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    if (NOT_A_PHONE_BEFORE.test(before) && !PHONE_CONTEXT.test(before)) continue;
    spans.push({ start: match.index, end: match.index + candidate.length, kind: 'phone' });
  }
  return spans;
}

// The pattern also swallows a number written after the phone ("555-123-4567 2 times"), so
// groups are dropped from the end until the rest has a phone's shape.
function longestPhonePrefix(candidate: string): string | undefined {
  // Six or more one- and two-digit numbers are a list (lottery draws, scores), not a phone.
  if (/^\d{1,2}(?:[ .-]\d{1,2}){5,}$/.test(candidate)) return undefined;
  for (let prefix = candidate; ; ) {
    if (isPhoneShape(prefix)) return prefix;
    const cut = prefix.search(/[ .-]\d+$/);
    if (cut <= 0) return undefined;
    prefix = prefix.slice(0, cut);
  }
}

function isPhoneShape(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  const separators = new Set(candidate.replace(/^\+\d{1,3}/, '').match(/[ .-]/g) ?? []);
  if (separators.size > 1 && separators.has('.')) return false;
  if (candidate.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  if (/^\(\d{3}\) ?\d{3}[ .-]\d{4}$/.test(candidate)) return true;
  const groups = candidate.split(/[ .-]/);
  const lengths = groups.map((group) => group.length).join('-');
  if (lengths === '3-3-4' || lengths === '1-3-3-4') return /^[2-9]/.test(groups.at(-3)!);
  // National European numbers start with the trunk 0 and have 10–11 digits: 020 7946 0958,
  // 030 12345678, 06 12 34 56 78. Dates such as 01.02.2024 have fewer.
  return /^\(?0[1-9]/.test(candidate) && groups.length >= 2 && digits.length >= 10 && digits.length <= 11;
}
