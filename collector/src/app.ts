import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { getConnInfo } from '@hono/node-server/conninfo';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
import {
  bearerHeadersSchema,
  bearerToken,
  conversationParamSchema,
  enrolmentRequestSchema,
  submissionRequestSchemaFor,
  type DeletionResponse,
  type EnrolmentResponse,
  type SubmissionResponse,
} from '@thoughttrace/format';
import { manifestOf, type CollectorConfig } from './config.js';
import { errorResponse } from './errors.js';
import { RateLimiter } from './rate-limit.js';
import type { Storage } from './storage/storage.js';
import { hashToken, newParticipantId, newToken, sameSecret } from './tokens.js';

type Env = { Variables: { participantId: string } };

/** Validation failures answer 400 with every problem zod found, by path. */
const validate = <T extends z.ZodType>(target: 'json' | 'param', schema: T) =>
  zValidator(target, schema, (result, c) => {
    if (!result.success) return errorResponse(c, 400, 'invalid_request', z.prettifyError(result.error));
  });

/** The bearer token a request presents, or why it presents none. */
function presentedToken(c: Context): { token: string } | { problem: string } {
  const headers = bearerHeadersSchema.safeParse({ authorization: c.req.header('authorization') });
  return headers.success ? { token: bearerToken(headers.data) } : { problem: z.prettifyError(headers.error) };
}

/** The collector's HTTP API (collector/README.md). */
export function createApp(config: CollectorConfig, storage: Storage) {
  const manifest = manifestOf(config);
  const limiter = new RateLimiter(config.rateLimit.requests, config.rateLimit.windowSeconds * 1000);
  const app = new Hono<Env>();

  const limit = (c: Context, key: string) => {
    const wait = limiter.take(key);
    if (wait === 0) return undefined;
    c.header('Retry-After', String(wait));
    return errorResponse(c, 429, 'rate_limited', `too many requests; try again in ${wait} s`);
  };

  const consentMismatch = (c: Context, agreed: number) =>
    errorResponse(
      c,
      409,
      'consent_mismatch',
      `the study's consent is at version ${manifest.consent.version}, not ${agreed}: show the participant the current text (GET /v1/study) and ask again`,
    );

  /** Resolves the bearer token to its participant, then counts the request against that participant. */
  const participant: MiddlewareHandler<Env> = async (c, next) => {
    const presented = presentedToken(c);
    if ('problem' in presented) return errorResponse(c, 401, 'unauthorized', presented.problem);
    const id = await storage.participantByTokenHash(hashToken(presented.token));
    if (!id) return errorResponse(c, 401, 'unauthorized', 'unknown or withdrawn participant token');
    const limited = limit(c, `participant:${id}`);
    if (limited) return limited;
    c.set('participantId', id);
    await next();
  };

  const admin: MiddlewareHandler<Env> = async (c, next) => {
    const presented = presentedToken(c);
    if ('problem' in presented) return errorResponse(c, 401, 'unauthorized', presented.problem);
    if (!sameSecret(presented.token, config.adminToken)) {
      return errorResponse(c, 401, 'unauthorized', 'not the admin token');
    }
    const limited = limit(c, 'admin');
    if (limited) return limited;
    await next();
  };

  /** Enrolment has no token yet: it is counted per client address instead. */
  const byAddress: MiddlewareHandler<Env> = async (c, next) => {
    const limited = limit(c, `address:${getConnInfo(c).remote.address ?? 'unknown'}`);
    if (limited) return limited;
    await next();
  };

  // Nothing past this reads more than the study allows; a Content-Length over it is refused unread.
  const sizeLimit = bodyLimit({
    maxSize: config.limits.maxBodyBytes,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `request body over ${config.limits.maxBodyBytes} bytes`),
  });

  // First, so that error answers carry the CORS headers too and the extension can read them.
  app.use(
    '*',
    cors({
      origin: config.allowedOrigins,
      allowMethods: ['GET', 'POST', 'DELETE'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );

  app.get('/v1/study', (c) => c.json(manifest));

  app.post('/v1/enrol', byAddress, sizeLimit, validate('json', enrolmentRequestSchema), async (c) => {
    const { consentVersion } = c.req.valid('json');
    if (consentVersion !== manifest.consent.version) return consentMismatch(c, consentVersion);
    const enrolment: EnrolmentResponse = { participantId: newParticipantId(), token: newToken() };
    await storage.enrol({ id: enrolment.participantId, tokenHash: hashToken(enrolment.token), consentVersion });
    return c.json(enrolment, 201);
  });

  app.post(
    '/v1/submissions',
    participant,
    sizeLimit,
    validate('json', submissionRequestSchemaFor(config.limits)),
    async (c) => {
      const { consentVersion, records } = c.req.valid('json');
      if (consentVersion !== manifest.consent.version) return consentMismatch(c, consentVersion);
      const counts: SubmissionResponse = await storage.submit(
        c.get('participantId'),
        consentVersion,
        // The parsed record, not the request text: keys in the release's order, nothing unknown.
        records.map((record) => ({ id: record.id, line: JSON.stringify(record), createdAtMs: Date.parse(record.created_at) })),
      );
      return c.json(counts);
    },
  );

  app.delete(
    '/v1/submissions/:conversationId',
    participant,
    validate('param', conversationParamSchema),
    async (c) => {
      const { conversationId } = c.req.valid('param');
      const deletedConversations = await storage.deleteConversation(c.get('participantId'), conversationId);
      // Someone else's conversation looks exactly like one that does not exist.
      if (deletedConversations === 0) return errorResponse(c, 404, 'not_found', 'you have no conversation with this id');
      return c.json({ deletedConversations } satisfies DeletionResponse);
    },
  );

  app.delete('/v1/participant', participant, async (c) => {
    const deletedConversations = await storage.deleteParticipant(c.get('participantId'));
    return c.json({ deletedConversations } satisfies DeletionResponse);
  });

  app.get('/v1/admin/export', admin, async (c) => {
    const lines = await storage.exportLines();
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${manifest.id}.jsonl"`);
    return c.body(lines.length ? `${lines.join('\n')}\n` : '');
  });

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no ${c.req.method} ${c.req.path} here`));
  app.onError((error, c) => {
    // Hono's own 4xx (malformed JSON, for one) keep their status and message.
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status, error.status === 413 ? 'payload_too_large' : 'invalid_request', error.message);
    }
    console.error(error);
    return errorResponse(c, 500, 'internal', 'the collector failed; nothing from this request was stored');
  });

  return app;
}
