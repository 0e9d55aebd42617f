import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../utils/data/records';
import { configSchema } from '../../collector/src/config.js';
import { startCollector, type RunningCollector } from '../../collector/src/server.js';
import { allowSiteInBrowserSettings, answerCard, findCard, launchChromium, sendPrompt, stream, type ChromiumSession } from '../support/chromium';
import { pngSize } from '../support/release';
import { SITE_PAGES } from '../support/sites';

// The store listings' screenshots, made by every end-to-end run from the built extension, so
// they always show the current UI: 1280×800 (what both stores take), into store/screenshots/
// (not committed: see store/README.md). The card on each site's stand-in page, then the
// extension's own pages.

const OUT = fileURLToPath(new URL('../../store/screenshots/', import.meta.url));
const SIZE = { width: 1280, height: 800 };
const DRESS = readFileSync(fileURLToPath(new URL('../fixtures/store/screenshots.css', import.meta.url)), 'utf8');

/** A turn on each site, caught with its card open: what it asks, and what the participant is writing. */
const CARD_SHOTS: {
  file: string;
  site: Site;
  title: string;
  history: { type: 'user' | 'assistant'; content: string }[];
  prompt: string;
  reason: string;
  /** A reply to stream and the reaction being written, for a shot of the reaction card. */
  reply?: { markdown: string; reaction: string };
  label: string;
  /** After a shot of the reason card, the rest of the turn, so the review page has it whole. */
  after?: { markdown: string; reaction: string };
}[] = [
  {
    file: '1-chatgpt-reason.png',
    site: 'chatgpt',
    title: 'Comparing two job offers',
    history: [
      { type: 'user', content: 'I have two job offers: a startup and a large bank. Help me compare them.' },
      { type: 'assistant', content: 'Happy to help. The main trade-offs are **salary and stability** against **equity and scope**. What matters most to you right now?' },
    ],
    prompt: 'Stability matters more, but I want to keep learning. Make me a table of the trade-offs.',
    reason: 'I need something concrete to discuss with my partner tonight, and a table is easy to share.',
    label: 'Task Motivation & Goal',
    after: {
      markdown: '| | Startup | Bank |\n| --- | --- | --- |\n| Stability | Lower | Higher |\n| Learning | Broad, fast | Deep, structured |\n| Pay | Equity | Salary and bonus |',
      reaction: 'Clear, but it ignores the commute, which matters a lot to us.',
    },
  },
  {
    file: '2-claude-reaction.png',
    site: 'claude',
    title: 'Cover letter in 150 words',
    history: [],
    prompt: 'Shorten this cover letter to 150 words and keep the part about volunteering.',
    reason: 'The application form has a strict word limit.',
    reply: {
      markdown:
        'Here is a 148-word version:\n\nDear Ms Patel,\n\nI am applying for the Community Programmes Coordinator role. For three years I have organised weekend food-bank shifts for forty volunteers, which taught me to plan under pressure and to keep people motivated.\n\nIn my current role at Northside Library I run the adult learning timetable and its budget…',
      reaction: 'Good length, but it dropped the numbers from my last job. I will ask it to put them back.',
    },
    label: 'Partial Satisfaction',
  },
  {
    file: '3-gemini-reason.png',
    site: 'gemini',
    title: 'A houseplant for a dark flat',
    history: [
      { type: 'user', content: 'What is a good first houseplant for a dark flat?' },
      { type: 'assistant', content: 'A **ZZ plant** or a **snake plant**: both cope with low light and forget-me watering.' },
    ],
    prompt: 'Which of the two is safe with cats?',
    reason: 'I forgot to mention my cat, and that changes the answer.',
    label: 'Context Grounding & Constraints',
    after: {
      markdown: 'The **ZZ plant** is mildly toxic to cats; the **snake plant** too. A **parlour palm** is safe and also copes with low light.',
      reaction: 'Useful: I had not thought of a third option.',
    },
  },
];

/**
 * The extension's own pages, one line each: the file, the page, a text to wait for, and texts
 * that must have gone (work in progress) before the shot.
 */
const PAGE_SHOTS: { file: string; page: string; ready: string; gone?: string[] }[] = [
  { file: '4-review.png', page: 'review.html', ready: 'Which of the two is safe with cats?', gone: ['Looking for personal details'] },
  { file: '5-welcome.png', page: 'welcome.html', ready: 'Try it: a one-minute demo' },
];

/** A study as researchers would describe it, served by the reference collector, for the consent screen's shot. */
const STUDY = {
  id: 'everyday-ai-use',
  name: 'How people think while they chat with AI assistants',
  researchers: ['Human-AI Interaction Lab, Example University'],
  contact: 'thoughttrace-study@example.edu',
  consent: {
    version: 1,
    text: [
      '## What you are asked to do',
      '',
      'Use ChatGPT, Claude or Gemini as you usually do for four weeks, and note why you send a prompt and what you think of the reply when ThoughtTrace asks. Once a week, review your conversations and approve the ones you are happy to share.',
      '',
      '## Your choices',
      '',
      '- Only the conversations you approve are sent, with your redactions applied.',
      '- You can pause at any time, and withdraw without giving a reason; withdrawing can delete everything you sent.',
    ].join('\n'),
  },
  collected: ['the conversations you approve, with the reasons and reactions you wrote', 'your answers to the two task questions', 'your optional profile (age range, education, occupation)'],
  retention: "Kept for the study's analysis, then deleted two years after the study ends; anonymised excerpts may appear in publications.",
};

let session: ChromiumSession;
let collector: RunningCollector;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  session = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), 'tt-shots-'));
  collector = await startCollector(
    configSchema.parse({ study: STUDY, adminToken: 'screenshot-admin-token-long-enough-0123456789', database: join(dir, 'collector.sqlite'), port: 0 }),
  );
});
afterAll(async () => {
  await session?.close();
  await collector?.close();
});

async function newPage(): Promise<Page> {
  const page = await session.context.newPage();
  await page.setViewportSize(SIZE);
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  return page;
}

async function shoot(page: Page, file: string) {
  const png = await page.screenshot({ path: `${OUT}${file}`, animations: 'disabled' });
  expect(pngSize(png)).toEqual(SIZE);
}

describe('the store screenshots', () => {
  it.each(CARD_SHOTS)('$file: the card on $site', async ({ file, site, title, history, prompt, reason, reply, label, after }) => {
    const url = SITE_PAGES[site].conversationUrl();
    session.sites.set(new URL(url).pathname, { history, title });
    const page = await newPage();
    await page.goto(url);
    await page.locator(SITE_PAGES[site].composer).waitFor();
    // The conversation so far is on the page (a site may show it only after its composer) before the new prompt goes.
    if (history[0]) await page.getByText(history[0].content).first().waitFor();
    await page.addStyleTag({ content: DRESS });
    await sendPrompt(page, prompt, site);
    let card = await findCard(page, 'reason');
    if (reply) {
      await answerCard(page, 'reason', reason);
      await stream(page, reply.markdown);
      card = await findCard(page, 'reaction');
    }
    const dialog = card.getByRole('dialog');
    await dialog.getByRole('textbox').fill(reply?.reaction ?? reason);
    await dialog.getByRole('button', { name: label }).click();
    // The chip's description shows under the chips while the pointer is on it, as a participant sees it.
    await dialog.getByRole('button', { name: label }).hover();
    await shoot(page, file);
    // The turn goes on as a participant's would, for the review page's shot.
    await dialog.getByRole('textbox').press('Control+Enter');
    if (after) {
      await stream(page, after.markdown);
      await answerCard(page, 'reaction', after.reaction);
    }
    await page.close();
  });

  it.each(PAGE_SHOTS)('$file: $page', async ({ file, page: path, ready, gone = [] }) => {
    const page = await newPage();
    await page.goto(`chrome-extension://${session.extensionId}/${path}`);
    await page.getByText(ready).first().waitFor();
    for (const text of gone) await page.getByText(text).first().waitFor({ state: 'hidden' });
    await shoot(page, file);
    await page.close();
  });

  it("6-consent.png: a study's consent screen", async () => {
    await allowSiteInBrowserSettings(session, 'http://127.0.0.1/*');
    const page = await newPage();
    await page.goto(`chrome-extension://${session.extensionId}/review.html#study`);
    await page.getByLabel('Study address').fill(collector.url);
    await page.getByRole('button', { name: 'Look up the study' }).click();
    await page.getByText('What you are asked to do').waitFor();
    await shoot(page, '6-consent.png');
    await page.close();
  });
});
