// @floating-ui/dom, the maintained successor of Popper: it keeps the prompt beside its message
// through scrolling, resizing and layout shifts (autoUpdate), flips and shifts it within the
// space clear of the composer, and tells when the message is scrolled out of view. Hand-rolled
// positioning would have to relearn each of these edge cases.
import { autoUpdate, computePosition, flip, hide, offset, shift } from '@floating-ui/dom';
import { pageText } from './page-text';
import { CARD_HEIGHTS, CARD_PAGE, type Card, type CardHandover, type CloseOutcome, type PlacedCard, type RelayedCardEvent } from '../protocol/card';
import { clearRegion, GAP, viewportOf, visibleBox, type Box } from './placement';
import { looksDark } from '../theme';

type Request = Card & {
  /** The message's turn on the page: the prompt sits beside it while it is mounted and in view. */
  anchor?: Element | null;
  /** The participant asked for this prompt (annotating a message): it takes focus once loaded. */
  focus?: boolean;
  /** A reason asked at the start of a turn whose reply will be asked about too: the card stays for it. */
  thenReaction?: boolean;
};

const TITLES = {
  reason: 'cardFrameTitleReason',
  reaction: 'cardFrameTitleReaction',
  waiting: 'cardFrameTitleWaiting',
  task: 'cardFrameTitleTask',
} as const;
const ANNOUNCEMENTS = {
  reason: 'cardAnnounceReason',
  reaction: 'cardAnnounceReaction',
  task: 'cardAnnounceTask',
} as const;

/** Where the prompt goes when it has no message in view: the top-right corner. */
const PINNED = { top: 72, right: 16 };
/** The prompt's width (the frame's CSS width is min(380px, 100vw - 32px)). */
const WIDTH = 380;
/** The least height worth showing the prompt in; less than the card's height scrolls within it. */
const MIN_HEIGHT = 160;

/**
 * The card on screen. `id` is handed to its page only, and is what the page names when it first
 * asks the background about itself; `frameId` is the browser's id of the frame that did (see
 * `placedAt`); `touched`: the participant has interacted with it, so nothing replaces it.
 */
type OpenCard = Request & { touched: boolean; id: string; frameId: number | null };

/**
 * Where the host stands, like Capture's phases:
 * - `idle`: no card, nothing queued;
 * - `open`: a card is shown; `next` takes its place once it closes (it came while the card was
 *   touched, or while the tab was hidden, and then as soon as the participant comes back);
 * - `waiting`: no card shown while the tab is hidden; `next` opens when the participant comes back;
 * - `task-queued`: no card shown, only task questions due, shown when the tab is in view.
 * `task` holds task questions that arrived while a turn's card was shown or due: they never
 * displace a turn's card, and open once nothing else is due.
 */
type HostState =
  | { name: 'idle' }
  | { name: 'open'; card: OpenCard; next: Request | null; task: Request | null }
  | { name: 'waiting'; next: Request; task: Request | null }
  | { name: 'task-queued'; task: Request };

/** What the host needs of the extension to place its card and reach it. */
export interface CardChannel {
  /** An extension page's address (runtime.getURL). */
  pageUrl(path: string): string;
  /** Asks the background to give the keyboard to the card in frame `frameId`. */
  focusCard(frameId: number): void;
  /**
   * Hands a card's id to the page loaded in `frame`, by a message only that window receives, and
   * only while it is the extension's page (postMessage at the extension's origin).
   */
  handOver(frame: HTMLIFrameElement, message: CardHandover): void;
}

/**
 * Shows the thought prompt in an extension-page iframe beside the message it is about, or pinned
 * to the top-right corner when that message is not in view; never over the composer. One card
 * at a time: a new request replaces a card nobody has touched, and otherwise waits until the
 * open one is saved or skipped.
 *
 * A turn interrupts at most once: the card that asks for the reason stays, as a slim "waiting
 * for the reply" strip once answered, and turns into the reaction question when the reply ends.
 * Closing the strip declines that turn's reaction.
 */
export class CardHost {
  private frame: HTMLIFrameElement | null = null;
  private state: HostState = { name: 'idle' };
  /** The participant closed this turn's card before its reply ended: its reaction is not asked. */
  private declined = false;
  private returnFocusTo: Element | null = null;
  private liveRegion: HTMLElement | null = null;
  /** The open card kind's height; the frame is shorter where space is short. */
  private cardHeight = 0;
  /** Focus the prompt as soon as its page can take it (until it says it was touched). */
  private focusWhenReady = false;
  private stopFollowing: (() => void) | null = null;
  /** The composer area being watched, to notice when the site replaces it. */
  private followedArea: Element | null = null;

  constructor(
    private readonly doc: Document,
    private readonly extension: CardChannel,
    signal: AbortSignal,
    /** The composer's area (editor and send button), which the prompt never covers. */
    private readonly avoid: () => Element | null = () => null,
  ) {
    doc.addEventListener(
      'visibilitychange',
      () => {
        const state = this.state;
        if (doc.hidden || (state.name === 'open' && state.card.touched)) return;
        if (state.name === 'task-queued') return this.open(state.task);
        const next = this.takeNext();
        if (next) this.open(next);
      },
      { signal },
    );
    signal.addEventListener('abort', () => {
      this.remove();
      this.liveRegion?.remove();
    });
  }

  /** The card on screen, if any. */
  private get current(): OpenCard | null {
    return this.state.name === 'open' ? this.state.card : null;
  }

  /** The turn's card due after the open one (or on coming back), taken off the queue; queued task questions stay. */
  private takeNext(): Request | null {
    const state = this.state;
    if (state.name === 'open' && state.next) {
      this.state = { ...state, next: null };
      return state.next;
    }
    if (state.name !== 'waiting') return null;
    this.state = state.task ? { name: 'task-queued', task: state.task } : { name: 'idle' };
    return state.next;
  }

  /** Keeps `request` for when the open card closes or the participant comes back. */
  private queue(request: Request): void {
    const state = this.state;
    if (state.name === 'open' || state.name === 'waiting') this.state = { ...state, next: request };
    else this.state = { name: 'waiting', next: request, task: state.name === 'task-queued' ? state.task : null };
  }

  /** Task questions queued, if any. */
  private get queuedTask(): Request | null {
    return this.state.name === 'idle' ? null : this.state.task;
  }

  show(request: Request): void {
    if (request.kind === 'reason' && !request.focus) this.declined = false;
    if (request.kind === 'reaction' && !request.focus && this.declined) {
      this.declined = false;
      return;
    }
    // Asked again about the open prompt's message (annotating it): keep it, and focus it if asked.
    const current = this.current;
    if (current && !this.doc.hidden && cardKey(current) === cardKey(request)) {
      if (request.anchor && request.anchor !== current.anchor) {
        current.anchor = request.anchor;
        this.follow();
      }
      if (request.focus) {
        this.focusWhenReady = !current.touched;
        this.focus();
      }
      return;
    }
    const state = this.state;
    if (request.kind === 'task' && (state.name === 'open' || state.name === 'waiting')) {
      this.state = { ...state, task: request };
      return;
    }
    if (request.kind === 'task' && this.doc.hidden) {
      this.state = { name: 'task-queued', task: request };
      return;
    }
    // A reply that finished in a background tab is asked about when the participant comes back;
    // a card being answered is never replaced.
    if (this.doc.hidden || this.current?.touched) return this.queue(request);
    this.open(request);
  }

  /** The turn ended without its reply being asked about: the card waiting for it goes. */
  endTurn(): void {
    this.declined = false;
    const state = this.state;
    if ((state.name === 'open' || state.name === 'waiting') && state.next?.kind === 'waiting') this.takeNext();
    if (this.current?.kind === 'waiting') this.close(null);
  }

  /** Moves keyboard focus into the open prompt (the focus shortcut); the card then focuses its first field. */
  focus(): boolean {
    if (!this.frame) return false;
    const active = this.doc.activeElement;
    if (active !== this.frame) this.returnFocusTo = active;
    this.frame.focus();
    if (this.current?.frameId) this.extension.focusCard(this.current.frameId);
    return true;
  }

  /**
   * The open card, if the browser's frame `frameId` is its page; the background asks on behalf of
   * that frame. The first frame to name the card's `id` is its page from then on: only the page
   * the id was handed to can name it.
   */
  placedAt(frameId: number, id?: string): PlacedCard | null {
    const current = this.current;
    if (!current) return null;
    if (id !== undefined && id === current.id && current.frameId === null) current.frameId = frameId;
    if (current.frameId !== frameId || (id !== undefined && id !== current.id)) return null;
    const card: Card = current.kind === 'task' ? { kind: 'task', conversationId: current.conversationId } : { kind: current.kind, messageId: current.messageId };
    return { id: current.id, card };
  }

  /** Shows `request` in the open card's frame, or in a new one. Its address names no card: only a theme hint. */
  private open(request: Request): void {
    const id = crypto.randomUUID();
    const url = new URL(this.extension.pageUrl(CARD_PAGE));
    url.searchParams.set('theme', looksDark(this.doc) ? 'dark' : 'light');
    const reused = this.frame;
    const frame = reused ?? this.doc.createElement('iframe');
    frame.src = url.href;
    frame.title = pageText(TITLES[request.kind]);
    const state = this.state;
    const card: OpenCard = { ...request, touched: false, id, frameId: null };
    const task = request.kind === 'task' ? null : this.queuedTask;
    this.state = { name: 'open', card, next: state.name === 'open' ? state.next : null, task };
    this.cardHeight = CARD_HEIGHTS[request.kind];
    this.focusWhenReady = Boolean(request.focus);
    if (request.kind !== 'waiting') this.announce(pageText(ANNOUNCEMENTS[request.kind]));
    if (reused) {
      this.follow();
      return;
    }
    // Fixed and outside the site's layout: the page never reflows because of it.
    frame.style.cssText = [
      'position:fixed',
      'top:72px',
      'right:16px',
      'width:min(380px, calc(100vw - 32px))',
      'height:0',
      'border:0',
      'margin:0',
      'padding:0',
      'z-index:2147483647',
      'background:transparent',
      'color-scheme:normal',
      'border-radius:14px',
    ].join(';');
    frame.setAttribute('allowtransparency', 'true');
    // The page just loaded in the frame learns its card's id; the chat page never sees it. (A load
    // event the page fakes hands it again to the same window, or to nobody.)
    frame.addEventListener('load', () => {
      if (frame === this.frame && this.current) this.extension.handOver(frame, { source: 'thoughttrace-host', card: this.current.id });
    });
    this.doc.documentElement.append(frame);
    this.frame = frame;
    this.follow();
  }

  /** Screen readers hear that a prompt opened; the text never includes anything the participant wrote. */
  private announce(text: string): void {
    if (!this.liveRegion?.isConnected) {
      this.liveRegion = this.doc.createElement('div');
      this.liveRegion.setAttribute('role', 'status');
      this.liveRegion.style.cssText =
        'position:fixed;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px;padding:0;border:0';
      this.doc.documentElement.append(this.liveRegion);
    }
    this.liveRegion.textContent = text;
  }

  private remove(): void {
    this.stopFollowing?.();
    this.stopFollowing = null;
    this.followedArea = null;
    this.frame?.remove();
    this.frame = null;
    const state = this.state;
    if (state.name === 'open') {
      this.state =
        state.next ? { name: 'waiting', next: state.next, task: state.task }
        : state.task ? { name: 'task-queued', task: state.task }
        : { name: 'idle' };
    }
    this.cardHeight = 0;
    this.focusWhenReady = false;
  }

  /** Keeps the prompt placed as the page scrolls, resizes or shifts: beside its message, or pinned. */
  private follow(): void {
    this.stopFollowing?.();
    const frame = this.frame!;
    const anchor = this.current?.anchor;
    const area = (this.followedArea = this.avoid());
    const update = () => void this.place(frame);
    const stops: (() => void)[] = [];
    if (anchor?.isConnected) {
      stops.push(autoUpdate(anchor, frame, update));
    } else {
      const win = this.doc.defaultView!;
      win.addEventListener('resize', update);
      stops.push(() => win.removeEventListener('resize', update));
      update();
    }
    // The composer moves and grows too (a new chat's drops to the bottom; long prompts grow it).
    if (area) stops.push(autoUpdate(area, frame, update, { ancestorScroll: false, ancestorResize: false }));
    this.stopFollowing = () => stops.forEach((stop) => stop());
  }

  /**
   * Beside or below the message (flipping above or to its left where there is no room), within
   * the viewport minus the composer; pinned top-right while the message is unmounted or out of
   * view. Where the clear space is shorter than the card, the frame is too and the card scrolls.
   */
  private async place(frame: HTMLIFrameElement): Promise<void> {
    const area = this.avoid();
    if (area !== this.followedArea) return this.follow();
    const view = viewportOf(this.doc);
    const avoid = visibleBox(area, view);
    const anchor = this.current?.anchor;
    const anchorBox = anchor?.isConnected ? visibleBox(anchor, view) : null;
    const width = Math.min(WIDTH, view.width - 2 * PINNED.right);
    const pinned: Box = { x: view.width - PINNED.right - width, y: PINNED.top, width, height: Math.max(this.cardHeight, MIN_HEIGHT) };
    const region = clearRegion(view, avoid, anchorBox ?? pinned, width + 2 * GAP, MIN_HEIGHT);
    const height = Math.max(0, Math.min(this.cardHeight, region.height - 2 * GAP));
    frame.style.height = `${height}px`;
    if (anchorBox) {
      const { x, y, middlewareData } = await computePosition(anchor!, frame, {
        strategy: 'fixed',
        placement: 'right-start',
        middleware: [
          offset(GAP),
          flip({ rootBoundary: region, padding: GAP, fallbackPlacements: ['bottom-end', 'top-end', 'left-start'] }),
          // Along both axes: with no side that fits, the prompt may cover its message, never the composer.
          shift({ rootBoundary: region, padding: GAP, crossAxis: true }),
          hide({ strategy: 'referenceHidden', rootBoundary: region }),
        ],
      });
      if (this.frame !== frame || this.current?.anchor !== anchor) return;
      if (!middlewareData.hide?.referenceHidden) {
        Object.assign(frame.style, { left: `${Math.round(x)}px`, top: `${Math.round(y)}px`, right: 'auto' });
        return;
      }
    }
    // Pinned top-right, moved only as far as needed to keep clear of the composer.
    const top = Math.max(region.y + GAP, Math.min(PINNED.top, region.y + region.height - GAP - height));
    const fitsRight = pinned.x >= region.x + GAP && pinned.x + width <= region.x + region.width - GAP;
    const left = fitsRight ? 'auto' : `${Math.round(Math.max(region.x + GAP, region.x + region.width - GAP - width))}px`;
    Object.assign(frame.style, { top: `${Math.round(top)}px`, right: fitsRight ? `${PINNED.right}px` : 'auto', left });
  }

  /** An event of the open card from its own frame, relayed by the background; anything else is ignored. */
  receive(message: RelayedCardEvent): void {
    if (!this.frame || message.card !== this.current?.id) return;
    if (message.frameId !== this.current.frameId) return;
    if (message.type === 'ready') {
      // The page has rendered, so it can take focus now (asked-for prompts).
      if (this.focusWhenReady) this.focus();
    } else if (message.type === 'touched') {
      this.current!.touched = true;
      this.focusWhenReady = false;
    } else if (message.type === 'closed' && message.outcome) {
      this.close(message.outcome);
    }
  }

  /** The open card is done (`null`: the turn ended): the next request, the turn's strip, or nothing takes its place. */
  private close(outcome: CloseOutcome | null): void {
    const closing = this.current;
    const hadFocus = this.frame !== null && this.doc.activeElement === this.frame;
    // Closed for the turn (the strip's ×, or asking less from the reason's card): its reply is not asked about.
    if ((closing?.kind === 'waiting' || closing?.kind === 'reason') && outcome === 'dismissed') this.declined = true;
    let next = this.takeNext();
    if (!next && closing?.kind === 'reason' && closing.thenReaction && outcome !== null && outcome !== 'dismissed') {
      next = { kind: 'waiting', messageId: closing.messageId, anchor: closing.anchor };
    }
    const state = this.state;
    if (!next && state.name === 'open' && state.task) {
      next = state.task;
      this.state = { ...state, task: null };
    }
    if (next && !this.doc.hidden) this.open(next);
    else {
      this.remove();
      // A reply that ended in a background tab is asked about when the participant comes back.
      if (next) this.queue(next);
    }
    if (hadFocus && this.returnFocusTo instanceof HTMLElement) this.returnFocusTo.focus();
    this.returnFocusTo = null;
  }
}

/** What a card asks about: one question about one message, or one conversation's task questions. */
const cardKey = (card: Card) => ('messageId' in card ? `${card.kind}:${card.messageId}` : `task:${card.conversationId}`);
