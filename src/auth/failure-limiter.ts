/**
 * Counts failed password attempts per key (an IP, an account) in a fixed window. An attempt is
 * reserved before its password is hashed and settled after, so parallel attempts count while
 * they run: N attempts at once can never check more than `maxFailures` passwords.
 */
interface Window {
  start: number;
  failures: number;
  /** Attempts reserved and not yet settled. */
  inFlight: number;
}

export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  now: () => number;
  /** Most keys remembered; the oldest is forgotten beyond it. */
  maxKeys?: number;
}

export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly opts: FailureLimiterOptions) {}

  /** The key's window, its failures forgotten once the window has passed. */
  private current(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w && this.opts.now() - w.start >= this.opts.windowMs) {
      if (w.inFlight === 0) {
        this.windows.delete(key);
        return undefined;
      }
      w.start = this.opts.now();
      w.failures = 0;
    }
    return w;
  }

  /** Seconds until the key may try again after its failures, or 0 when it is not over the limit. */
  retryAfter(key: string): number {
    const w = this.current(key);
    if (!w || w.failures < this.opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((this.opts.windowMs - (this.opts.now() - w.start)) / 1000));
  }

  /** Whether the key's failures and attempts still running leave room for one more. */
  private full(key: string): boolean {
    const w = this.current(key);
    return w !== undefined && w.failures + w.inFlight >= this.opts.maxFailures;
  }

  /**
   * Reserves one attempt on every key, or on none: `reserved`, `limited` (over the failure limit,
   * with the seconds to wait) or `busy` (as many attempts already running as failures are left:
   * they might all fail, so this one waits for them).
   */
  reserve(keys: readonly string[]): { reserved: true } | { reserved: false; limited: true; retryAfter: number } | { reserved: false; limited: false } {
    const wait = Math.max(0, ...keys.map((k) => this.retryAfter(k)));
    if (wait > 0) return { reserved: false, limited: true, retryAfter: wait };
    if (keys.some((k) => this.full(k))) return { reserved: false, limited: false };
    for (const k of keys) {
      let w = this.current(k);
      if (!w) {
        w = { start: this.opts.now(), failures: 0, inFlight: 0 };
        this.windows.set(k, w);
        this.evictBeyondMax();
      }
      w.inFlight += 1;
    }
    return { reserved: true };
  }

  /** Ends a reserved attempt; a failed one counts in its keys' windows. */
  settle(keys: readonly string[], failed: boolean): void {
    for (const k of keys) {
      const w = this.current(k);
      if (!w) continue;
      w.inFlight = Math.max(0, w.inFlight - 1);
      if (failed) w.failures += 1;
      else if (w.failures === 0 && w.inFlight === 0) this.windows.delete(k);
    }
  }

  /** Forgets the key's failures (a successful login clears its account's count). */
  clear(key: string): void {
    const w = this.windows.get(key);
    if (!w) return;
    if (w.inFlight === 0) this.windows.delete(key);
    else w.failures = 0;
  }

  private evictBeyondMax(): void {
    const max = this.opts.maxKeys ?? 100_000;
    if (this.windows.size <= max) return;
    const oldest = this.windows.keys().next().value;
    if (oldest !== undefined) this.windows.delete(oldest);
  }
}
