import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, packageVersion } from '../support/release';

// A store reviewer (and anyone) must be able to rebuild the very zip we upload. Two checkouts in
// different folders, built one after the other, must give byte-identical zips: no paths, times or
// file orders of the machine in them.

const run = promisify(execFile);
const copies: string[] = [];

/** A fresh checkout of what is committed or about to be (tracked and new files, not ignored ones), with the installed dependencies. */
async function checkout(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-release-checkout-'));
  copies.push(dir);
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The environment of a shell, without what Vitest sets for its own run (NODE_ENV=test would build React's development bundle). */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|NODE_ENV$|TEST$)/.test(name)));

/** `npm run zip` in `dir`: the Chrome zip, the Firefox zip and the Firefox sources zip. */
async function zipsOf(dir: string): Promise<Map<string, Buffer>> {
  const wxt = join(dir, 'node_modules/.bin/wxt');
  await run(wxt, ['zip'], { cwd: dir, env });
  await run(wxt, ['zip', '-b', 'firefox'], { cwd: dir, env });
  const out = join(dir, '.output');
  return new Map(readdirSync(out).filter((name) => name.endsWith('.zip')).map((name) => [name, readFileSync(join(out, name))]));
}

/** A zip's entries and their CRC-32s, from its central directory: what to name when two zips differ. */
function entries(zip: Buffer): Map<string, number> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  const found = new Map<string, number>();
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    found.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 16));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return found;
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('npm run zip', () => {
  it('builds byte-identical Chrome, Firefox and sources zips from two clean checkouts', async () => {
    const first = await zipsOf(await checkout());
    const second = await zipsOf(await checkout());
    const version = packageVersion();
    expect([...first.keys()].sort()).toEqual([`thoughttrace-${version}-chrome.zip`, `thoughttrace-${version}-firefox.zip`, `thoughttrace-${version}-sources.zip`]);
    for (const [name, zip] of first) {
      const again = second.get(name)!;
      if (zip.equals(again)) continue;
      const [a, b] = [entries(zip), entries(again)];
      const differing = [...new Set([...a.keys(), ...b.keys()])].filter((entry) => a.get(entry) !== b.get(entry));
      expect.fail(`${name} differs between two builds: ${differing.join(', ') || 'in its headers'}`);
    }
    // The sources zip rebuilds the extension: it holds the build's inputs and none of its outputs.
    const sources = [...entries(first.get(`thoughttrace-${version}-sources.zip`)!).keys()];
    for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'entrypoints/background.ts', 'packages/format/src/index.ts', 'assets/icon.svg', 'README.md', 'PRIVACY.md']) {
      expect(sources).toContain(needed);
    }
    expect(sources.filter((entry) => /^(\.output|\.wxt|node_modules|store\/screenshots)\//.test(entry) || entry.includes('/dist/'))).toEqual([]);
  });
});
