import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto', './tests/support/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // The browsers share two cores; one file at a time keeps runs steady.
          fileParallelism: false,
          // A real browser under heavy load now and then misses a key press by its deadline; a
          // test that fails twice is a real failure.
          retry: 1,
        },
      },
      {
        // What the stores check before a listing, on the built extension (`npm run build` first):
        // manifests, lint, no code from strings, Chromium loading it, zips that build the same twice.
        test: {
          name: 'release',
          include: ['tests/release/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // After the other projects: it builds twice and lints, which would slow the browser tests.
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The collector server against real SQLite and PostgreSQL (bash .ci/postgres starts one).
        test: {
          name: 'collector',
          include: ['tests/collector/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Not part of `npm test`: run with `npm run bench`, figures in bench/RESULTS.md.
        test: {
          name: 'bench',
          include: ['bench/**/*.bench.test.ts'],
          environment: 'node',
          testTimeout: 4 * 3600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
