import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The chat sites (utils/sites/registry.ts): each content script's matches and the card's
// web-accessible-resource matches come from the same table.
import { ALL_SITE_MATCHES, SITES, siteMatches } from './utils/sites/registry';
import { FIREFOX_DATA_COLLECTION, STUDY_HOST_PERMISSIONS } from './utils/study/permissions';
import { zodWithoutEval } from './scripts/zod-without-eval';

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/i18n/module', '@wxt-dev/auto-icons'],
  // Every icon size from one drawing (Chrome uses 16/32/48/128, Firefox 48/96).
  autoIcons: { baseIconPath: 'assets/icon.svg', sizes: [128, 96, 48, 32, 16] },
  // The one catalogue of user-facing text; @wxt-dev/i18n writes it to _locales/<lang>/messages.json.
  // It lives under utils/ so the project's top level stays as it is (the module's default is <srcDir>/locales).
  i18n: { localesDir: fileURLToPath(new URL('./utils/locales', import.meta.url)) },
  // Workers are bundled on their own, with their own plugins: zod is rewritten there too.
  vite: () => ({ plugins: [tailwindcss(), zodWithoutEval()], worker: { plugins: () => [zodWithoutEval()] } }),
  zip: {
    // What Firefox Add-ons' reviewers need to rebuild the extension (README, "Releasing"), and
    // only files git tracks, so the sources zip is the same from any clean checkout.
    includeSources: [
      'assets/**',
      'components/**',
      'entrypoints/**',
      'public/**',
      'utils/**',
      'scripts/zod-without-eval.ts',
      'packages/format/package.json',
      'packages/format/tsconfig.json',
      'packages/format/src/**',
      // npm ci installs the whole workspace, so it needs the collector's package.json (not its code).
      'collector/package.json',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      'README.md',
      'PRIVACY.md',
      'CHANGELOG.md',
    ],
  },
  hooks: {
    // Each content script runs on exactly its registry row's pages, and every site has one.
    'build:manifestGenerated': (_wxt, manifest) => {
      const declared = (manifest.content_scripts ?? []).map((script) => [...(script.matches ?? [])].sort().join(' '));
      for (const site of SITES) {
        const expected = siteMatches(site).sort().join(' ');
        if (!declared.includes(expected)) throw new Error(`No content script matches ${expected} (utils/sites/registry.ts, row "${site}")`);
      }
      if (declared.length !== SITES.length) throw new Error(`${declared.length} content scripts for ${SITES.length} sites in utils/sites/registry.ts`);
      // Chrome refuses to load a manifest naming a message the catalogue lacks (Firefox shows the name).
      const catalogue = JSON.parse(readFileSync(new URL('./utils/locales/en.json', import.meta.url), 'utf8')) as Record<string, unknown>;
      const missing = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+?)__/g)].map((m) => m[1]!).filter((key) => !(key in catalogue));
      if (missing.length) throw new Error(`The manifest names messages missing from utils/locales/en.json: ${missing.join(', ')}`);
    },
  },
  manifest: ({ browser }) => ({
    default_locale: 'en',
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    // IndexedDB is the only store; unlimitedStorage keeps the browser from evicting thoughts under storage pressure.
    // alarms: a failed upload is retried when its backoff ends, even after the background was stopped.
    permissions: ['unlimitedStorage', 'alarms'],
    // A study's address, asked for only when the participant looks a study up, never at install:
    // https for real studies, plain http only on this machine's loopback (utils/study/permissions.ts).
    ...(browser === 'firefox'
      ? { optional_permissions: STUDY_HOST_PERMISSIONS }
      : { optional_host_permissions: STUDY_HOST_PERMISSIONS }),
    web_accessible_resources:
      browser === 'firefox'
        ? ['card.html']
        : // A per-session address for the card, so a page cannot tell from a fixed one that ThoughtTrace is installed.
          [{ resources: ['card.html'], matches: ALL_SITE_MATCHES, use_dynamic_url: true }],
    commands: {
      'focus-card': {
        suggested_key: { default: 'Alt+Shift+T' },
        description: '__MSG_commandFocusCard__',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'thoughttrace@thoughttrace.org',
              strict_min_version: '140.0',
              // Nothing is sent unless the participant joins a study; then Firefox asks, when they
              // agree to its consent, for what an upload carries (utils/study/access.ts).
              data_collection_permissions: { required: ['none'], optional: [...FIREFOX_DATA_COLLECTION] },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
