import type { WorkWindowRow } from '../store/index.js';

export interface HashrateEstimate {
  /** Hashes per second: credited expected hashes over the window. */
  hashrate: number;
  /**
   * One standard error. Shares arrive as a Poisson process, so the relative error of a count
   * of n shares is 1/sqrt(n); with no shares the estimate is 0 with unknown (Infinity) error.
   */
  error: number;
  shares: number;
}

export function estimateHashrate(creditHashes: bigint, shares: bigint, windowSeconds: number): HashrateEstimate {
  const n = Number(shares);
  if (!(windowSeconds > 0) || n <= 0) return { hashrate: 0, error: Number.POSITIVE_INFINITY, shares: Math.max(0, n) };
  const hashrate = Number(creditHashes) / windowSeconds;
  return { hashrate, error: hashrate / Math.sqrt(n), shares: n };
}

export interface PoolHashrates {
  pool: HashrateEstimate;
  users: Map<bigint, HashrateEstimate>;
  /** Keyed by `${userId}/${miner}`. */
  miners: Map<string, HashrateEstimate>;
}

/** Pool, per-user and per-miner estimates from one window's work rows. */
export function hashratesFromWork(rows: readonly WorkWindowRow[], windowSeconds: number): PoolHashrates {
  const userSums = new Map<bigint, { credit: bigint; shares: bigint }>();
  let credit = 0n;
  let shares = 0n;
  const miners = new Map<string, HashrateEstimate>();
  for (const r of rows) {
    miners.set(`${r.userId}/${r.miner}`, estimateHashrate(r.credit, r.shares, windowSeconds));
    const u = userSums.get(r.userId) ?? { credit: 0n, shares: 0n };
    u.credit += r.credit;
    u.shares += r.shares;
    userSums.set(r.userId, u);
    credit += r.credit;
    shares += r.shares;
  }
  const users = new Map([...userSums].map(([id, u]) => [id, estimateHashrate(u.credit, u.shares, windowSeconds)]));
  return { pool: estimateHashrate(credit, shares, windowSeconds), users, miners };
}
