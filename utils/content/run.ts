import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { browser } from 'wxt/browser';
import { installAnnotate } from './annotate-button';
import { Capture } from './capture';
import { onMessage, sendMessage } from '../protocol/messages';
import { pageReport } from './page-status';
import { CardHost, type CardChannel } from './card-host';
import type { SiteAdapter } from '../sites/types';

/**
 * The card page, reached through the extension. Chrome serves it at a per-session address under
 * `use_dynamic_url`, which runtime.getURL returns for it; the page loaded there has the
 * extension's own origin, which getURL('/') gives.
 */
const cardChannel: CardChannel = {
  pageUrl: (path) => browser.runtime.getURL(path as '/'),
  focusCard: (frameId) => void sendMessage('focusCard', { frameId }).catch(() => undefined),
  handOver: (frame, message) => frame.contentWindow?.postMessage(message, new URL(browser.runtime.getURL('/')).origin),
};

/** Wires one site's adapter to the capture engine, the prompt and the popup, for one tab. */
export function runContentScript(ctx: ContentScriptContext, adapter: SiteAdapter): void {
  const controller = new AbortController();
  ctx.onInvalidated(() => controller.abort());
  const name = adapter.site;
  const avoid = () => adapter.composerArea(document);
  const card = new CardHost(document, cardChannel, controller.signal, avoid);
  let reported = false;

  const capture = new Capture(
    adapter,
    document,
    {
      recordMessage: (data) => sendMessage('recordMessage', data),
      recordHistory: (data) => sendMessage('recordHistory', data),
      updateConversation: (data) => sendMessage('updateConversation', data),
      askThought: (messageId, kind, thenReaction, element) => card.show({ messageId, kind, thenReaction, anchor: element }),
      endTurn: () => card.endTurn(),
      left: (conversationId) => void askTaskQuestions(conversationId),
      reportError(error) {
        if (reported) return;
        reported = true;
        console.error(`[ThoughtTrace] capture on ${name} failed:`, error);
      },
      reportSiteChanged(what, selectors) {
        console.warn(
          `[ThoughtTrace] ${name} changed: nothing matches the ${what} (${selectors.join(' | ')}). Capture is paused on this page.`,
        );
      },
      reportDegraded(what) {
        console.warn(`[ThoughtTrace] ${name} changed: capture goes on without the ${what.join(', ')}.`);
      },
    },
    controller.signal,
  );
  const messageFor = (element: Element) => capture.messageFor(element);

  /** After moving to another page of the site: the task questions of the conversation left, if they are due. */
  const askTaskQuestions = (conversationId: string) =>
    showTaskQuestions(sendMessage('leftConversation', { conversationId }).then((due) => (due ? conversationId : null)));

  async function showTaskQuestions(asking: Promise<string | null>) {
    const conversationId = await asking.catch(() => null);
    if (conversationId && !controller.signal.aborted) card.show({ kind: 'task', conversationId });
  }

  capture.start();
  // Every listener goes when the content script is invalidated (the extension updated or reloaded).
  const listening = [onMessage('openConversation', () => capture.conversation)];
  // A conversation of this site left by closing its tab is asked about on the site's next chat page.
  if (capture.status.kind === 'conversation') void showTaskQuestions(sendMessage('taskQuestionsOnReturn', { site: adapter.site }));
  // Annotating a message is the participant's own request: shown whatever "ask less" says.
  installAnnotate({ doc: document, messageFor, open: (request) => card.show(request), avoid, signal: controller.signal });
  ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => capture.onNavigate(new URL(newUrl)));

  listening.push(
    onMessage('focusOpenCard', () => card.focus()),
    onMessage('relayCardEvent', ({ data }) => card.receive(data)),
    onMessage('cardAt', ({ data }) => card.placedAt(data.frameId, data.card)),
    onMessage('getPageReport', () => pageReport(adapter, capture.status, document)),
  );
  controller.signal.addEventListener('abort', () => listening.forEach((remove) => remove()));
  // The default shortcut also works where the browser does not deliver extension commands; the
  // page's own scripts cannot press it for the participant.
  ctx.addEventListener(
    window,
    'keydown',
    (event) => {
      if (event.isTrusted && event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyT' && card.focus()) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    { capture: true },
  );
}
