import type { RecordMessageResult } from './messaging';
import type { RequestData } from './requests';
import type { ThoughtKind } from './schema';
import type { PageKind, SiteAdapter, Turn } from './sites/types';

/** Where captured turns go: the background in the extension, a fake in unit tests. */
export interface CaptureSink {
  recordMessage(data: RequestData<'recordMessage'>): Promise<RecordMessageResult>;
  updateConversation(data: RequestData<'updateConversation'>): Promise<void>;
  askThought(messageId: number, kind: ThoughtKind): void;
  /** A capture failed; the page keeps working and the failure is logged once. */
  reportError(error: unknown): void;
}

export interface CaptureOptions {
  /** A reply must be unchanged this long after the site says it finished. */
  settleMs: number;
  /** A send intent that no new user turn confirms within this window is dropped. */
  intentWindowMs: number;
  /** How often mutations are coalesced into one check. */
  checkDelayMs: number;
}

const DEFAULTS: CaptureOptions = { settleMs: 1000, intentWindowMs: 20_000, checkDelayMs: 50 };

type Phase =
  | { name: 'idle' }
  | { name: 'armed'; text: string; at: number }
  | { name: 'awaiting-reply'; userTurnId: string; reply?: { id: string; text: string; changedAt: number } };

/**
 * The capture state machine for one tab: IDLE → ARMED (send intent) → AWAITING-REPLY
 * (user turn confirmed) → IDLE (reply finished and settled). Turns mounted without an intent
 * (page load, navigation, scrolling history into view) only join the known set: they are never
 * new turns and never trigger a prompt.
 */
export class Capture {
  private readonly options: CaptureOptions;
  private readonly known = new Set<string>();
  private phase: Phase = { name: 'idle' };
  private page: PageKind;
  /** Our id for the conversation on this page, once something was recorded in it. */
  private conversationId: string | null = null;
  /** The site's id we last told the background about. */
  private linkedSiteId: string | null = null;
  /** The user turn that started this conversation on a new-chat page, to tell a link from a switch. */
  private firstUserTurnId: string | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly doc: Document,
    private readonly sink: CaptureSink,
    private readonly signal: AbortSignal,
    options: Partial<CaptureOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.page = adapter.classify(new URL(doc.location.href));
  }

  start(): void {
    this.rememberMountedTurns();
    const win = this.doc.defaultView!;
    const listen = { capture: true, signal: this.signal } as const;
    win.addEventListener('keydown', (event) => this.onKeydown(event), listen);
    win.addEventListener('click', (event) => this.onClick(event), listen);
    const observer = new MutationObserver(() => this.scheduleCheck());
    observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-testid', 'data-streaming-response-status', 'data-turn-id', 'data-message-id'] });
    this.signal.addEventListener('abort', () => {
      observer.disconnect();
      clearTimeout(this.checkTimer);
      clearTimeout(this.settleTimer);
    });
  }

  /** What the popup shows for this tab. */
  get pageKind(): PageKind['kind'] {
    return this.page.kind;
  }

  /** The site navigated without reloading (new chat, another conversation, or the new chat got its id). */
  onNavigate(url: URL): void {
    const next = this.adapter.classify(url);
    const nextId = next.kind === 'conversation' ? next.conversationId : null;
    const wasNewChat = this.page.kind === 'conversation' && this.page.conversationId === null;
    // A new chat keeps its identity through /c/WEB:… and receives the site's id after the first
    // reply, as long as the turn that started it is still on the page.
    const firstTurnStillHere =
      this.firstUserTurnId !== null && this.adapter.turns(this.doc).some((turn) => turn.id === this.firstUserTurnId);
    const nothingRecordedYet = this.firstUserTurnId === null && nextId === null;
    if (wasNewChat && next.kind === 'conversation' && (firstTurnStillHere || nothingRecordedYet)) {
      this.page = next;
      this.linkSiteId();
      return;
    }
    this.page = next;
    this.conversationId = null;
    this.linkedSiteId = null;
    this.firstUserTurnId = null;
    this.phase = { name: 'idle' };
    clearTimeout(this.settleTimer);
    this.known.clear();
    this.rememberMountedTurns();
  }

  private capturing(): boolean {
    return this.page.kind === 'conversation';
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    const composer = this.adapter.composer(this.doc);
    if (!composer || !(event.target instanceof Node) || !composer.contains(event.target)) return;
    this.arm(this.adapter.composerText(composer));
  }

  private onClick(event: MouseEvent): void {
    if (!(event.target instanceof Element) || !this.adapter.isSendControl(event.target)) return;
    const composer = this.adapter.composer(this.doc);
    this.arm(composer ? this.adapter.composerText(composer) : '');
  }

  private arm(text: string): void {
    if (!this.capturing() || !text || this.phase.name === 'awaiting-reply') return;
    this.phase = { name: 'armed', text, at: Date.now() };
    this.scheduleCheck();
  }

  private scheduleCheck(delay = this.options.checkDelayMs): void {
    if (this.checkTimer !== undefined || this.signal.aborted) return;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = undefined;
      // Checks run one at a time so a slow write cannot let a turn be recorded twice.
      this.busy = this.busy.then(() => this.check()).catch((error) => this.sink.reportError(error));
    }, delay);
  }

  private rememberMountedTurns(turns: Turn[] = this.adapter.turns(this.doc)): void {
    for (const turn of turns) this.known.add(turn.id);
  }

  private async check(): Promise<void> {
    if (this.signal.aborted) return;
    const turns = this.adapter.turns(this.doc);
    const phase = this.phase;
    if (phase.name === 'armed') {
      const index = turns.findIndex((turn) => turn.role === 'user' && !this.known.has(turn.id));
      if (index >= 0) {
        const turn = turns[index]!;
        // Everything before the new turn was already on the page.
        this.rememberMountedTurns(turns.slice(0, index + 1));
        await this.recordUserTurn(turn, phase.text);
        return this.check();
      }
      if (Date.now() - phase.at > this.options.intentWindowMs) this.phase = { name: 'idle' };
      return;
    }
    if (phase.name === 'awaiting-reply') return this.checkReply(turns, phase);
    this.rememberMountedTurns(turns);
  }

  private async recordUserTurn(turn: Turn, intentText: string): Promise<void> {
    const content = this.adapter.userText(turn) || intentText;
    this.phase = { name: 'awaiting-reply', userTurnId: turn.id };
    if (this.page.kind === 'conversation' && this.page.conversationId === null) this.firstUserTurnId ??= turn.id;
    const messageId = await this.record('user', content, turn.id, this.adapter.modelName(null, this.doc));
    if (messageId !== null) this.sink.askThought(messageId, 'reason');
  }

  private async checkReply(turns: Turn[], phase: Extract<Phase, { name: 'awaiting-reply' }>): Promise<void> {
    const userIndex = turns.findIndex((turn) => turn.id === phase.userTurnId);
    const candidate = turns
      .slice(userIndex + 1)
      .find((turn) => turn.role === 'assistant' && !this.known.has(turn.id));
    if (userIndex < 0 || !candidate) return;
    const text = candidate.element.textContent ?? '';
    const now = Date.now();
    if (!phase.reply || phase.reply.id !== candidate.id || phase.reply.text !== text) {
      phase.reply = { id: candidate.id, text, changedAt: now };
    }
    if (!this.adapter.replyFinished(candidate, this.doc)) return;
    const quietFor = now - phase.reply.changedAt;
    if (quietFor < this.options.settleMs) {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.scheduleCheck(0), this.options.settleMs - quietFor);
      return;
    }
    const content = this.adapter.replyMarkdown(candidate);
    if (!content) return;
    this.known.add(candidate.id);
    this.phase = { name: 'idle' };
    const messageId = await this.record('assistant', content, candidate.id, this.adapter.modelName(candidate, this.doc));
    if (messageId !== null) this.sink.askThought(messageId, 'reaction');
  }

  private async record(role: 'user' | 'assistant', content: string, turnId: string, modelName: string) {
    const siteConversationId = this.page.kind === 'conversation' ? this.page.conversationId : null;
    const result = await this.sink.recordMessage({
      site: this.adapter.site,
      conversationId: this.conversationId,
      siteConversationId,
      title: this.adapter.title(this.doc),
      modelName,
      role,
      content,
      siteMessageId: turnId,
    });
    if (!result.captured) return null;
    this.conversationId = result.conversationId;
    this.linkedSiteId = siteConversationId;
    return result.messageId;
  }

  private linkSiteId(): void {
    const siteId = this.page.kind === 'conversation' ? this.page.conversationId : null;
    if (!this.conversationId || !siteId || this.linkedSiteId === siteId) return;
    this.linkedSiteId = siteId;
    const conversationId = this.conversationId;
    this.busy = this.busy
      .then(() =>
        this.sink.updateConversation({ conversationId, siteConversationId: siteId, title: this.adapter.title(this.doc) }),
      )
      .catch((error) => this.sink.reportError(error));
  }
}
