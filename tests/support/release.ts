import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ALL_SITE_MATCHES } from '../../utils/sites/registry';

// What the release tests share: where the builds are, and what a manifest of ours may say.

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILDS = { chrome: join(ROOT, '.output/chrome-mv3'), firefox: join(ROOT, '.output/firefox-mv2') } as const;
export type Browser = keyof typeof BUILDS;

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
export const manifestOf = (browser: Browser) => readJson(join(BUILDS[browser], 'manifest.json')) as Record<string, unknown>;
export const packageVersion = () => (readJson(join(ROOT, 'package.json')) as { version: string }).version;

/** Every file under `dir`, as paths relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG' || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/*
 * The manifests as our listing promises them. Chromium's own parser is the authority on what a
 * manifest may hold (tests/release/chromium.test.ts loads the build in developer mode and reads its
 * manifest errors), and web-ext lint is Firefox's; these schemas add what no general schema knows:
 * which keys we use, least privilege, no code from elsewhere. A new key or permission fails here
 * until it is added with a reason (and a line in store/permissions.md).
 */

/** An https page pattern of one host (no wildcard host, no other scheme). */
const sitePattern = z.string().regex(/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/);
const localFile = z.string().regex(/^[\w./-]+$/).refine((path) => !path.includes('..') && !path.startsWith('//'), 'a file inside the extension');
const message = z.string().regex(/^__MSG_\w+__$/, 'a catalogue message, so it is translated');
const icons = z.record(z.enum(['16', '32', '48', '96', '128']), localFile);
/** Everything an extension page loads comes from the extension itself. */
const csp = z.string().refine((policy) => !/unsafe-eval|unsafe-inline|https?:|\*/.test(policy), 'no eval, inline code or other origins');
const commands = z.record(
  z.string(),
  z.strictObject({ suggested_key: z.strictObject({ default: z.string() }).optional(), description: message }),
);
const contentScripts = z
  .array(z.strictObject({ matches: z.array(sitePattern).min(1), js: z.array(localFile).min(1), run_at: z.enum(['document_idle', 'document_end', 'document_start']), css: z.array(localFile).optional() }))
  .min(1);
/** The permissions we use; each has its reason in store/permissions.md. */
const apiPermission = z.enum(['unlimitedStorage', 'alarms']);
/** Optional host access is asked for at run time (a study's address), never granted at install. */
const optionalHost = z.string().regex(/^https?:\/\/[^/]+\/\*$/).refine((pattern) => pattern !== '<all_urls>');

export const chromeManifestSchema = z.strictObject({
  manifest_version: z.literal(3),
  name: message,
  description: message,
  version: z.string().regex(/^\d+(\.\d+){0,3}$/),
  default_locale: z.literal('en'),
  icons,
  permissions: z.array(apiPermission),
  optional_permissions: z.array(apiPermission).optional(),
  host_permissions: z.array(sitePattern).optional(),
  optional_host_permissions: z.array(optionalHost).optional(),
  web_accessible_resources: z.array(z.strictObject({ resources: z.array(localFile), matches: z.array(sitePattern), use_dynamic_url: z.boolean().optional() })),
  commands,
  background: z.strictObject({ service_worker: localFile, type: z.literal('module').optional() }),
  action: z.strictObject({ default_title: z.string(), default_popup: localFile, default_icon: icons.optional() }),
  content_scripts: contentScripts,
  content_security_policy: z.strictObject({ extension_pages: csp }).optional(),
  minimum_chrome_version: z.string().regex(/^\d+$/).optional(),
});

/** Firefox's kinds of data (extensionworkshop.com, "Firefox built-in consent for data collection"). */
const dataType = z.enum([
  'personallyIdentifyingInfo',
  'healthInfo',
  'financialAndPaymentInfo',
  'authenticationInfo',
  'personalCommunications',
  'locationInfo',
  'browsingActivity',
  'websiteContent',
  'websiteActivity',
  'searchTerms',
  'bookmarksInfo',
]);

export const firefoxManifestSchema = z.strictObject({
  manifest_version: z.literal(2),
  name: message,
  description: message,
  version: z.string().regex(/^\d+(\.\d+){0,3}$/),
  default_locale: z.literal('en'),
  icons,
  // Manifest V2 lists host access here too: only a study's address, and only as optional.
  permissions: z.array(apiPermission),
  optional_permissions: z.array(z.union([apiPermission, optionalHost])).optional(),
  web_accessible_resources: z.array(localFile),
  commands,
  browser_specific_settings: z.strictObject({
    gecko: z.strictObject({
      id: z.string().regex(/^[\w.-]+@[\w.-]+$/),
      strict_min_version: z.string().regex(/^\d+\.\d+$/),
      data_collection_permissions: z.strictObject({
        required: z.union([z.tuple([z.literal('none')]), z.array(dataType).min(1)]),
        optional: z.array(z.union([dataType, z.literal('technicalAndInteraction')])).optional(),
      }),
    }),
    gecko_android: z.strictObject({ strict_min_version: z.string().regex(/^\d+\.\d+$/) }),
  }),
  background: z.strictObject({ scripts: z.array(localFile).min(1), persistent: z.literal(false).optional() }),
  browser_action: z.strictObject({ default_title: z.string(), default_popup: localFile, default_icon: icons.optional() }),
  content_scripts: contentScripts,
  content_security_policy: csp.optional(),
});

/** The pages the extension may read and change without asking again: exactly the three chat sites. */
export const SITE_ACCESS = [...ALL_SITE_MATCHES].sort();

/**
 * Every permission a manifest asks for, as the store names it: API permissions, host patterns
 * (content-script matches grant access to their pages too), optional ones.
 */
export function permissionsOf(manifest: Record<string, unknown>): string[] {
  const strings = (value: unknown) => (Array.isArray(value) ? (value as string[]) : []);
  const scripts = (manifest.content_scripts ?? []) as { matches: string[] }[];
  return [
    ...new Set([
      ...strings(manifest.permissions),
      ...strings(manifest.optional_permissions),
      ...strings(manifest.host_permissions),
      ...strings(manifest.optional_host_permissions),
      ...scripts.flatMap((script) => script.matches),
    ]),
  ];
}
