import { z } from 'zod';
import { thoughtTraceConversationSchema } from './conversation.js';

// The collector's upload protocol, version 1 (collector/README.md). The extension and the server
// validate with these same schemas, so neither can drift from the other.

const line = (max: number) => z.string().trim().min(1).max(max);

/** Which consent text the participant agreed to; the study raises it whenever the text changes. */
export const consentVersionSchema = z.number().int().positive();

/** What a study limits per request; the extension splits its uploads to fit. */
export const studyLimitsSchema = z.strictObject({
  /** Most conversations one submission may carry. */
  maxBatchRecords: z.number().int().positive(),
  /** Largest request body, in bytes, before parsing. */
  maxBodyBytes: z.number().int().positive(),
});
export type StudyLimits = z.infer<typeof studyLimitsSchema>;

/** `GET /v1/study`: everything a participant is shown before they agree. */
export const studyManifestSchema = z.strictObject({
  /** Stable and URL-safe: the extension keys its enrolment by it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens'),
  name: line(200),
  researchers: z.array(line(200)).min(1),
  /** An email address or web page where participants reach the researchers. */
  contact: line(500),
  consent: z.strictObject({
    version: consentVersionSchema,
    /** Markdown, shown in full before enrolment. */
    text: line(100_000),
  }),
  /** What is collected, one plain-language item each ("the reasons you give for your prompts"). */
  collected: z.array(line(500)).min(1),
  /** How long uploads are kept and what happens then, in plain language. */
  retention: line(2000),
  limits: studyLimitsSchema,
});
export type StudyManifest = z.infer<typeof studyManifestSchema>;

/** `POST /v1/enrol`: the consent version the participant agreed to (it must be the current one). */
export const enrolmentRequestSchema = z.strictObject({
  consentVersion: consentVersionSchema,
});
export type EnrolmentRequest = z.infer<typeof enrolmentRequestSchema>;

/** Both random; the token is a secret bearer token that the server keeps only as a hash. */
export const enrolmentResponseSchema = z.strictObject({
  participantId: z.string().min(1),
  token: z.string().min(32),
});
export type EnrolmentResponse = z.infer<typeof enrolmentResponseSchema>;

/** `Authorization: Bearer <token>`, for participants and the admin alike. */
export const bearerHeadersSchema = z.object({
  authorization: z
    .string({ error: 'an Authorization header is required' })
    .regex(/^Bearer [A-Za-z0-9._~+/-]+=*$/, 'expected "Bearer <token>"'),
});
export const bearerToken = (headers: z.infer<typeof bearerHeadersSchema>) => headers.authorization.slice('Bearer '.length);

/**
 * `POST /v1/submissions`: a batch stored all or nothing. A conversation is keyed by its id within
 * the participant's own data, so sending it again replaces the earlier version.
 */
export const submissionRequestSchema = z
  .strictObject({
    consentVersion: consentVersionSchema,
    records: z.array(thoughtTraceConversationSchema).min(1),
  })
  .superRefine(({ records }, ctx) => {
    const seen = new Set<string>();
    records.forEach((record, i) => {
      if (seen.has(record.id)) {
        ctx.addIssue({ code: 'custom', path: ['records', i, 'id'], message: 'conversation id appears twice in this batch' });
      }
      seen.add(record.id);
    });
  });
export type SubmissionRequest = z.infer<typeof submissionRequestSchema>;

/** A study's own batch limit on top of the protocol's rules. */
export const submissionRequestSchemaFor = (limits: StudyLimits) =>
  submissionRequestSchema.refine((request) => request.records.length <= limits.maxBatchRecords, {
    path: ['records'],
    message: `at most ${limits.maxBatchRecords} conversations per submission`,
  });

/** What a submission did, conversation by conversation. */
export const submissionResponseSchema = z.strictObject({
  /** Conversations the collector did not have. */
  added: z.number().int().nonnegative(),
  /** Conversations it had in another version, now replaced. */
  replaced: z.number().int().nonnegative(),
  /** Conversations it already had exactly so. */
  unchanged: z.number().int().nonnegative(),
});
export type SubmissionResponse = z.infer<typeof submissionResponseSchema>;

/** `DELETE /v1/submissions/:conversationId`. */
export const conversationParamSchema = z.object({
  conversationId: z.string().min(1),
});

/** `DELETE /v1/participant` and `DELETE /v1/submissions/:conversationId`. */
export const deletionResponseSchema = z.strictObject({
  deletedConversations: z.number().int().nonnegative(),
});
export type DeletionResponse = z.infer<typeof deletionResponseSchema>;

export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'not_found',
  'consent_mismatch',
  'payload_too_large',
  'rate_limited',
  'internal',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Every 4xx and 5xx answer. `message` is for people; `code` is for the extension to act on. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: errorCodeSchema,
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
