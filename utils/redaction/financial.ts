import type { Span } from './types';

// 13–19 digits in groups of 3 to 6 joined by one kind of separator, or none.
const CARD = /(?<![\w.,-])\d{3,6}(?:([ -]?)\d{3,6}(?:\1\d{1,6}){1,4})(?![\w-]|[.,]\d)/g;
// Issuer prefixes (IIN ranges) of the card networks people use: Visa 4, Mastercard 51–55 and
// 2221–2720, Amex 34/37, Discover/UnionPay 6, Diners 30/36/38, JCB 35. A random Luhn-valid number
// passes one time in ten; the prefix removes most of those.
const ISSUER = /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[0345678]|6)/;

// IMEIs are Luhn-checked too, and serial numbers can be anything: the label says what it is.
const NOT_A_CARD_BEFORE = /(?:imei|serial|s\/n|order|tracking|isbn|invoice)\W{0,3}(?:number|no\.?)?\W{0,3}$/i;

export function findCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(CARD)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !ISSUER.test(digits) || !luhn(digits)) continue;
    if (NOT_A_CARD_BEFORE.test(text.slice(Math.max(0, match.index - 24), match.index))) continue;
    spans.push({ start: match.index, end: match.index + match[0].length, kind: 'card' });
  }
  return spans;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

// Lengths from the SWIFT IBAN registry for the countries most participants bank in.
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AT: 20, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CY: 28, CZ: 24, DE: 22,
  DK: 18, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20,
  LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26,
  UA: 29, VA: 22, XK: 20,
};
const IBAN = /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w-])/g;

export function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(IBAN)) {
    const iban = match[0].replace(/ /g, '');
    if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length || !ibanChecksumValid(iban)) continue;
    spans.push({ start: match.index, end: match.index + match[0].length, kind: 'iban' });
  }
  return spans;
}

/** ISO 13616 mod-97: country and check digits moved to the end, letters as 10–35, remainder 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
