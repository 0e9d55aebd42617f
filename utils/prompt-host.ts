import type { ThoughtKind } from './schema';
import { frameToHostSchema, PROMPT_PAGE, type HostToFrame } from './prompt-protocol';
import { looksDark } from './theme';

interface Request {
  messageId: number;
  kind: ThoughtKind;
}

/**
 * Shows the thought prompt in an extension-page iframe pinned to the top-right corner, clear of
 * the composer at the bottom. One prompt at a time: a new request replaces a prompt nobody has
 * touched, and otherwise waits until the open one is saved or skipped.
 */
export class PromptHost {
  private frame: HTMLIFrameElement | null = null;
  private current: (Request & { touched: boolean }) | null = null;
  private waiting: Request | null = null;
  private returnFocusTo: Element | null = null;
  private liveRegion: HTMLElement | null = null;
  private readonly origin: string;

  constructor(
    private readonly doc: Document,
    private readonly pageUrl: (path: string) => string,
    signal: AbortSignal,
  ) {
    this.origin = new URL(pageUrl('/')).origin;
    doc.defaultView!.addEventListener('message', (event) => this.onMessage(event), { signal });
    doc.addEventListener(
      'visibilitychange',
      () => {
        if (doc.hidden || !this.waiting || this.current?.touched) return;
        const next = this.waiting;
        this.waiting = null;
        this.open(next);
      },
      { signal },
    );
    signal.addEventListener('abort', () => {
      this.remove();
      this.liveRegion?.remove();
    });
  }

  show(request: Request): void {
    // A reply that finished in a background tab is asked about when the participant comes back.
    if (this.doc.hidden) {
      this.waiting = request;
      return;
    }
    if (this.current?.touched) {
      this.waiting = request;
      return;
    }
    this.open(request);
  }

  /** Moves keyboard focus into the open prompt (the focus shortcut). */
  focus(): boolean {
    if (!this.frame?.contentWindow) return false;
    const active = this.doc.activeElement;
    if (active !== this.frame) this.returnFocusTo = active;
    this.frame.focus();
    const message: HostToFrame = { source: 'thoughttrace-host', type: 'focus' };
    this.frame.contentWindow.postMessage(message, this.origin);
    return true;
  }

  private open(request: Request): void {
    this.remove();
    const url = new URL(this.pageUrl(PROMPT_PAGE));
    url.searchParams.set('messageId', String(request.messageId));
    url.searchParams.set('kind', request.kind);
    url.searchParams.set('theme', looksDark(this.doc) ? 'dark' : 'light');
    const frame = this.doc.createElement('iframe');
    frame.src = url.href;
    frame.title = request.kind === 'reason' ? 'ThoughtTrace: your reason' : 'ThoughtTrace: your reaction';
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
    this.doc.documentElement.append(frame);
    this.frame = frame;
    this.current = { ...request, touched: false };
    this.announce(
      `ThoughtTrace asks for your ${request.kind}. Press your ThoughtTrace shortcut (Alt+Shift+T unless you changed it) to answer, or keep going.`,
    );
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
    this.frame?.remove();
    this.frame = null;
    this.current = null;
  }

  private onMessage(event: MessageEvent): void {
    if (!this.frame || event.source !== this.frame.contentWindow || event.origin !== this.origin) return;
    const parsed = frameToHostSchema.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'resize') {
      this.frame.style.height = `${Math.ceil(message.height)}px`;
    } else if (message.type === 'touched') {
      if (this.current) this.current.touched = true;
    } else {
      const hadFocus = this.doc.activeElement === this.frame;
      this.remove();
      if (hadFocus && this.returnFocusTo instanceof HTMLElement) this.returnFocusTo.focus();
      this.returnFocusTo = null;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.open(next);
    }
  }
}
