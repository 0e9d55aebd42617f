import { z } from 'zod';
import {
  deletionResponseSchema,
  enrolmentResponseSchema,
  errorBodySchema,
  studyManifestSchema,
  submissionResponseSchema,
  type DeletionResponse,
  type EnrolmentResponse,
  type ErrorCode,
  type StudyManifest,
  type SubmissionResponse,
} from '@thoughttrace/format';
import type { UploadError } from '../../data/study';
import { t } from '../../i18n';
import { utf8Bytes } from './batches';

// The collector's protocol v1 (collector/README.md), spoken from the background only. Every
// answer is validated with the format package's schemas: an answer of the wrong shape is a
// failure, never taken for a success.

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Why a request failed, for the uploader to act on and the participant to read. */
export type CollectorFailure =
  /** No answer: offline, the collector down, the connection cut. */
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; message: string }
  /** The collector answered with the protocol's error body. */
  | { kind: 'refused'; status: number; code: ErrorCode; message: string; retryAfterSeconds: number }
  /** An answer that is not the protocol's. */
  | { kind: 'invalid-answer'; status: number; message: string };

export class CollectorError extends Error {
  override name = 'CollectorError';
  constructor(readonly failure: CollectorFailure) {
    super(failure.message);
  }

  /** What the participant is shown, with the time it happened. */
  toUploadError(at: string): UploadError {
    const { failure } = this;
    return { kind: failure.kind, ...(failure.kind === 'refused' ? { code: failure.code } : {}), message: failure.message, at };
  }
}

/** No answer within 30 s, plus a second for every 64 KiB sent (a large batch on a slow uplink). */
export const requestTimeoutMs = (bodyBytes: number) => 30_000 + Math.ceil(bodyBytes / 65_536) * 1000;

const describe = (error: z.ZodError) => z.prettifyError(error).split('\n').slice(0, 4).join('; ');

export interface CollectorClient {
  manifest(base: string): Promise<StudyManifest>;
  enrol(base: string, consentVersion: number): Promise<EnrolmentResponse>;
  /** `body`: built by `submissionBody`, sent as it is. */
  submit(base: string, token: string, body: string, signal?: AbortSignal): Promise<SubmissionResponse>;
  deleteParticipant(base: string, token: string): Promise<DeletionResponse>;
}

export function collectorClient(fetchImpl: Fetch = (input, init) => fetch(input, init)): CollectorClient {
  async function request<T>(
    base: string,
    route: string,
    init: { method: string; token?: string; body?: string; signal?: AbortSignal },
    schema: z.ZodType<T>,
    okStatus: number,
  ): Promise<T> {
    const timeoutMs = requestTimeoutMs(init.body ? utf8Bytes(init.body) : 0);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${base}${route}`, {
        method: init.method,
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
        },
        body: init.body,
        signal,
        // Nothing of the browser's goes along: no cookies, no referrer, no cached answer.
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new CollectorError({ kind: 'timeout', message: t('studyErrorTimeout', [Math.round(timeoutMs / 1000)]) });
      if (init.signal?.aborted) throw error;
      throw new CollectorError({ kind: 'network', message: t('studyErrorUnreachable', [(error as Error).message]) });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CollectorError({ kind: 'invalid-answer', status: response.status, message: t('studyErrorNotJson', [response.status]) });
    }
    if (response.status === okStatus) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new CollectorError({ kind: 'invalid-answer', status: response.status, message: t('studyErrorNotProtocol', [describe(parsed.error)]) });
    }
    const failure = errorBodySchema.safeParse(json);
    if (!failure.success || response.status < 400) {
      throw new CollectorError({ kind: 'invalid-answer', status: response.status, message: t('studyErrorUnknownStatus', [response.status]) });
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new CollectorError({
      kind: 'refused',
      status: response.status,
      code: failure.data.error.code,
      message: failure.data.error.message,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0,
    });
  }

  return {
    manifest: (base) => request(base, '/v1/study', { method: 'GET' }, studyManifestSchema, 200),
    enrol: (base, consentVersion) =>
      request(base, '/v1/enrol', { method: 'POST', body: JSON.stringify({ consentVersion }) }, enrolmentResponseSchema, 201),
    submit: (base, token, body, signal) => request(base, '/v1/submissions', { method: 'POST', token, body, signal }, submissionResponseSchema, 200),
    deleteParticipant: (base, token) => request(base, '/v1/participant', { method: 'DELETE', token }, deletionResponseSchema, 200),
  };
}
