import { browser, type Browser } from 'wxt/browser';
import * as z from 'zod/mini';
import { db } from '../data/db';
import { CARD_PORT, cardEventSchema, TAKE_FOCUS, type PlacedCard } from '../protocol/card';
import { onMessage, sendMessage } from '../protocol/messages';
import { backgroundRequests, studyRequests, type BackgroundRequest, type StudyRequest } from '../protocol/requests';
import { hasHostAccess, hasUploadAccess, releaseAccess } from '../study/access';
import { authorize, cardMay, conversationNamed, ForbiddenRequestError, senderRole, type Sender, type SenderRole } from './sender-policy';
import { createStore, InvalidRequestError } from './store';
import { studyStore } from './store/study';
import { createStudy } from './study';
import { collectorClient } from './study/client';
import { openConversations, placedCard } from './tabs';

/** The study's one alarm: its next upload attempt (utils/background/study/uploader.ts). */
const STUDY_ALARM = 'study';

// The background's message routing: every request is admitted by the sender policy (who may ask
// what), then validated and run by the store, the only writer. Cards are bound to the frame the
// browser says they are in; focus and card events go to the content script of that tab only.

type Admitted =
  | (Exclude<SenderRole, { role: 'card' }> & { placed: null })
  | (Extract<SenderRole, { role: 'card' }> & { placed: PlacedCard });

/** Starts the background: the store, every request's route, the cards' ports, install and shortcut handling. */
export function startBackground(): void {
  const store = createStore(db(), undefined, openConversations);
  const study = createStudy({
    store: studyStore({ db: db(), now: () => new Date(), openConversations }),
    client: collectorClient(),
    access: { hasHostAccess, hasUploadAccess, releaseAccess },
    alarm: {
      set: async (when) => void (await browser.alarms.create(STUDY_ALARM, { when })),
      clear: async () => void (await browser.alarms.clear(STUDY_ALARM)),
    },
  });
  const extensionUrl = browser.runtime.getURL('/');
  /**
   * The cards bound since this background started, by tab and frame, so a card's last words are
   * still taken once its tab's content script is gone (a draft flushed as the tab closes). A
   * restarted service worker asks the content script again.
   */
  const boundCards = new Map<string, PlacedCard>();

  /**
   * Who sent a request, and whether they may: content scripts only capture for their own site,
   * cards only act on their own message or conversation, extension pages do the rest.
   */
  async function admit(type: string, data: unknown, sender: Sender): Promise<Admitted> {
    const role = senderRole(sender, browser.runtime.id, extensionUrl);
    if (!role) throw new ForbiddenRequestError(`"${type}" from an unknown sender`);
    if (role.role !== 'card') {
      const named = role.role === 'content' ? conversationNamed(data) : null;
      authorize(role, type, data, named === null ? null : await store.siteOfConversation(named));
      return { ...role, placed: null };
    }
    const key = `${role.tabId}:${role.frameId}`;
    // "Which card am I" names the id the page was handed: always the content script's to answer.
    const named = type === 'whichCard' ? z.string().safeParse((data as { card?: unknown } | undefined)?.card) : null;
    const placed = named
      ? await placedCard(role.tabId, role.frameId, named.success ? named.data : undefined)
      : (boundCards.get(key) ?? (await placedCard(role.tabId, role.frameId)));
    if (!placed) throw new ForbiddenRequestError(`"${type}" from a frame that shows no card`);
    boundCards.set(key, placed);
    const { card } = placed;
    const conversationId =
      card.kind === 'task' ? card.conversationId
      : type === 'setConversationQuiet' ? await store.conversationOfMessage(card.messageId)
      : null;
    if (!cardMay(card, conversationId, type, data)) throw new ForbiddenRequestError(`A ${card.kind} card may not send "${type}" with this data`);
    return { ...role, placed };
  }

  // The only writer: every request is allowed by the sender policy, then validated by the store.
  for (const type of Object.keys(backgroundRequests) as BackgroundRequest[]) {
    onMessage(type, async ({ data, sender }) => {
      await admit(type, data, sender);
      const result = await store.handle(type, data);
      // A conversation approved for upload goes as soon as the study allows.
      if (type === 'setReviewState') void study.whenDue();
      return result as never;
    });
  }

  // Taking part in a study: the extension's own pages only (the sender policy), sent from here only.
  for (const type of Object.keys(studyRequests) as StudyRequest[]) {
    onMessage(type, async ({ data, sender }) => {
      await admit(type, data, sender);
      return study.handle(type, data);
    });
  }
  // The next attempt, or the watchdog of a run the service worker was stopped in; and whatever was
  // on its way when the background last stopped (the alarm may not survive a browser restart).
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === STUDY_ALARM) void study.whenDue();
  });
  void study.whenDue();

  // A frame the chat page made itself is no frame of the content script's: it learns nothing.
  onMessage('whichCard', async ({ data, sender }) => {
    const who = await admit('whichCard', data, sender).catch(() => null);
    return who?.role === 'card' ? { ...who.placed, tabId: who.tabId, frameId: who.frameId } : null;
  });

  // The card's events go to the content script of its own tab, named by the frame they came from.
  onMessage('cardEvent', async ({ data, sender }) => {
    const parsed = cardEventSchema.safeParse(data);
    if (!parsed.success) throw new InvalidRequestError(`Invalid "cardEvent" message: ${z.prettifyError(parsed.error)}`);
    const who = await admit('cardEvent', data, sender);
    if (who.role !== 'card') return;
    if (parsed.data.type === 'closed') boundCards.delete(`${who.tabId}:${who.frameId}`);
    await sendMessage('relayCardEvent', { ...parsed.data, frameId: who.frameId }, { tabId: who.tabId, frameId: 0 }).catch(() => undefined);
  });

  // The ports of bound cards, by tab and frame (see CARD_PORT).
  const cardPorts = new Map<string, Browser.runtime.Port>();
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== CARD_PORT) return;
    const role = senderRole(port.sender ?? {}, browser.runtime.id, extensionUrl);
    if (role?.role !== 'card') return port.disconnect();
    const key = `${role.tabId}:${role.frameId}`;
    cardPorts.set(key, port);
    port.onDisconnect.addListener(() => {
      if (cardPorts.get(key) === port) cardPorts.delete(key);
    });
  });

  // Focus reaches the card from here, never from the page, which could fake a window.postMessage.
  onMessage('focusCard', async ({ data, sender }) => {
    const who = await admit('focusCard', data, sender);
    const frameId = z.int().check(z.positive()).safeParse(data?.frameId);
    if (who.role !== 'content' || !frameId.success) return;
    cardPorts.get(`${who.tabId}:${frameId.data}`)?.postMessage(TAKE_FOCUS);
    await sendMessage('takeFocus', { tabId: who.tabId, frameId: frameId.data }).catch(() => undefined);
  });

  // First run: the welcome page says what is recorded; nothing is until the participant turns it on there.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
    else if (reason === 'update') void store.keepRecordingAfterUpdate();
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'focus-card') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id !== undefined) await sendMessage('focusOpenCard', undefined, tab.id).catch(() => false);
  });
}
