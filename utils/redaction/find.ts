import { z } from 'zod';
import { findAddresses } from './address';
import { findEmails, findPhones } from './contact';
import { findCustom } from './custom';
import { findCards, findIbans } from './financial';
import { findNamesAndPlaces } from './names';
import { findNationalIds } from './national-id';
import { findIps } from './network';
import { findSecrets } from './secret';
import { normalizeSpans } from './spans';
import { findOptionsSchema, type FindOptions, type Span, type SpanKind } from './types';
import { findUrls } from './url';

const PATTERN_DETECTORS: ReadonlyArray<readonly [SpanKind, (text: string) => Span[]]> = [
  ['secret', findSecrets],
  ['email', findEmails],
  ['url', findUrls],
  ['ip', findIps],
  ['card', findCards],
  ['iban', findIbans],
  ['national_id', findNationalIds],
  ['phone', findPhones],
  ['address', findAddresses],
];

/**
 * Redaction suggestions for one text: sorted, non-overlapping spans with UTF-16 offsets.
 * Overlaps resolve to one span over both, of the longer (then more specific) kind.
 */
export function findSpans(text: string, options?: FindOptions): Span[] {
  z.string().parse(text);
  const { custom, nlp, kinds } = findOptionsSchema.parse(options ?? {});
  const wanted = (kind: SpanKind) => !kinds || kinds.includes(kind);
  const spans: Span[] = [];
  for (const [kind, detect] of PATTERN_DETECTORS) {
    if (wanted(kind)) spans.push(...detect(text));
  }
  if (wanted('custom')) spans.push(...findCustom(text, custom));
  if (nlp && (wanted('name') || wanted('place'))) spans.push(...findNamesAndPlaces(text));
  return normalizeSpans(spans.filter((span) => wanted(span.kind)));
}
