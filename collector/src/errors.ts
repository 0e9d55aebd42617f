import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '@thoughttrace/format';

/** Every failure answers with the protocol's error body. */
export const errorResponse = (c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string) =>
  c.json({ error: { code, message } } satisfies ErrorBody, status);
