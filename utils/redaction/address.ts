import type { Span } from './types';

// Abbreviations take their full stop; a full word's full stop ends the sentence.
const STREET_TYPES =
  'Street|Avenue|Road|Boulevard|Lane|Drive|Court|Place|Way|Terrace|Circle|Parkway|Highway|Square|Close|Crescent|Row|Trail|Alley|' +
  '(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Pkwy|Hwy|Sq)\\b\\.?';
// English order: number, one to four capitalised words, street type; then optionally a unit,
// and a city when a US state and ZIP or a UK postcode follow (else it may be the next sentence).
const NUMBER_FIRST = new RegExp(
  `\\b\\d{1,5}[A-Za-z]?,? (?:(?:[NSEW]\\.? )?[A-Z][\\w'’.-]* ){1,4}(?:${STREET_TYPES})(?![\\w-])(?: [NS][EW]\\b)?` +
    `(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\\.? ?#?\\w{1,5})?` +
    `(?:, (?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+(?:,? [A-Z]{2} \\d{5}(?:-\\d{4})?|,? [A-Z]{1,2}\\d[A-Z\\d]? \\d[A-Z]{2}))?`,
  'g',
);
// German, Dutch and Scandinavian order: street name with its type fused on, then the number.
// The word is taken whole (the lookahead-and-backreference idiom) and its ending checked once,
// instead of trying every ending at every letter.
const NAME_FIRST = /\b[A-ZÄÖÜ](?=([A-Za-zÀ-ÖØ-öø-ÿ-]*))\1\.?(?<=straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|straat|laan|gracht|plein|gatan|vej|veien) \d{1,4}[a-z]?\b(?:, \d{4,5} [A-ZÄÖÜ][A-Za-zÀ-ÖØ-öø-ÿ-]+)?/g;
// Latin letters are spelled out below: \p{L} patterns are many times slower.
// French order: number, the street type in lower case, then its name.
const TYPE_FIRST = /\b\d{1,4}(?: bis| ter)?,? (?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai) (?:(?:de|du|des|la|le|les|de la|l'|d')\s?)?[A-ZÉÈ][A-Za-zÀ-ÖØ-öø-ÿ'’-]+(?: [A-ZÉÈ][A-Za-zÀ-ÖØ-öø-ÿ'’-]+){0,3}/g;
// Spanish, Italian and Portuguese order: street type, name, then the number.
const TYPE_NAME_NUMBER = /\b(?:Calle|Avenida|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|Rua|Travessa) (?:(?:del|de la|de|di|da|do|dos|della)\s)?[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’-]+(?: [A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’-]+){0,3},? \d{1,4}[a-z]?\b/g;
const PO_BOX = /\b(?:P\.? ?O\.? ?Box|Post Office Box|PO Box)\s+\d{1,6}\b/gi;

export function findAddresses(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of [NUMBER_FIRST, NAME_FIRST, TYPE_FIRST, TYPE_NAME_NUMBER, PO_BOX]) {
    for (const match of text.matchAll(pattern)) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind: 'address' });
    }
  }
  return spans;
}
