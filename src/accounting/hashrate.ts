import type { WorkWindowRow } from '../store/index.js';
import { CREDIT_PER_PDIFF, creditToDifficulty } from './credit.js';
import { poissonInterval } from './poisson-interval.js';

/** The window every hashrate the pool shows is estimated over, unless configured otherwise. */
export const DEFAULT_HASHRATE_WINDOW_SECONDS = 600;

/**
 * One hashrate as the pool shows it everywhere (API, dashboard, /metrics, admin), in H/s.
 * `value` is the credited expected hashes of the accepted shares in the last `windowSeconds`
 * over that window (credit is 2^64/(2^64 - assigned target) per share, the same number the
 * reward split uses). `low`..`high` is the exact 95 % Poisson interval of the share count
 * (Gamma quantiles), scaled by the mean credit per share.
 */
export interface HashrateFigure {
  value: number;
  low: number;
  high: number;
  windowSeconds: number;
  shares: number;
}

export interface WorkSum {
  /** Sum of creditForTarget(assigned target) over the shares. */
  credit: bigint;
  shares: number;
}

/**
 * The estimate from `shares` accepted shares worth `credit` expected hashes in `windowSeconds`.
 * With no share the value and lower end are 0 and the upper end is what 3.69 shares (the 97.5 %
 * quantile of a count seen as 0) of `emptyCreditPerShare` would be: by default a share at the
 * Stratum server's starting target (PDiff).
 */
export function estimateHashrate(work: WorkSum, windowSeconds: number, emptyCreditPerShare: bigint = CREDIT_PER_PDIFF): HashrateFigure {
  if (!(windowSeconds > 0)) throw new RangeError(`a hashrate window is a positive number of seconds, not ${windowSeconds}`);
  const k = work.shares;
  const { low, high } = poissonInterval(k);
  if (k === 0) return { value: 0, low: 0, high: (high * Number(emptyCreditPerShare)) / windowSeconds, windowSeconds, shares: 0 };
  const value = Number(work.credit) / windowSeconds;
  return { value, low: (value * low) / k, high: (value * high) / k, windowSeconds, shares: k };
}

/** The figures of one moment: pool, each user, each miner, all from the same rows. */
export interface PoolHashrates {
  /** Unix ms the window ends at. */
  at: number;
  windowSeconds: number;
  pool: HashrateFigure;
  users: Map<bigint, HashrateFigure>;
  /** Keyed by minerKey(userId, miner). */
  miners: Map<string, HashrateFigure>;
  /** Each miner's newest share in the window (unix ms), by minerKey. */
  lastShares: Map<string, number>;
}

export function minerKey(userId: bigint, miner: string): string {
  return `${userId}/${miner}`;
}

/** The user id and miner name of a minerKey (a miner name may itself hold '/'). */
export function parseMinerKey(key: string): { userId: bigint; miner: string } {
  const slash = key.indexOf('/');
  return { userId: BigInt(key.slice(0, slash)), miner: key.slice(slash + 1) };
}

/** Pool, per-user and per-miner estimates from one window's work rows (grouped by user and miner). */
export function hashratesFromWork(rows: readonly WorkWindowRow[], windowSeconds: number, at: number): PoolHashrates {
  const userSums = new Map<bigint, WorkSum>();
  const total: WorkSum = { credit: 0n, shares: 0 };
  const miners = new Map<string, HashrateFigure>();
  const lastShares = new Map<string, number>();
  for (const r of rows) {
    const shares = Number(r.shares);
    miners.set(minerKey(r.userId, r.miner), estimateHashrate({ credit: r.credit, shares }, windowSeconds));
    lastShares.set(minerKey(r.userId, r.miner), r.lastShare.getTime());
    const u = userSums.get(r.userId) ?? { credit: 0n, shares: 0 };
    u.credit += r.credit;
    u.shares += shares;
    userSums.set(r.userId, u);
    total.credit += r.credit;
    total.shares += shares;
  }
  const users = new Map([...userSums].map(([id, u]) => [id, estimateHashrate(u, windowSeconds)]));
  return { at, windowSeconds, pool: estimateHashrate(total, windowSeconds), users, miners, lastShares };
}

/** A user or miner with no share in the window. */
export function idleHashrate(windowSeconds: number): HashrateFigure {
  return estimateHashrate({ credit: 0n, shares: 0 }, windowSeconds);
}

/**
 * A settled job's figures in the rewards list (the original's pool difficulty and total hashrate):
 * the job's credit in PDiff units, and the same estimator over the job's window, from its first
 * to its last credited share (0 when that window is empty: a single instant says nothing of a rate).
 */
export function jobFigures(job: WorkSum & { firstShare: Date | null; lastShare: Date | null }): { poolDifficulty: number; totalHashrate: number } {
  const seconds = job.firstShare && job.lastShare ? (job.lastShare.getTime() - job.firstShare.getTime()) / 1000 : 0;
  return {
    poolDifficulty: creditToDifficulty(job.credit),
    totalHashrate: seconds > 0 && job.shares > 0 ? estimateHashrate(job, seconds).value : 0,
  };
}

/** jobFigures over a job's credit rows (one per user and miner). */
export function jobFiguresOf(rows: readonly { credit: bigint; shares: bigint; firstShare: Date; lastShare: Date }[]): { poolDifficulty: number; totalHashrate: number } {
  let credit = 0n;
  let shares = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const r of rows) {
    credit += r.credit;
    shares += Number(r.shares);
    if (!first || r.firstShare < first) first = r.firstShare;
    if (!last || r.lastShare > last) last = r.lastShare;
  }
  return jobFigures({ credit, shares, firstShare: first, lastShare: last });
}
