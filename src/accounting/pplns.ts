import type { JobId } from '../domain/index.js';
import type { UserCredit } from '../store/index.js';

/** One job's credit per user, as PPLNS walks back over the jobs before the one it pays. */
export interface JobCreditTotals {
  jobId: JobId;
  credits: readonly UserCredit[];
}

const byUser = (a: UserCredit, b: UserCredit): number => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/** One share's credit, as the boundary job's shares are walked newest first. */
export interface ShareUnit {
  userId: bigint;
  credit: bigint;
}

/**
 * The last `window` units of credit, newest job first (`jobs[0]` is the job being paid), per
 * user. The boundary is exact. Given the straddling job's shares newest first (`boundary`,
 * when they still add up to its credit), they are taken in that order and the share that
 * straddles the edge counts in part. Without them (raw shares pruned) each credit of the
 * straddling job is scaled by the same fraction (need / job total), the units flooring leaves
 * going by largest remainder (ties to the lower user id). Either way the window holds exactly
 * `window` units whenever the jobs hold that much; fewer jobs than the window: all of them.
 */
export function pplnsWindow(jobs: readonly JobCreditTotals[], window: bigint, boundary?: readonly ShareUnit[]): UserCredit[] {
  const total = new Map<bigint, bigint>();
  const add = (userId: bigint, c: bigint) => total.set(userId, (total.get(userId) ?? 0n) + c);
  let left = window;
  for (const job of jobs) {
    if (left <= 0n) break;
    const credits = job.credits.filter((c) => c.credit > 0n);
    const jobTotal = credits.reduce((s, c) => s + c.credit, 0n);
    if (jobTotal === 0n) continue;
    if (jobTotal <= left) {
      for (const c of credits) add(c.userId, c.credit);
      left -= jobTotal;
      continue;
    }
    if (boundary && boundary.reduce((s, u) => s + u.credit, 0n) === jobTotal) {
      for (const u of boundary) {
        if (left <= 0n) break;
        const taken = u.credit < left ? u.credit : left;
        add(u.userId, taken);
        left -= taken;
      }
      break;
    }
    const parts = credits.map((c) => ({ userId: c.userId, whole: (c.credit * left) / jobTotal, rest: (c.credit * left) % jobTotal }));
    let spare = left - parts.reduce((s, p) => s + p.whole, 0n);
    parts.sort((a, b) => (a.rest !== b.rest ? (a.rest > b.rest ? -1 : 1) : a.userId < b.userId ? -1 : 1));
    for (const p of parts) {
      const extra = spare > 0n ? 1n : 0n;
      spare -= extra;
      if (p.whole + extra > 0n) add(p.userId, p.whole + extra);
    }
    left = 0n;
  }
  return [...total.entries()].filter(([, credit]) => credit > 0n).map(([userId, credit]) => ({ userId, credit })).sort(byUser);
}

/** The job in which the window's edge falls (its credit runs past what is left), if any. */
export function straddlingJob(jobs: readonly JobCreditTotals[], window: bigint): JobId | null {
  let left = window;
  for (const job of jobs) {
    const jobTotal = job.credits.reduce((s, c) => s + (c.credit > 0n ? c.credit : 0n), 0n);
    if (jobTotal > left) return left > 0n ? job.jobId : null;
    left -= jobTotal;
  }
  return null;
}

/** PPLNS window size: `factorE4` / 10 000 times the pool's average credit per block. */
export function pplnsWindowSize(averageCredit: bigint, factorE4: bigint): bigint {
  return (averageCredit * factorE4) / 10_000n;
}
