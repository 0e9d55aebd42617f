import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { type Site, type ThoughtTraceConversation } from '../../utils/data/records';
import * as chromium from '../support/chromium';
import { thoughtsOf, parseExport } from '../support/data';
import * as firefox from '../support/firefox';
import { SITE_PAGES } from '../support/sites';

// The chat site's own scripts must never read a participant's thoughts. A spy installed in the
// page's main world before the site loads (as the site's first script could be) logs every key,
// input, clipboard, focus and message event, every DOM mutation, and finally scans the whole DOM,
// open shadow roots, reachable frames and the page's storage. Not one 12-character piece of a
// thought may appear in anything it gathered, while the thoughts do reach the export and the spy
// demonstrably sees what is typed into the site's own composer.

/**
 * Runs in the chat page's main world before any of the site's scripts. Self-contained: it is
 * serialized into the page. Everything it gathers goes into `window.__spy`, one string per entry,
 * tab-separated: `ev` (events), `mo` (mutations), `scan` (DOM and storage scans).
 */
function pageSpy(): void {
  // Only the chat page itself: the test runner may also inject into subframes.
  if (window !== window.top || location.protocol !== 'https:') return;
  const w = window as any;
  if (w.__spy) return;
  const log: string[] = [];
  w.__spy = log;
  const line = (parts: unknown[]) => parts.map((part) => String(part)).join('\t');
  const push = (...parts: unknown[]) => void log.push(line(parts));
  const json = (value: unknown) => {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  };

  /** What a keylogger would note about an event's target. */
  const describeTarget = (target: EventTarget | null): string => {
    const t = target as any;
    if (!t || typeof t.nodeName !== 'string') return String(t);
    const bits: string[] = [t.nodeName];
    if (typeof t.value === 'string') bits.push(`value=${t.value}`);
    if (t.isContentEditable) bits.push(`text=${t.textContent}`);
    if (typeof t.src === 'string' && t.src) bits.push(`src=${t.src}`);
    if (typeof t.title === 'string' && t.title) bits.push(`title=${t.title}`);
    return bits.join(' ');
  };

  const TYPES = [
    'keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'compositionstart', 'compositionupdate',
    'compositionend', 'paste', 'copy', 'cut', 'change', 'focusin', 'message',
  ];
  const recorder = (where: string) => (event: Event) => {
    const e = event as any;
    if (e.key !== undefined) push('ev', where, e.type, 'key', e.key);
    if (e.type === 'message') push('ev', where, e.type, 'message', json(e.data), e.origin);
    else if (e.data !== undefined && e.data !== null) push('ev', where, e.type, 'data', e.data);
    if (e.inputType) push('ev', where, e.type, 'inputType', e.inputType);
    const transfer = e.clipboardData ?? e.dataTransfer;
    if (transfer) push('ev', where, e.type, 'transfer', transfer.getData('text/plain'));
    push('ev', where, e.type, 'target', describeTarget(e.target));
    const path = typeof e.composedPath === 'function' ? (e.composedPath() as EventTarget[]) : [];
    if (path[0] && path[0] !== e.target) push('ev', where, e.type, 'origin-target', describeTarget(path[0]));
  };
  for (const type of TYPES) {
    window.addEventListener(type, recorder('window'), true);
    document.addEventListener(type, recorder('document'), true);
  }

  const observe = (root: Node) =>
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === 'childList') {
          m.addedNodes.forEach((n) => push('mo', 'added', n.nodeType === 1 ? (n as Element).outerHTML : n.textContent));
          m.removedNodes.forEach((n) => push('mo', 'removed', n.textContent));
        } else if (m.type === 'attributes') {
          push('mo', 'attr', m.attributeName, (m.target as Element).getAttribute(m.attributeName ?? ''), m.oldValue);
        } else {
          push('mo', 'text', m.target.textContent, m.oldValue);
        }
      }
    }).observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeOldValue: true,
      characterDataOldValue: true,
    });
  observe(document);

  // A site can wrap attachShadow to see every shadow root created with the page's own DOM API,
  // closed ones included.
  const shadowRoots: ShadowRoot[] = [];
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
    const root = attachShadow.call(this, init);
    shadowRoots.push(root);
    observe(root);
    return root;
  };

  /** Scans everything the page can reach now; returns how many strings it found. */
  w.__spyScan = async (label: string): Promise<number> => {
    const found: string[] = [];
    const add = (...parts: unknown[]) => void found.push(line(['scan', label, ...parts]));
    const seen = new Set<Node>();
    const walk = (node: Node) => {
      if (seen.has(node)) return;
      seen.add(node);
      if (node.nodeType === 3 || node.nodeType === 4 || node.nodeType === 8) add('text', node.nodeValue);
      if (node.nodeType === 1) {
        const el = node as any;
        for (const attr of Array.from(el.attributes as NamedNodeMap)) add('attr', attr.name, attr.value);
        if (typeof el.value === 'string') add('value', el.value);
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el.content instanceof DocumentFragment) walk(el.content);
        if (/^(IFRAME|FRAME|OBJECT|EMBED)$/.test(el.tagName)) {
          try {
            const doc = el.contentDocument ?? el.contentWindow?.document ?? null;
            add('frame', doc ? 'reached' : 'no-document', el.src ?? el.data);
            if (doc) walk(doc);
          } catch (error) {
            add('frame', 'blocked', el.src ?? el.data, String(error));
          }
        }
      }
      node.childNodes.forEach(walk);
    };
    walk(document);
    shadowRoots.forEach(walk);
    for (let i = 0; i < window.frames.length; i++) {
      try {
        walk(window.frames[i]!.document);
      } catch (error) {
        add('window.frames', i, 'blocked', String(error));
      }
    }
    add('innerText', document.body?.innerText);
    add('title', document.title);
    add('url', location.href);
    add('history.state', json(history.state));
    add('window.name', window.name);
    add('selection', String(getSelection()));
    add('cookie', document.cookie);
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) add('storage', storage.key(i), storage.getItem(storage.key(i)!));
    }
    // The page origin's IndexedDB: anything written there from the page is readable by the site.
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    for (const info of (await indexedDB.databases?.()) ?? []) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await request(db.transaction(store, 'readonly').objectStore(store).getAll());
        add('indexeddb', info.name, store, json(rows));
      }
      db.close();
    }
    log.push(...found);
    return found.length;
  };
}

const SPY = `(${pageSpy.toString()})();`;

/** Random letters and digits, so that no 12-character piece of a thought is anything else on the page. */
const random = () => Math.random().toString(36).slice(2, 10).toUpperCase();

function scenario() {
  return {
    prompt: `COMPOSER-${random()} which snacks travel well on a long hike?`,
    reply: `Trail mix, **dried fruit** and hard cheese keep well. ${random()}`,
    reason: `SECRET-REASON-${random()} my knee surgery is next week ${random()}`,
    reaction: `SECRET-REACTION-${random()} I would never tell my doctor ${random()}`,
  };
}

/** Every 12-character piece of `text` (case-insensitive), found in any of `haystack`. */
function pieces(text: string, haystack: string[]): string[] {
  const needles = new Set<string>();
  const lower = text.toLowerCase();
  for (let i = 0; i + 12 <= lower.length; i++) needles.add(lower.slice(i, i + 12));
  if (lower.length < 12) needles.add(lower);
  const hits: string[] = [];
  for (const entry of haystack) {
    const low = entry.toLowerCase();
    const needle = [...needles].find((n) => low.includes(n));
    if (needle) {
      const at = low.indexOf(needle);
      hits.push(`"${needle}" in: …${entry.slice(Math.max(0, at - 60), at + 72)}…`);
      if (hits.length >= 5) break;
    }
  }
  return hits;
}

/**
 * The spy's entries plus what a keylogger would assemble from them: the keys of each event type,
 * and the `data` of each input-like event type, joined in order.
 */
function gathered(entries: string[]) {
  const streams = new Map<string, string>();
  for (const entry of entries) {
    const [source, where, type, field, ...rest] = entry.split('\t');
    if (source !== 'ev' || (field !== 'key' && field !== 'data')) continue;
    const value = rest.join('\t');
    if (field === 'key' && [...value].length !== 1) continue;
    const id = `ev\t${where}\t${type}\t${field}-stream`;
    streams.set(id, (streams.get(id) ?? '') + value);
  }
  const joined = [...streams].map(([id, text]) => `${id}\t${text}`);
  return {
    all: [...entries, ...joined],
    events: [...entries.filter((e) => e.startsWith('ev\t')), ...joined],
    mutations: entries.filter((e) => e.startsWith('mo\t')),
    scans: entries.filter((e) => e.startsWith('scan\t')),
  };
}

function expectPrivate(entries: string[], s: ReturnType<typeof scenario>) {
  const spy = gathered(entries);
  // The spy works: it saw the participant type into the site's own composer, in the events it
  // heard, the mutations it observed, and the DOM it scanned.
  expect(pieces(s.prompt, spy.events), 'the spy heard no composer typing').not.toEqual([]);
  expect(pieces(s.prompt, spy.mutations), 'the spy observed no composer text').not.toEqual([]);
  expect(pieces(s.prompt, spy.scans), 'the DOM scan found no composer text').not.toEqual([]);
  // And none of the thoughts, not even a piece.
  expect(pieces(s.reason, spy.all), 'the site read the reason').toEqual([]);
  expect(pieces(s.reaction, spy.all), 'the site read the reaction').toEqual([]);
  // Nor what the card did (its size, that it was touched, how it closed): that goes through the background.
  const cardMessages = entries.filter((e) => e.startsWith('ev\t') && e.split('\t')[3] === 'message' && /thoughttrace-prompt|"card":|"outcome":/.test(e));
  expect(cardMessages, 'the site heard the card').toEqual([]);
}

/** The thoughts did reach the extension: the export has both, on the right messages. */
function expectExported(jsonl: string, s: ReturnType<typeof scenario>) {
  const conversations: ThoughtTraceConversation[] = parseExport(jsonl);
  const chat = conversations.find((c) => c.messages[0]?.content === s.prompt);
  expect(chat, 'the conversation was not exported').toBeDefined();
  expect(chat!.messages.map((m) => thoughtsOf(m).map((t) => t.content))).toEqual([[s.reason], [s.reaction]]);
}

describe('Chromium', () => {
  let session: chromium.ChromiumSession;
  beforeAll(async () => {
    session = await chromium.launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  const scan = (page: ChromiumPage, label: string) => page.evaluate((l) => (window as any).__spyScan(l) as Promise<number>, label);

  it.each(['chatgpt', 'claude'] as const)('%s: the page sees none of the thoughts', async (site: Site) => {
    const s = scenario();
    const page = await session.context.newPage();
    await page.addInitScript({ content: SPY });
    await page.goto(SITE_PAGES[site].conversationUrl());
    await page.locator(SITE_PAGES[site].composer).waitFor();

    await chromium.sendPrompt(page, s.prompt, site);
    // The reason is typed key by key, left long enough for its draft to be saved, and the page
    // scanned while it is still in the box.
    const frame = await chromium.findCard(page, 'reason');
    const box = frame.getByRole('dialog').getByRole('textbox');
    await box.click();
    await box.pressSequentially(s.reason);
    await page.waitForTimeout(600);
    expect(await scan(page, 'draft')).toBeGreaterThan(0);
    await box.press('Control+Enter');
    await chromium.cardClosed(page, frame, 'reason');

    await page.evaluate((md) => (window as any).__chat.stream(md), s.reply);
    await chromium.answerCard(page, 'reaction', s.reaction);
    expect(await scan(page, 'saved')).toBeGreaterThan(0);
    const entries = await page.evaluate(() => (window as any).__spy as string[]);
    await page.close();

    expectExported(await chromium.exportJsonl(session), s);
    expectPrivate(entries, s);
  });
});

describe('Firefox', () => {
  let session: firefox.FirefoxSession;
  beforeAll(async () => {
    session = await firefox.launchFirefox();
  });
  afterAll(async () => {
    await session?.close();
  });

  const scan = (page: FirefoxPage, label: string) => page.evaluate((l) => (window as any).__spyScan(l) as Promise<number>, label);

  it.each(['chatgpt', 'claude'] as const)('%s: the page sees none of the thoughts', async (site: Site) => {
    const s = scenario();
    const page = await session.newChatPage();
    await page.evaluateOnNewDocument(SPY);
    await page.goto(SITE_PAGES[site].conversationUrl());
    await page.waitForSelector(SITE_PAGES[site].composer);

    await firefox.sendPrompt(page, s.prompt, site);
    const frame = await firefox.findCard(page, 'reason');
    const box = await frame.waitForSelector('[role="dialog"] textarea');
    await box!.click();
    await box!.type(s.reason);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await scan(page, 'draft')).toBeGreaterThan(0);
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    await firefox.cardClosed(page, frame, 'reason');

    await page.evaluate((md) => (window as any).__chat.stream(md), s.reply);
    await firefox.answerCard(page, 'reaction', s.reaction);
    expect(await scan(page, 'saved')).toBeGreaterThan(0);
    const entries = await page.evaluate(() => (window as any).__spy as string[]);
    await page.close();

    expectExported(await firefox.exportJsonl(session), s);
    expectPrivate(entries, s);
  });
});
