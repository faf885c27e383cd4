import { estimateHashrate, type HashrateFigure, type WorkSum } from './hashrate.js';

/**
 * Credited work per key over a sliding window, for a figure that no table holds: the shares a
 * coordinator credits for each of its edges (the store keeps shares by user and miner, not by
 * edge). Work is kept in one-second buckets, so the window's edge is exact to a second; the
 * figure comes from the one estimator (estimateHashrate) like every other hashrate.
 */
export class WorkWindow {
  /** key -> second (unix) -> work credited in that second. */
  private readonly buckets = new Map<string, Map<number, WorkSum>>();

  constructor(private readonly o: { windowSeconds: number; now: () => number }) {
    if (!(o.windowSeconds > 0)) throw new RangeError(`a work window is a positive number of seconds, not ${o.windowSeconds}`);
  }

  /** Adds one accepted share's credit (creditForTarget of its assigned target) under `key`. */
  add(key: string, credit: bigint, at: number = this.o.now()): void {
    const second = Math.floor(at / 1000);
    let perSecond = this.buckets.get(key);
    if (!perSecond) this.buckets.set(key, (perSecond = new Map()));
    const bucket = perSecond.get(second);
    if (bucket) {
      bucket.credit += credit;
      bucket.shares += 1;
    } else {
      perSecond.set(second, { credit, shares: 1 });
      // Old seconds are dropped once a second, not on every share (the hot path).
      this.forgetBefore(perSecond, second - this.o.windowSeconds);
    }
  }

  /** The work credited under `key` in the window that ends now. */
  sum(key: string, at: number = this.o.now()): WorkSum {
    const perSecond = this.buckets.get(key);
    const total: WorkSum = { credit: 0n, shares: 0 };
    if (!perSecond) return total;
    const last = Math.floor(at / 1000);
    this.forgetBefore(perSecond, last - this.o.windowSeconds);
    if (perSecond.size === 0) this.buckets.delete(key);
    for (const [second, work] of perSecond) {
      if (second > last) continue;
      total.credit += work.credit;
      total.shares += work.shares;
    }
    return total;
  }

  /** The hashrate of `key` over the window, with its 95 % band. */
  figure(key: string, at: number = this.o.now()): HashrateFigure {
    return estimateHashrate(this.sum(key, at), this.o.windowSeconds);
  }

  private forgetBefore(perSecond: Map<number, WorkSum>, oldestKept: number): void {
    // A second's bucket is in the window while second > end - window.
    for (const second of perSecond.keys()) if (second <= oldestKept) perSecond.delete(second);
  }
}
