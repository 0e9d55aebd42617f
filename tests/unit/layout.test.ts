// The layout's promises, checked on the import graph (madge reads it the way the bundler resolves
// it): no import cycles, and each folder imports only what may run where it runs.
import madge from 'madge';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

async function graph() {
  const result = await madge(['utils', 'components', 'entrypoints', 'packages/format/src', 'collector/src'], {
    baseDir: root,
    fileExtensions: ['ts', 'tsx'],
    tsConfig: { compilerOptions: { baseUrl: root, paths: { '@/*': ['./*'], '@thoughttrace/format': ['./packages/format/src/index.ts'] } } },
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  return result;
}

describe('the source tree', () => {
  it('has no import cycles', async () => {
    const result = await graph();
    expect(Object.keys(result.obj()).length).toBeGreaterThan(80);
    expect(result.circular()).toEqual([]);
  }, 60_000);

  it('keeps each part to what runs where it runs', async () => {
    const imports = (await graph()).obj();
    const from = (prefix: string) => Object.entries(imports).filter(([file]) => file.startsWith(prefix));
    const offending = (prefix: string, forbidden: RegExp) =>
      from(prefix).flatMap(([file, deps]) => deps.filter((dep) => forbidden.test(dep)).map((dep) => `${file} → ${dep}`));
    // What is injected into chat pages never reaches the database, the background or the pages' UI.
    expect(offending('utils/content/', /^(utils\/background\/|utils\/data\/db\.ts$|components\/)/)).toEqual([]);
    expect(offending('utils/sites/', /^(utils\/(background|content)\/|utils\/data\/db\.ts$|components\/)/)).toEqual([]);
    // The background and the data layer know no UI.
    expect(offending('utils/background/', /^(components|utils\/content)\//)).toEqual([]);
    expect(offending('utils/data/', /^(components|utils\/(content|background))\//)).toEqual([]);
    expect(offending('utils/protocol/', /^(components|utils\/(content|background))\//)).toEqual([]);
    // What pages and the background both know of a study (its address, its permissions).
    expect(offending('utils/study/', /^(components|utils\/(content|background))\//)).toEqual([]);
    // The format package stands alone: the collector and the extension import it, never the reverse.
    expect(offending('packages/format/', /^(utils|components|entrypoints|collector)\//)).toEqual([]);
    expect(offending('collector/', /^(utils|components|entrypoints)\//)).toEqual([]);
  }, 60_000);
});
