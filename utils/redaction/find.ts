import { z } from 'zod';
import { findAddresses } from './address';
import { findEmails, findPhones } from './contact';
import { findCustom } from './custom';
import { findCards, findIbans } from './financial';
import { findNamesAndPlacesIn } from './names';
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
  return findSpansIn([text], options)[0]!;
}

/**
 * `findSpans` for each of several texts (the messages and thoughts of a conversation, the lines
 * of a file): the same spans, found faster, because the names pass runs once for all of them.
 */
export function findSpansIn(texts: readonly string[], options?: FindOptions): Span[][] {
  z.array(z.string()).parse(texts);
  const { custom, nlp, kinds } = findOptionsSchema.parse(options ?? {});
  const wanted = (kind: SpanKind) => !kinds || kinds.includes(kind);
  const names = nlp && (wanted('name') || wanted('place')) ? findNamesAndPlacesIn(texts) : undefined;
  return texts.map((text, index) => {
    const spans: Span[] = [];
    for (const [kind, detect] of PATTERN_DETECTORS) {
      if (wanted(kind)) spans.push(...detect(text));
    }
    if (wanted('custom')) spans.push(...findCustom(text, custom));
    if (names) spans.push(...names[index]!);
    return normalizeSpans(spans.filter((span) => wanted(span.kind)));
  });
}
