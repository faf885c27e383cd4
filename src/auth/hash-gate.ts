import { ProsperError } from '../errors.js';

export interface HashGateOptions {
  /** Password hashes computed at once (each scrypt holds 32 MiB). */
  concurrency: number;
  /** Hashes one IP may have running and waiting together; beyond it the IP is refused at once. */
  perIp: number;
}

/**
 * Bounds the password hashes computed for unauthenticated requests: a few at once in total,
 * a few per IP running or queued, and the queue served round-robin across IPs, so one client's
 * flood of logins cannot push everyone else's behind it.
 */
export class HashGate {
  private running = 0;
  /** Per IP: hashes running and waiting. */
  private readonly held = new Map<string, number>();
  /** Per IP, the waiting hashes in order; the map's order is the round-robin turn. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly opts: HashGateOptions) {}

  /** Runs `work` (which computes a hash) when the gate lets it; throws PROSPER_E_AUTH_BUSY when the IP holds its share. */
  async run<T>(ip: string, work: () => Promise<T>): Promise<T> {
    const held = this.held.get(ip) ?? 0;
    if (held >= this.opts.perIp) {
      throw new ProsperError('PROSPER_E_AUTH_BUSY', `at most ${this.opts.perIp} password checks at once from one address; try again shortly`);
    }
    this.held.set(ip, held + 1);
    try {
      await this.slot(ip);
      try {
        return await work();
      } finally {
        this.running -= 1;
        this.dispatch();
      }
    } finally {
      const left = (this.held.get(ip) ?? 1) - 1;
      if (left > 0) this.held.set(ip, left);
      else this.held.delete(ip);
    }
  }

  /** Hashes running now and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    let waiting = 0;
    for (const q of this.waiting.values()) waiting += q.length;
    return { running: this.running, waiting };
  }

  private slot(ip: string): Promise<void> {
    if (this.running < this.opts.concurrency && this.waiting.size === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const q = this.waiting.get(ip);
      if (q) q.push(resolve);
      else this.waiting.set(ip, [resolve]);
    });
  }

  /** Starts waiting hashes, one IP's turn at a time. */
  private dispatch(): void {
    while (this.running < this.opts.concurrency) {
      const next = this.waiting.entries().next();
      if (next.done) return;
      const [ip, q] = next.value;
      const resolve = q.shift()!;
      this.waiting.delete(ip);
      if (q.length > 0) this.waiting.set(ip, q);
      this.running += 1;
      resolve();
    }
  }
}
