// Measures what ThoughtTrace ships: the script injected into chat pages (minified and gzip), each
// build, and the store zips when `npm run zip` made them. Run after `npm run build` (or `npm run
// zip`): `node bench/sizes.mjs`. Rewrites its section of bench/RESULTS.md.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const output = join(root, '.output');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = [];
for (const build of ['chrome-mv3', 'firefox-mv2']) {
  const dir = join(output, build);
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run npm run build first`);
  const files = filesUnder(dir);
  const total = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const gzip = files.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  for (const file of files.filter((f) => f.includes('content-scripts'))) {
    const bytes = readFileSync(file);
    rows.push(`| ${build} | injected into the chat page: \`${file.slice(dir.length + 1)}\` | ${kb(bytes.length)} | ${kb(gzipSync(bytes, { level: 9 }).length)} |`);
  }
  rows.push(`| ${build} | whole build (${files.length} files) | ${kb(total)} | ${kb(gzip)} (sum of files) |`);
}
// The zips are compressed already: their size is what a store and a participant download.
for (const zip of readdirSync(output).filter((name) => name.endsWith('.zip')).sort()) {
  rows.push(`| zip | \`${zip}\` | | ${kb(statSync(join(output, zip)).size)} (deflate) |`);
}

const section = [
  '## Sizes',
  '',
  'Command: `npm run zip && node bench/sizes.mjs` (`npm run zip` builds too)',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| build | what | minified | gzip -9 |',
  '| --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');

const resultsPath = join(root, 'bench', 'RESULTS.md');
const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '# Benchmark results\n\n';
const next = /## Sizes\n[\s\S]*?(?=\n## |$)/.test(previous)
  ? previous.replace(/## Sizes\n[\s\S]*?(?=\n## |$)/, section)
  : `${previous.trimEnd()}\n\n${section}`;
writeFileSync(resultsPath, next);
console.log(section);
