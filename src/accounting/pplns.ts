import type { UserCredit } from '../store/index.js';

/** One job's credit per user, as PPLNS walks back over the jobs before the one it pays. */
export interface JobCreditTotals {
  jobId: bigint;
  credits: readonly UserCredit[];
}

const byUser = (a: UserCredit, b: UserCredit): number => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * The last `window` units of credit, newest job first (`jobs[0]` is the job being paid), per
 * user. The boundary is exact: the oldest job inside the window counts in part, each of its
 * credits scaled by the same fraction (need / job total), and the units flooring leaves are
 * handed out by largest remainder (ties to the lower user id), so the window holds exactly
 * `window` units whenever the jobs hold that much. Fewer jobs than the window: all of them.
 */
export function pplnsWindow(jobs: readonly JobCreditTotals[], window: bigint): UserCredit[] {
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
    // The straddling job: credit_u * left / jobTotal each, remainders by largest fraction.
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
  return [...total.entries()].map(([userId, credit]) => ({ userId, credit })).sort(byUser);
}

/** PPLNS window size: `factorE4` / 10 000 times the pool's average credit per block. */
export function pplnsWindowSize(averageCredit: bigint, factorE4: bigint): bigint {
  return (averageCredit * factorE4) / 10_000n;
}
