import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../utils/locales/en.json';
import {
  BUILDS,
  ROOT,
  SITE_ACCESS,
  chromeManifestSchema,
  firefoxManifestSchema,
  manifestOf,
  packageVersion,
  permissionsOf,
  pngSize,
  readJson,
  type Browser,
} from '../support/release';

const chrome = manifestOf('chrome');
const firefox = manifestOf('firefox');
const major = (version: string) => Number(version.split('.')[0]);

describe('the manifests', () => {
  it('hold only the keys and permissions our listing states (Chrome MV3, Firefox MV2)', () => {
    expect(chromeManifestSchema.safeParse(chrome).error?.issues ?? []).toEqual([]);
    expect(firefoxManifestSchema.safeParse(firefox).error?.issues ?? []).toEqual([]);
  });

  it('reach exactly the three chat sites without asking, and every other host only once asked', () => {
    for (const manifest of [chrome, firefox]) {
      expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
      const scripts = manifest.content_scripts as { matches: string[] }[];
      expect(scripts.flatMap((script) => script.matches).sort()).toEqual(SITE_ACCESS);
      // Host access granted at install: the content scripts' sites (Chrome's host_permissions may repeat them).
      const installed = [...((manifest.host_permissions as string[] | undefined) ?? []), ...(manifest.permissions as string[]).filter((p) => p.includes('://'))];
      for (const pattern of installed) expect(SITE_ACCESS).toContain(pattern);
    }
    // The card's page is reachable from the chat sites only (Chrome can say so; MV2 cannot).
    const resources = chrome.web_accessible_resources as { matches: string[] }[];
    for (const { matches } of resources) for (const pattern of matches) expect(SITE_ACCESS).toContain(pattern);
  });

  it('take their version from package.json', () => {
    expect(chrome.version).toBe(packageVersion());
    expect(firefox.version).toBe(packageVersion());
  });

  it('name Firefox versions that read data_collection_permissions (desktop 140, Android 142)', () => {
    const { gecko, gecko_android } = firefox.browser_specific_settings as {
      gecko: { strict_min_version: string; data_collection_permissions?: unknown };
      gecko_android: { strict_min_version: string };
    };
    expect(gecko.data_collection_permissions).toBeDefined();
    expect(major(gecko.strict_min_version)).toBeGreaterThanOrEqual(140);
    expect(major(gecko_android.strict_min_version)).toBeGreaterThanOrEqual(142);
  });

  it('justify every permission in store/permissions.md', () => {
    const justified = readFileSync(join(ROOT, 'store/permissions.md'), 'utf8');
    const missing = [...permissionsOf(chrome), ...permissionsOf(firefox)].filter((permission) => !justified.includes(`\`${permission}\``));
    expect(missing).toEqual([]);
  });

  it.each(['chrome', 'firefox'] as Browser[])('point %s at icons of the sizes they claim, and files that exist', (browser) => {
    const manifest = manifestOf(browser);
    for (const [size, path] of Object.entries(manifest.icons as Record<string, string>)) {
      expect(pngSize(readFileSync(join(BUILDS[browser], path)))).toEqual({ width: Number(size), height: Number(size) });
    }
    const action = (manifest.action ?? manifest.browser_action) as { default_popup: string };
    const background = manifest.background as { service_worker?: string; scripts?: string[] };
    const files = [action.default_popup, ...(background.scripts ?? [background.service_worker!]), ...(manifest.content_scripts as { js: string[] }[]).flatMap((s) => s.js)];
    for (const file of files) expect(existsSync(join(BUILDS[browser], file)), file).toBe(true);
  });
});

describe('the listing text', () => {
  const catalogue = en as Record<string, { message: string }>;

  it('uses the short description of store/ as the manifest description, within Chrome’s 132 characters', () => {
    const short = readFileSync(join(ROOT, 'store/description-short.txt'), 'utf8').trim();
    expect(catalogue.extDescription!.message).toBe(short);
    expect(short.length).toBeLessThanOrEqual(132);
    const built = readJson(join(BUILDS.chrome, '_locales/en/messages.json')) as Record<string, { message: string }>;
    expect(built.extDescription!.message).toBe(short);
  });

  it('has a long description within the stores’ limits that names the sites and the consent', () => {
    const long = readFileSync(join(ROOT, 'store/description-long.txt'), 'utf8');
    expect(long.length).toBeLessThanOrEqual(16_000);
    for (const words of ['ChatGPT', 'Claude', 'Gemini', 'consent', 'privacy']) expect(long.toLowerCase()).toContain(words.toLowerCase());
  });
});
