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

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const w = this.current(key);
    if (!w || w.failures + w.inFlight < this.opts.maxFailures) return 0;
    // Full of failures: until the window ends. Full of attempts still running: ask again soon.
    if (w.failures >= this.opts.maxFailures) return Math.max(1, Math.ceil((this.opts.windowMs - (this.opts.now() - w.start)) / 1000));
    return 1;
  }

  /** Reserves one attempt on every key, or on none: 0 when reserved, else the seconds to wait. */
  reserve(keys: readonly string[]): number {
    const wait = Math.max(0, ...keys.map((k) => this.retryAfter(k)));
    if (wait > 0) return wait;
    for (const k of keys) {
      let w = this.current(k);
      if (!w) {
        w = { start: this.opts.now(), failures: 0, inFlight: 0 };
        this.windows.set(k, w);
        this.evictBeyondMax();
      }
      w.inFlight += 1;
    }
    return 0;
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
