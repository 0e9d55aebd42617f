import type { Span } from './types';

// US SSN: area 001–899 except 666, group 01–99, serial 0001–9999 (SSA's never-issued ranges).
const SSN_DASHED = /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g;
// Without dashes nine digits are anything (a zip+4, an order number): only after SSN words.
const SSN_PLAIN = /\b(?:ssn|social security(?: number| no\.?)?|ss#)\W{0,4}((?!000|666|9\d\d)\d{3} ?(?!00)\d{2} ?(?!0000)\d{4})\b/gi;
// UK National Insurance number: HMRC never issues D, F, I, Q, U, V as either prefix letter, O as
// the second, nor the prefixes BG, GB, KN, NK, NT, TN, ZZ; the suffix is A–D.
const NINO = /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
// Spanish DNI/NIE: 8 digits (NIE: X/Y/Z and 7) and a check letter that makes them self-verifying.
const DNI = /\b([XYZ]?)(\d{7,8})-?([A-Z])\b/g;
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
// Passports, driving licences and other ID cards differ by country; the number is only told apart
// from a product code by the words before it.
const LABELLED_ID = /\b(?:passport|driver'?s? licen[cs]e|driving licen[cs]e|licen[cs]e number|national id|id card|identity card|personalausweis|tax id|social insurance|nif|steuer-?id|aadhaar|cpf)(?: (?:number|no\.?|#))?(?: is)?\W{0,4}(\d{2,4}(?: \d{2,4}){1,4}|[A-Z0-9][A-Z0-9.-]{4,16}[A-Z0-9])(?![\w-])/gi;

export function findNationalIds(text: string): Span[] {
  const spans: Span[] = [];
  const push = (start: number, length: number) => spans.push({ start, end: start + length, kind: 'national_id' });
  for (const match of text.matchAll(SSN_DASHED)) push(match.index, match[0].length);
  for (const match of text.matchAll(SSN_PLAIN)) push(match.index + match[0].length - match[1]!.length, match[1]!.length);
  for (const match of text.matchAll(NINO)) push(match.index, match[0].length);
  for (const match of text.matchAll(DNI)) {
    const [, nie, digits, letter] = match;
    if (nie === '' && digits!.length !== 8) continue;
    if (nie !== '' && digits!.length !== 7) continue;
    const number = Number(nie === '' ? digits : `${'XYZ'.indexOf(nie!)}${digits}`);
    if (DNI_LETTERS[number % 23] === letter) push(match.index, match[0].length);
  }
  for (const match of text.matchAll(LABELLED_ID)) {
    const value = match[1]!;
    if ((value.match(/\d/g) ?? []).length < 4) continue;
    push(match.index + match[0].length - value.length, value.length);
  }
  return spans;
}
