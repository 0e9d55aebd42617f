// Redaction suggestions and their arithmetic: pure functions, no browser APIs, safe anywhere.
export { findSpans, findSpansIn } from './find';
export { applySpans, createPlaceholders, valueKey, type PlaceholderMap } from './placeholders';
export { rebaseSpans } from './rebase';
export { normalizeSpans } from './spans';
export { findOptionsSchema, SPAN_KINDS, spanKindSchema, spanSchema, spansSchema, type FindOptions, type Span, type SpanKind } from './types';
export { stripUrlQueries } from './url';
