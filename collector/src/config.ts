import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { studyLimitsSchema, studyManifestSchema, type StudyManifest } from '@thoughttrace/format';

/** An exact origin: scheme and host, no path and no wildcard (collector/README.md, "CORS"). */
const originSchema = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/*\s]+$/, 'an exact origin such as chrome-extension://<extension id>, no path, no wildcard');

export const configSchema = z.strictObject({
  /** What `GET /v1/study` tells participants, less the limits. */
  study: studyManifestSchema.omit({ limits: true }),
  limits: studyLimitsSchema.default({ maxBatchRecords: 100, maxBodyBytes: 8 * 1024 * 1024 }),
  /** Requests per participant token (enrolment: per client address) in each window. */
  rateLimit: z
    .strictObject({ requests: z.number().int().positive(), windowSeconds: z.number().int().positive() })
    .default({ requests: 120, windowSeconds: 60 }),
  allowedOrigins: z.array(originSchema).default([]),
  /** Bearer token for `GET /v1/admin/export`; long so it cannot be guessed. */
  adminToken: z
    .string({ error: 'set COLLECTOR_ADMIN_TOKEN (or adminToken in the file)' })
    .min(32, 'the admin token must be at least 32 characters'),
  /** A SQLite file path, or a postgres:// URL. */
  database: z.string().min(1).default('collector.sqlite'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
});
export type CollectorConfig = z.infer<typeof configSchema>;

export const manifestOf = (config: CollectorConfig): StudyManifest => ({ ...config.study, limits: config.limits });

/** Environment variables that override the file, so secrets need not be written into it. */
function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  if (env.COLLECTOR_ADMIN_TOKEN) overrides.adminToken = env.COLLECTOR_ADMIN_TOKEN;
  if (env.DATABASE_URL) overrides.database = env.DATABASE_URL;
  if (env.COLLECTOR_ALLOWED_ORIGINS) {
    overrides.allowedOrigins = env.COLLECTOR_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  }
  if (env.HOST) overrides.host = env.HOST;
  if (env.PORT) overrides.port = Number(env.PORT);
  return overrides;
}

export class ConfigError extends Error {}

/** Reads the JSON file (if any), applies the environment, and validates the result. */
export function loadConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  let file: unknown = {};
  if (path) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
    }
  }
  const parsed = configSchema.safeParse({ ...(file as object), ...fromEnvironment(env) });
  if (!parsed.success) throw new ConfigError(`invalid configuration${path ? ` in ${path}` : ''}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
