// What capture costs a chat page, per site, in real Chromium with the built extension:
//   A. the page's scripting time while a long reply streams, with and without the extension (A/B,
//      alternated per site), on a conversation of 200 turns;
//   B. the content script's own main-thread time per streamed token, on 20 and on 200 turns;
//   C. how long after the site's final signal the reaction prompt appears, and how long after
//      Enter the reason prompt appears.
// Run: npm run build && npm run bench   (BENCH_TOKENS, BENCH_RATE, BENCH_MUTATION_TOKENS,
// BENCH_SAMPLES override the defaults for quick runs). Figures go to bench/RESULTS.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Site } from '../utils/data/records';
import { CHROME_BUILD, chromiumOptions, findCard, startRecording } from '../tests/support/chromium';
import { loadExamples } from '../tests/support/data';
import { HOSTS, respond, type SiteConfig } from '../tests/support/site';
import { SITE_PAGES } from '../tests/support/sites';

const SITES: Site[] = (process.env.BENCH_SITES?.split(',') as Site[] | undefined) ?? ['chatgpt', 'claude', 'gemini'];
const TOKENS = Number(process.env.BENCH_TOKENS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 60);
const MUTATION_TOKENS = Number(process.env.BENCH_MUTATION_TOKENS ?? 1500);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);

const examples = loadExamples();
const allMessages = examples.flatMap((c) => c.messages);

/** `n` alternating turns from the real conversations, repeated as needed. */
function historyTurns(n: number): NonNullable<SiteConfig['history']> {
  const users = allMessages.filter((m) => m.type === 'user');
  const replies = allMessages.filter((m) => m.type === 'assistant');
  return Array.from({ length: n }, (_, i) => {
    const pool = i % 2 === 0 ? users : replies;
    return { type: i % 2 === 0 ? 'user' : 'assistant', content: pool[Math.floor(i / 2) % pool.length]!.content };
  });
}

/** A reply of exactly `tokens` whitespace-separated tokens from the real replies. */
function replyOf(tokens: number): string {
  const words = allMessages.filter((m) => m.type === 'assistant').flatMap((m) => m.content.split(/\s+/).filter(Boolean));
  return Array.from({ length: tokens }, (_, i) => words[i % words.length]).join(' ');
}

// Page-world probe: when Enter was pressed in the composer, and when the prompt iframe was
// inserted or turned to another card (a turn's card stays and changes from reason to reaction).
const PROBE = `
  window.__bench = { enterAt: [], prompts: [] };
  addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) __bench.enterAt.push(performance.now()); }, true);
  const card = (frame) => {
    if (frame.tagName !== 'IFRAME' || !String(frame.src).includes('card.html')) return;
    __bench.prompts.push({ kind: new URL(frame.src).searchParams.get('kind'), at: performance.now() });
  };
  const prompts = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') card(r.target);
      else for (const n of r.addedNodes) card(n);
    }
  });
  // At document start the root element may not exist yet.
  const watch = () => document.documentElement
    ? prompts.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] })
    : setTimeout(watch, 0);
  watch();
`;

async function launch(withExtension: boolean): Promise<{ context: BrowserContext; sites: Map<string, SiteConfig>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  const build = process.env.BENCH_EXTENSION_DIR ?? CHROME_BUILD;
  const context = await chromium.launchPersistentContext(dir, chromiumOptions(withExtension ? build : undefined));
  const sites = new Map<string, SiteConfig>();
  await context.route(/^https?:\/\//, (route) => {
    const url = new URL(route.request().url());
    if (!Object.values(HOSTS).includes(url.host)) return route.abort();
    return route.fulfill(respond(url.href, sites.get(url.pathname)));
  });
  if (withExtension) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await startRecording({ context, extensionId: new URL(worker.url()).host });
  }
  await context.addInitScript(PROBE);
  return { context, sites, close: async () => (await context.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function openChat(browser: Awaited<ReturnType<typeof launch>>, site: Site, turns: number): Promise<Page> {
  const url = SITE_PAGES[site].conversationUrl();
  browser.sites.set(new URL(url).pathname, { history: historyTurns(turns), hydrateDelayMs: 0, renderAll: true });
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.locator(SITE_PAGES[site].composer).waitFor();
  // Let hydration and the history record settle before measuring.
  await page.waitForTimeout(2500);
  return page;
}

async function send(page: Page, site: Site, text: string) {
  const composer = page.locator(SITE_PAGES[site].composer);
  await composer.fill(text);
  await composer.press('Enter');
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const streamReply = (page: Page, markdown: string, tokensPerSecond: number) =>
  page.evaluate(({ md, tps }) => (window as any).__chat.stream(md, { tokensPerSecond: tps }), { md: markdown, tps: tokensPerSecond });

/** A: the page's scripting and task time over one long streamed reply. */
async function scriptingRun(site: Site, withExtension: boolean) {
  const browser = await launch(withExtension);
  try {
    const page = await openChat(browser, site, 200);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await send(page, site, 'Summarise everything above, at length.');
    const before = await metrics(cdp);
    await streamReply(page, replyOf(TOKENS), RATE);
    await page.waitForTimeout(1500);
    const after = await metrics(cdp);
    if (withExtension) await findCard(page, 'reaction', 5000);
    return { script: after.ScriptDuration! - before.ScriptDuration!, task: after.TaskDuration! - before.TaskDuration! };
  } finally {
    await browser.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { url: string };
  hitCount?: number;
}

/** B: the content script's self time per streamed token, from a sampling CPU profile. */
async function perMutationRun(site: Site, turns: number) {
  const browser = await launch(true);
  try {
    const page = await openChat(browser, site, turns);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await send(page, site, 'Go on.');
    await cdp.send('Profiler.start');
    await streamReply(page, replyOf(MUTATION_TOKENS), RATE);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const ours = new Set(profile.nodes.filter((n) => n.callFrame.url.includes('/content-scripts/')).map((n) => n.id));
    let microseconds = 0;
    const byFunction = new Map<string, number>();
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((node, i) => {
      if (!ours.has(node)) return;
      microseconds += profile.timeDeltas[i] ?? 0;
      const frame = nodes.get(node)!.callFrame as { functionName?: string; lineNumber?: number; columnNumber?: number };
      const name = `${frame.functionName || '(anonymous)'}:${frame.columnNumber}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    if (process.env.BENCH_DEBUG) console.log(site, turns, [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12));
    return microseconds / MUTATION_TOKENS;
  } finally {
    await browser.close();
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** C: reason prompt after Enter, reaction prompt after the site's final signal. */
async function latencyRun(site: Site) {
  const browser = await launch(true);
  try {
    const page = await openChat(browser, site, 200);
    const reason: number[] = [];
    const reaction: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await send(page, site, `Question ${i}: and then?`);
      const frame = await findCard(page, 'reason');
      await frame.getByRole('textbox').press('Escape');
      await streamReply(page, replyOf(40), RATE);
      const reactionFrame = await findCard(page, 'reaction');
      const times = await page.evaluate(() => ({ ...(window as any).__bench, finishedAt: (window as any).__chat.finishedAt }));
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(times));
      const last = (kind: string) => times.prompts.findLast((p: { kind: string }) => p.kind === kind).at as number;
      const [reasonAt, reactionAt] = [last('reason'), last('reaction')];
      reason.push(reasonAt - times.enterAt.at(-1));
      reaction.push(reactionAt - times.finishedAt);
      await reactionFrame.getByRole('textbox').press('Escape');
      await page.waitForTimeout(200);
    }
    return { reason, reaction };
  } finally {
    await browser.close();
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

it('measures capture cost on every site', { timeout: 4 * 3600_000 }, async () => {
  const rows: string[] = [];
  const mutationRows: string[] = [];
  const latencyRows: string[] = [];
  for (const [index, site] of SITES.entries()) {
    // A/B, alternating which variant goes first from one site to the next.
    const order = index % 2 === 0 ? [true, false] : [false, true];
    const runs = new Map<boolean, { script: number; task: number }>();
    for (const withExtension of order) runs.set(withExtension, await scriptingRun(site, withExtension));
    const on = runs.get(true)!;
    const off = runs.get(false)!;
    rows.push(
      `| ${site} | ${order.map((w) => (w ? 'with' : 'without')).join(' → ')} | ${off.script.toFixed(2)} s | ${on.script.toFixed(2)} s | ${(((on.script - off.script) / off.script) * 100).toFixed(1)} % | ${off.task.toFixed(2)} s | ${on.task.toFixed(2)} s |`,
    );
    const small = await perMutationRun(site, 20);
    const large = await perMutationRun(site, 200);
    mutationRows.push(`| ${site} | ${small.toFixed(1)} µs | ${large.toFixed(1)} µs |`);
    const { reason, reaction } = await latencyRun(site);
    latencyRows.push(
      `| ${site} | ${ms(percentile(reaction, 50))} | ${ms(percentile(reaction, 95))} | ${ms(percentile(reason, 50))} | ${ms(percentile(reason, 95))} | ${reaction.length} |`,
    );
  }

  // BENCH_LABEL keeps a second run (e.g. a shorter one after a change) next to the full one.
  const heading = `## Capture cost on the chat page${process.env.BENCH_LABEL ? ` (${process.env.BENCH_LABEL})` : ''}`;
  const section = [
    heading,
    '',
    'Command: `npm run build && npm run bench` (Chromium, headless, built extension; fake sites from tests/fixtures).',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}. Reply: ${TOKENS} tokens at ${RATE} tokens/s, one DOM mutation per token, on a conversation of 200 turns already on the page.`,
    '',
    '### A. Page scripting time while the reply streams (CDP Performance.getMetrics, A/B in one run)',
    '',
    '| site | order | script, without | script, with | difference | all tasks, without | all tasks, with |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `### B. Content script main-thread time per streamed token (CPU profile self time, ${MUTATION_TOKENS} tokens)`,
    '',
    '| site | 20 turns on the page | 200 turns on the page |',
    '| --- | --- | --- |',
    ...mutationRows,
    '',
    '### C. Prompt latency (page clock: the card\'s iframe inserted or turned to that question, minus Enter or the site\'s final signal)',
    '',
    '| site | reaction p50 | reaction p95 | reason p50 | reason p95 | samples |',
    '| --- | --- | --- | --- | --- | --- |',
    ...latencyRows,
    '',
  ].join('\n');

  const path = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const pattern = new RegExp(`${heading.replace(/[()]/g, '\\$&')}\n[\\s\\S]*?(?=\n## |$)`);
  writeFileSync(path, pattern.test(previous) ? previous.replace(pattern, section) : `${previous.trimEnd()}\n\n${section}`);
  console.log(section);
  expect(rows).toHaveLength(SITES.length);
});
