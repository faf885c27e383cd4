/**
 * Counts failures per key in a fixed window. Login checks it before hashing a password, so a
 * flood of guesses costs the pool a map lookup, not a scrypt.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(private readonly opts: { maxFailures: number; windowMs: number; now: () => number; maxKeys?: number }) {}

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    const elapsed = this.opts.now() - w.start;
    if (elapsed >= this.opts.windowMs) {
      this.windows.delete(key);
      return 0;
    }
    return w.failures >= this.opts.maxFailures ? Math.ceil((this.opts.windowMs - elapsed) / 1000) : 0;
  }

  fail(key: string): void {
    const now = this.opts.now();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.opts.windowMs) {
      this.windows.delete(key);
      this.windows.set(key, { start: now, failures: 1 });
      const max = this.opts.maxKeys ?? 100_000;
      if (this.windows.size > max) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
    } else {
      w.failures++;
    }
  }

  clear(key: string): void {
    this.windows.delete(key);
  }
}
