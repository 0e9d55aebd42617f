/**
 * Fixed-window request counting per key (a participant, the admin, or a client address), in this
 * process's memory: the collector runs as one process, and a restart only forgives a window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request; returns how many seconds to wait when over the limit, else 0. */
  take(key: string): number {
    const now = Date.now();
    if (this.windows.size > 10_000) this.forgetExpired(now);
    const window = this.windows.get(key);
    if (!window || window.resetsAt <= now) {
      this.windows.set(key, { count: 1, resetsAt: now + this.windowMs });
      return 0;
    }
    window.count++;
    return window.count > this.requests ? Math.ceil((window.resetsAt - now) / 1000) : 0;
  }

  private forgetExpired(now: number) {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
  }
}
