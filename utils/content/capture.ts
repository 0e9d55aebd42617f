import type { RecordHistoryResult, RecordMessageResult } from '../protocol/messages';
import type { RequestData } from '../protocol/requests';
import type { Role, ThoughtKind } from '../data/records';
import { notCaptured } from '../sites/dom';
import type { PageKind, ReplyState, SelectorProbe, SiteAdapter, Turn } from '../sites/types';

/** Where captured turns go: the background in the extension, a fake in unit tests. */
export interface CaptureSink {
  recordMessage(data: RequestData<'recordMessage'>): Promise<RecordMessageResult>;
  recordHistory(data: RequestData<'recordHistory'>): Promise<RecordHistoryResult>;
  updateConversation(data: RequestData<'updateConversation'>): Promise<void>;
  /**
   * Ask for a thought about the message just stored, whose turn on the page is `element`;
   * `thenReaction`: the reply to this prompt will be asked about too.
   */
  askThought(messageId: number, kind: ThoughtKind, thenReaction: boolean, element: Element): void;
  /** The turn ended without its reply being asked about (not asked, failed, or left). */
  endTurn(): void;
  /** The tab moved away from a conversation it had stored something of (to another one, or a new chat). */
  left(conversationId: string): void;
  /** A capture failed; the page keeps working and the failure is logged once. */
  reportError(error: unknown): void;
  /** The page lacks structure the adapter needs (a redesign): capture stops on this page. */
  reportSiteChanged(what: string, selectors: readonly string[]): void;
  /**
   * Capture goes on without what is named: a missing composer (new prompts are not seen, what the
   * page shows is still recorded) or wrappers replaced by fallbacks. Called when the list changes.
   */
  reportDegraded(what: readonly string[]): void;
}

export interface CaptureOptions {
  /** A send intent that no new user turn confirms within this window is dropped. */
  intentWindowMs: number;
  /** How often mutations are coalesced into one check. */
  checkDelayMs: number;
  /** Quiet time before turns already on the page are recorded as history. */
  historyDelayMs: number;
  /** How long after load or navigation the page must have the structure the adapter needs. */
  healthDelayMs: number;
  /**
   * Completion fallbacks when a reply never shows every completion mark (no action bar, a report
   * in a frame): quiet this long after it was seen generating, or this long if it never was.
   */
  stoppedQuietMs: number;
  silentQuietMs: number;
}

const DEFAULTS: CaptureOptions = {
  intentWindowMs: 20_000,
  checkDelayMs: 50,
  historyDelayMs: 600,
  healthDelayMs: 8000,
  stoppedQuietMs: 2500,
  silentQuietMs: 20_000,
};

/** How many of the newest turns the hot path looks at: the new prompt, its reply, and one before. */
const TAIL = 3;

type Phase =
  | { name: 'idle' }
  | { name: 'armed'; text: string; at: number }
  | {
      name: 'awaiting-reply';
      userTurnId: string;
      /** Our id for the prompt, when it was recorded. */
      userMessageId: number | undefined;
      /** The reply being watched: when it last changed, and whether the site said it was generating. */
      reply?: { element: Element; changedAt: number; sawGenerating: boolean };
    };

/** What capture sees on this page: the kind of page, what the site no longer has, what capture goes on without. */
export interface CaptureStatus {
  kind: PageKind['kind'];
  siteChanged: string | null;
  degraded: readonly string[];
}

interface Recorded {
  messageId: number;
  key: string;
}

/**
 * The capture state machine for one tab: IDLE → ARMED (send intent) → AWAITING-REPLY (new user
 * turn confirmed, or the site regenerating a reply) → IDLE (reply finished and settled).
 * Turns mounted without an intent (page load, navigation, scrolling history into view) are
 * recorded as history, never as new turns, and never trigger a prompt.
 */
export class Capture {
  private readonly options: CaptureOptions;
  /** Turns this page showed without a send intent: never confirmations of a send. */
  private readonly seen = new Set<string>();
  /** Turns stored in the database, by turn id. */
  private readonly recorded = new Map<string, Recorded>();
  private phase: Phase = { name: 'idle' };
  private nextIntent: Extract<Phase, { name: 'armed' }> | null = null;
  private page: PageKind;
  /** Our id for the conversation on this page, once something was recorded in it. */
  private conversationId: string | null = null;
  /** The site's id we last told the background about. */
  private linkedSiteId: string | null = null;
  /** The user turn that started this conversation on a new-chat page, to tell a link from a switch. */
  private firstUserTurnId: string | null = null;
  private structureChanged = true;
  private historySignature = '';
  private broken: string | null = null;
  private degraded: string[] = [];
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private historyTimer: ReturnType<typeof setTimeout> | undefined;
  private healthTimer: ReturnType<typeof setTimeout> | undefined;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly doc: Document,
    private readonly sink: CaptureSink,
    private readonly signal: AbortSignal,
    options: Partial<CaptureOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.page = adapter.classify(new URL(doc.location.href), doc);
  }

  start(): void {
    for (const turn of this.adapter.turns(this.doc)) this.seen.add(turn.id);
    const win = this.doc.defaultView!;
    const listen = { capture: true, signal: this.signal } as const;
    win.addEventListener('keydown', (event) => this.onKeydown(event), listen);
    win.addEventListener('click', (event) => this.onClick(event), listen);
    const observer = new MutationObserver((records) => this.onMutations(records));
    observer.observe(this.doc.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: [...this.adapter.observedAttributes],
    });
    this.signal.addEventListener('abort', () => {
      observer.disconnect();
      for (const timer of [this.checkTimer, this.settleTimer, this.historyTimer, this.healthTimer]) clearTimeout(timer);
    });
    this.scheduleHistory();
    this.scheduleHealthCheck();
  }

  /** The conversation this tab shows: ours once something in it was stored, and the site's. */
  get conversation(): { conversationId: string | null; site: SiteAdapter['site']; siteConversationId: string | null } | null {
    if (this.page.kind !== 'conversation') return null;
    return { conversationId: this.conversationId, site: this.adapter.site, siteConversationId: this.page.conversationId };
  }

  /** What the popup shows for this tab. */
  get status(): CaptureStatus {
    const kind = this.page.kind === 'conversation' && this.adapter.isPrivate?.(this.doc) ? 'private' : this.page.kind;
    return { kind, siteChanged: this.broken, degraded: this.degraded };
  }

  /**
   * The stored message whose mounted turn contains `element`, for annotating it on the
   * participant's request; null while that turn is not recorded (e.g. history still being stored).
   */
  messageFor(element: Element): { messageId: number; role: Role; element: Element } | null {
    for (const turn of this.adapter.turns(this.doc)) {
      if (!turn.element.contains(element)) continue;
      const recorded = this.recorded.get(turn.id);
      return recorded ? { messageId: recorded.messageId, role: turn.role, element: turn.element } : null;
    }
    return null;
  }

  /** The site navigated without reloading (new chat, another conversation, or the new chat got its id). */
  onNavigate(url: URL): void {
    const next = this.adapter.classify(url, this.doc);
    const nextId = next.kind === 'conversation' ? next.conversationId : null;
    const wasNewChat = this.page.kind === 'conversation' && this.page.conversationId === null;
    // A new chat keeps its identity through transient routes and receives the site's id around
    // its first exchange, as long as the turn that started it is still on the page.
    const firstTurnStillHere =
      this.firstUserTurnId !== null && this.adapter.turns(this.doc).some((turn) => turn.id === this.firstUserTurnId);
    const nothingRecordedYet = this.firstUserTurnId === null && nextId === null;
    // Claude and Gemini assign the id as the first prompt is sent, before its turn is confirmed.
    const sending = this.phase.name === 'armed';
    this.page = next;
    if (wasNewChat && next.kind === 'conversation' && (firstTurnStillHere || nothingRecordedYet || sending)) {
      this.linkSiteId();
      return;
    }
    const wasInTurn = this.phase.name === 'awaiting-reply';
    const leaving = this.conversationId;
    this.conversationId = null;
    this.linkedSiteId = null;
    this.firstUserTurnId = null;
    this.phase = { name: 'idle' };
    if (wasInTurn) this.sink.endTurn();
    if (leaving) this.sink.left(leaving);
    this.nextIntent = null;
    clearTimeout(this.settleTimer);
    this.seen.clear();
    this.recorded.clear();
    this.historySignature = '';
    for (const turn of this.adapter.turns(this.doc)) this.seen.add(turn.id);
    this.structureChanged = true;
    this.scheduleHistory();
    this.scheduleHealthCheck();
  }

  private capturing(): boolean {
    return this.page.kind === 'conversation' && this.broken === null && !this.adapter.isPrivate?.(this.doc);
  }

  // Only the participant's own keys and clicks count as a send: the page can dispatch events, not trusted ones.
  private onKeydown(event: KeyboardEvent): void {
    if (!event.isTrusted || event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    if (!(event.target instanceof Element) || !this.adapter.isComposerInput(event.target)) return;
    this.arm(textOf(event.target));
  }

  private onClick(event: MouseEvent): void {
    if (!event.isTrusted || !(event.target instanceof Element) || !this.adapter.isSendControl(event.target)) return;
    const composer = this.adapter.composer(this.doc);
    this.arm(composer ? this.adapter.composerText(composer) : '');
  }

  private arm(text: string): void {
    if (!this.capturing()) return;
    const intent = { name: 'armed' as const, text, at: Date.now() };
    // A prompt sent while the last reply is still settling is kept for when that reply is stored.
    if (this.phase.name === 'awaiting-reply') this.nextIntent = intent;
    else this.phase = intent;
    this.scheduleCheck();
  }

  private onMutations(records: MutationRecord[]): void {
    const phase = this.phase;
    const reply = phase.name === 'awaiting-reply' ? phase.reply : undefined;
    if (reply && records.some((record) => reply.element.contains(record.target))) reply.changedAt = Date.now();
    if (!this.structureChanged && phase.name === 'idle') this.structureChanged = records.some((record) => record.type === 'childList');
    // Look at once: a quick regeneration can start and finish between two coalesced checks.
    if (phase.name === 'idle' && this.capturing()) this.checkRegeneration();
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

  private async check(): Promise<void> {
    if (this.signal.aborted || !this.capturing()) return;
    const phase = this.phase;
    if (phase.name === 'armed') return this.checkSubmission(phase);
    if (phase.name === 'awaiting-reply') return this.checkReply(phase);
    this.checkRegeneration();
    if (this.structureChanged) {
      this.structureChanged = false;
      this.scheduleHistory();
    }
  }

  private async checkSubmission(phase: Extract<Phase, { name: 'armed' }>): Promise<void> {
    const tail = this.adapter.tail(this.doc, TAIL);
    const index = tail.findLastIndex((turn) => turn.role === 'user' && !this.seen.has(turn.id) && !this.recorded.has(turn.id));
    if (index < 0) {
      if (Date.now() - phase.at <= this.options.intentWindowMs) return;
      this.phase = { name: 'idle' };
      // A send that never shows up as a turn, on a page where no turn matches at all: the site changed.
      const turnsProbe = this.adapter.required.find((probe) => probe.when === 'history');
      if (tail.length === 0 && turnsProbe) this.markBroken(turnsProbe.name, turnsProbe.selectors);
      return;
    }
    const turn = tail[index]!;
    const before = index > 0 ? tail[index - 1] : undefined;
    // The first turn on the page starts the conversation; otherwise follow the turn shown before it.
    const parentMessageId = before ? this.recorded.get(before.id)?.messageId : tail.length < TAIL ? null : undefined;
    this.phase = { name: 'awaiting-reply', userTurnId: turn.id, userMessageId: undefined };
    if (this.page.kind === 'conversation' && this.page.conversationId === null) this.firstUserTurnId ??= turn.id;
    const content = this.adapter.userText(turn) || phase.text;
    const recorded = await this.record(turn, 'user', content, this.adapter.modelName(null, this.doc), parentMessageId);
    const current = this.phase;
    if (current.name === 'awaiting-reply' && current.userTurnId === turn.id) current.userMessageId = recorded?.messageId;
    if (recorded?.ask) this.sink.askThought(recorded.messageId, 'reason', recorded.thenReaction, turn.element);
    this.scheduleCheck(0);
  }

  /** While idle, the site generating into the newest reply is a regeneration (or a reply in flight at load). */
  private checkRegeneration(): void {
    const [before, last] = this.adapter.tail(this.doc, 2);
    // Only after a prompt stored from this page: a reply already in flight when the page opened is
    // recorded as history once it finishes, without a prompt.
    if (!before || !last || before.role !== 'user' || last.role !== 'assistant' || !this.recorded.has(before.id)) return;
    if (this.adapter.replyState(last, this.doc) !== 'generating') return;
    this.phase = {
      name: 'awaiting-reply',
      userTurnId: before.id,
      userMessageId: this.recorded.get(before.id)?.messageId,
      reply: { element: last.element, changedAt: Date.now(), sawGenerating: true },
    };
  }

  private async checkReply(phase: Extract<Phase, { name: 'awaiting-reply' }>): Promise<void> {
    let turns = this.adapter.tail(this.doc, TAIL);
    if (!turns.some((turn) => turn.id === phase.userTurnId)) turns = this.adapter.turns(this.doc);
    const userIndex = turns.findIndex((turn) => turn.id === phase.userTurnId);
    if (userIndex < 0) {
      // The prompt vanished (the site replaced it, or failed): nothing to wait for.
      this.phase = { name: 'idle' };
      this.sink.endTurn();
      return;
    }
    const candidate = turns.slice(userIndex + 1).find((turn) => turn.role === 'assistant');
    if (!candidate) return;
    const now = Date.now();
    if (phase.reply?.element !== candidate.element) phase.reply = { element: candidate.element, changedAt: now, sawGenerating: false };
    const state = this.adapter.replyState(candidate, this.doc);
    if (state === 'generating') {
      phase.reply.sawGenerating = true;
      return;
    }
    const quietFor = now - phase.reply.changedAt;
    const needed = this.quietNeeded(state, phase.reply.sawGenerating);
    if (quietFor < needed) {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.scheduleCheck(0), needed - quietFor);
      return;
    }
    const content = this.adapter.replyMarkdown(candidate);
    if (!content) return;
    this.phase = this.nextIntent ?? { name: 'idle' };
    this.nextIntent = null;
    const recorded = await this.record(candidate, 'assistant', content, this.adapter.modelName(candidate, this.doc), phase.userMessageId);
    if (recorded?.ask) this.sink.askThought(recorded.messageId, 'reaction', false, candidate.element);
    else this.sink.endTurn();
    if (this.phase.name === 'armed') this.scheduleCheck(0);
  }

  /**
   * How long a reply must stay unchanged before it is stored (SITES.md's completion rules, in
   * order): every completion mark present → the site's settle time; the marks never came but the
   * site was seen generating and stopped → a longer quiet; never seen generating → longer still.
   */
  private quietNeeded(state: Exclude<ReplyState, 'generating'>, sawGenerating: boolean): number {
    if (state === 'finished') return this.adapter.settleMs;
    return sawGenerating ? this.options.stoppedQuietMs : this.options.silentQuietMs;
  }

  private async record(turn: Turn, role: Role, content: string, modelName: string, parentMessageId: number | null | undefined) {
    const siteConversationId = this.page.kind === 'conversation' ? this.page.conversationId : null;
    const key = this.adapter.messageKey(turn, content);
    const result = await this.sink.recordMessage({
      site: this.adapter.site,
      conversationId: this.conversationId,
      siteConversationId,
      title: this.adapter.title(this.doc),
      modelName,
      role,
      content,
      siteMessageId: key,
      ...(parentMessageId === undefined ? {} : { parentMessageId }),
    });
    if (!result.captured) return null;
    this.conversationId = result.conversationId;
    this.linkedSiteId = siteConversationId;
    this.recorded.set(turn.id, { messageId: result.messageId, key });
    return { messageId: result.messageId, ask: result.ask, thenReaction: result.thenReaction };
  }

  private scheduleHistory(): void {
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => {
      this.busy = this.busy.then(() => this.recordHistory()).catch((error) => this.sink.reportError(error));
    }, this.options.historyDelayMs);
  }

  /** Records finished turns the page shows that were not captured live, as context without prompts. */
  private async recordHistory(): Promise<void> {
    if (this.signal.aborted || !this.capturing() || this.phase.name !== 'idle') return;
    if (this.page.kind !== 'conversation' || this.page.conversationId === null) return;
    const siteConversationId = this.page.conversationId;
    const all = this.adapter.turns(this.doc);
    // A turn already on the page is finished unless the site says it is generating: stop before that one.
    const unfinished = all.findIndex((turn) => turn.role === 'assistant' && this.adapter.replyState(turn, this.doc) === 'generating');
    const visible = unfinished < 0 ? all : all.slice(0, unfinished);
    const signature = visible.map((turn) => turn.id).join('\n');
    if (!visible.length || signature === this.historySignature) return;
    const turns = visible.map((turn, i) => {
      const known = this.recorded.get(turn.id);
      // Stored turns are matched by key; only new ones need their content read.
      let content = known ? '' : turn.role === 'user' ? this.adapter.userText(turn) : this.adapter.replyMarkdown(turn);
      // A turn that shows no text keeps its place, so the turns after it stay where they are; the
      // newest one may simply not have rendered yet.
      if (!known && !content && i < visible.length - 1) content = notCaptured('this message shows no text on the page');
      return { turn, role: turn.role, content, siteMessageId: known?.key ?? this.adapter.messageKey(turn, content) };
    });
    const usable = turns.filter((t) => t.content || this.recorded.has(t.turn.id));
    if (!usable.length) return;
    const result = await this.sink.recordHistory({
      site: this.adapter.site,
      conversationId: this.conversationId,
      siteConversationId,
      title: this.adapter.title(this.doc),
      modelName: this.adapter.modelName(null, this.doc),
      turns: usable.map(({ role, content, siteMessageId }) => ({ role, content, siteMessageId })),
      atEnd: usable.length === all.length,
    });
    if (!result.captured) return;
    // The page may have moved on while the write ran; the next check will sync again.
    if (this.page.kind !== 'conversation' || this.page.conversationId !== siteConversationId) return;
    this.conversationId = result.conversationId;
    this.linkedSiteId = siteConversationId;
    this.historySignature = signature;
    result.messageIds.forEach((messageId, i) => {
      if (messageId !== null) this.recorded.set(usable[i]!.turn.id, { messageId, key: usable[i]!.siteMessageId });
    });
  }

  private scheduleHealthCheck(): void {
    clearTimeout(this.healthTimer);
    this.healthTimer = setTimeout(() => this.checkHealth(), this.options.healthDelayMs);
  }

  /**
   * Once the page had time to load: without turns where the page shows a transcript, the site
   * changed and capture stops here rather than record something wrong. Everything else degrades
   * one feature: without the composer new prompts are not seen (what the page shows is still
   * recorded), and a wrapper replaced by a fallback is only reported. Checked again while broken
   * or degraded, so a page that was merely slow recovers.
   */
  private checkHealth(): void {
    if (this.signal.aborted || this.page.kind !== 'conversation') return;
    const found = (probe: { selectors: readonly string[] }) => probe.selectors.some((selector) => this.doc.querySelector(selector));
    // Turns are required where the page shows a transcript; an empty new conversation has none.
    const showsTranscript =
      this.page.conversationId !== null && (this.adapter.transcriptRoot(this.doc).textContent ?? '').trim().length > 0;
    const missing = (when: SelectorProbe['when']) => this.adapter.required.filter((probe) => probe.when === when && !found(probe));
    const lostTurns = showsTranscript ? missing('history')[0] : undefined;
    const wasBroken = this.broken;
    if (lostTurns) this.markBroken(lostTurns.name, lostTurns.selectors);
    else this.broken = null;
    const hasTurns = !lostTurns && this.adapter.turns(this.doc).length > 0;
    const degraded = [
      ...missing('page').map((probe) => probe.name),
      ...(hasTurns ? this.adapter.hints.filter((hint) => !found(hint)).map((hint) => hint.name) : []),
    ];
    if (degraded.join('\n') !== this.degraded.join('\n')) {
      this.degraded = degraded;
      if (degraded.length) this.sink.reportDegraded(degraded);
    }
    if (this.broken || degraded.length) this.healthTimer = setTimeout(() => this.checkHealth(), this.options.healthDelayMs);
    if (wasBroken && !this.broken) this.scheduleHistory();
  }

  private markBroken(what: string, selectors: readonly string[]): void {
    if (this.broken !== what) this.sink.reportSiteChanged(what, selectors);
    this.broken = what;
    this.phase = { name: 'idle' };
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

function textOf(target: Element): string {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) return target.value.trim();
  const editable = target.closest('[contenteditable="true"]');
  return ((editable as HTMLElement | null)?.innerText ?? '').trim();
}
