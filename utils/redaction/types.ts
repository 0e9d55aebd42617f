import { z } from 'zod';

// Order is specificity, most specific first: it breaks ties between overlapping suggestions of
// equal length (a dashed SSN is also phone-shaped; a card number can look like an ID).
export const SPAN_KINDS = [
  'secret',
  'card',
  'iban',
  'national_id',
  'email',
  'url',
  'ip',
  'phone',
  'address',
  'custom',
  'name',
  'place',
] as const;
export const spanKindSchema = z.enum(SPAN_KINDS);
export type SpanKind = z.infer<typeof spanKindSchema>;

/** A suggested redaction: `text.slice(start, end)`, offsets in UTF-16 code units. */
export const spanSchema = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    kind: spanKindSchema,
  })
  .refine((span) => span.end > span.start, { message: 'a span must not be empty' });
export type Span = z.infer<typeof spanSchema>;
/** Spans as stored or sent by other parts of the extension, checked before use. */
export const spansSchema = z.array(spanSchema);

export const findOptionsSchema = z.object({
  /** The participant's "always redact" words and phrases: case-insensitive, whole words. */
  custom: z.array(z.string()).default([]),
  /** Names and places need the slow NLP pass; a caller may skip it. */
  nlp: z.boolean().default(true),
  /** Only these kinds are suggested (all by default). */
  kinds: z.array(spanKindSchema).optional(),
});
export type FindOptions = z.input<typeof findOptionsSchema>;
