import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import type { SchemeFields, SettlementHistory, SettlementPlan, UserCredit } from '../store/index.js';
import { pplnsWindow, pplnsWindowSize, straddlingJob, type JobCreditTotals } from './pplns.js';
import { emaStep, ppsRate, splitPps } from './pps.js';
import { parseFeeRate } from './fee-rate.js';
import { parsePeg } from './peg-amount.js';
import { parseScheme, type Scheme } from './scheme.js';
import { splitReward } from './split.js';

/** The pool's payout settings, from `[pool] poolfeerate` and `[accounting]`. */
export interface SchemeSettings {
  scheme: Scheme;
  /** The pool fee of PROP and PPLNS, 1e-8 units. */
  feeRateE8: bigint;
  /** `pplnswindow` x 10 000. */
  pplnsFactorE4: bigint;
  /** `ppsfee`, 1e-8 units. */
  ppsFeeE8: bigint;
  /** `ppswindow`: blocks of the reward and credit EMAs. */
  ppsWindow: number;
  /** `ppsfloor`, 1e-8 PEG: PPS stops when a job would take the reserve below it. */
  ppsFloor: bigint;
}

/** Jobs read per step while PPLNS walks back to fill its window. */
const JOBS_PER_READ = 64;

/** The newest jobs (this one first) until they hold `window` credit or there are no more. */
async function windowJobs(jobId: JobId, credits: UserCredit[], window: bigint, history: SettlementHistory): Promise<JobCreditTotals[]> {
  const jobs: JobCreditTotals[] = [{ jobId, credits }];
  let held = credits.reduce((s, c) => s + c.credit, 0n);
  let before = jobId;
  while (held < window) {
    const older = await history.jobsBefore(before, JOBS_PER_READ);
    for (const j of older) {
      jobs.push(j);
      held += j.credits.reduce((s, c) => s + c.credit, 0n);
      before = j.jobId;
    }
    if (older.length < JOBS_PER_READ) break;
  }
  return jobs;
}

/**
 * The one settlement of a job under the configured scheme: the pool (accountant) and the
 * simulator (`sim payouts`) both call this. PPS that cannot pay (no reward history yet, or the
 * reserve less what the other open jobs have accrued would fall below its floor) pays the job by
 * PPLNS and calls `onFallback` with why.
 */
export async function planSettlement(
  jobId: JobId,
  reward: bigint,
  credits: UserCredit[],
  history: SettlementHistory,
  s: SchemeSettings,
  onFallback?: (reason: string) => void,
): Promise<SettlementPlan & SchemeFields> {
  const state = await history.state();
  const jobCredit = credits.reduce((sum, c) => sum + c.credit, 0n);
  const running = { jobCredit, emaReward: emaStep(state.emaReward, reward, s.ppsWindow), emaCredit: emaStep(state.emaCredit, jobCredit, s.ppsWindow) };
  if (s.scheme === 'prop') {
    return { ...splitReward(reward, s.feeRateE8, credits), ...running, scheme: 'prop', fallback: false, reserveDelta: 0n, ppsRateE18: null, pplnsWindow: null };
  }
  let fallback = false;
  if (s.scheme === 'pps') {
    const rate = ppsRate(state.emaReward, state.emaCredit, s.ppsFeeE8);
    if (rate === null) {
      onFallback?.('no reward history to estimate the PPS rate from yet');
    } else {
      const pps = splitPps(reward, s.ppsFeeE8, rate, credits);
      // The other open jobs' accrued PPS value is already shown to miners: the reserve must still cover it.
      const shown = (await history.openAccrued?.(s.ppsFeeE8)) ?? 0n;
      if (state.reserve + pps.reserveDelta - shown >= s.ppsFloor) return { ...pps, ...running, scheme: 'pps', fallback: false, ppsRateE18: rate, pplnsWindow: null };
      onFallback?.(`the PPS reserve would fall to ${state.reserve + pps.reserveDelta}${shown ? ` less ${shown} accruing in open jobs` : ''}, below its floor ${s.ppsFloor}`);
    }
    fallback = true;
  }
  const average = state.emaCredit ?? jobCredit;
  const window = pplnsWindowSize(average, s.pplnsFactorE4) || jobCredit;
  const jobs = await windowJobs(jobId, credits, window, history);
  const edge = straddlingJob(jobs, window);
  const inWindow = pplnsWindow(jobs, window, edge === null ? undefined : await history.sharesOf(edge));
  return { ...splitReward(reward, s.feeRateE8, inWindow), ...running, scheme: 'pplns', fallback, reserveDelta: 0n, ppsRateE18: null, pplnsWindow: window };
}

/** What the balances need to show PPS shares accruing: the ppsfee under scheme pps, else null (nothing accrues). */
export function accruingFee(s: Pick<SchemeSettings, 'scheme' | 'ppsFeeE8'>): bigint | null {
  return s.scheme === 'pps' ? s.ppsFeeE8 : null;
}

/** "2.0" to 20 000: the PPLNS factor with at most 4 decimals, above 0. */
export function parsePplnsFactor(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  const value = m ? BigInt(m[1]) * 10_000n + BigInt((m[2] ?? '').padEnd(4, '0') || '0') : 0n;
  if (value <= 0n) throw new ProsperError('PROSPER_E_ACCOUNTING_PPLNS', `pplnswindow must be a decimal above 0 with at most 4 decimals, got ${JSON.stringify(text)}`);
  return value;
}

/** The payout settings of a loaded config (`[pool] poolfeerate`, `[accounting]`). */
export function schemeSettingsFromConfig(pool: { poolfeerate: string }, a: { scheme: string; pplnswindow: string; ppsfee: string; ppswindow: number; ppsfloor: string }): SchemeSettings {
  return {
    scheme: parseScheme(a.scheme),
    feeRateE8: parseFeeRate(pool.poolfeerate),
    pplnsFactorE4: parsePplnsFactor(a.pplnswindow),
    ppsFeeE8: parseFeeRate(a.ppsfee, 'ppsfee'),
    ppsWindow: a.ppswindow,
    ppsFloor: parsePeg(a.ppsfloor),
  };
}

/** Everything `[pool]` and `[accounting]` say about paying miners, the pool's minimum payout included. */
export function payoutSettingsFromConfig(pool: { poolfeerate: string }, a: Parameters<typeof schemeSettingsFromConfig>[1] & { minpayout: string }): SchemeSettings & { minPayout: bigint } {
  return { ...schemeSettingsFromConfig(pool, a), minPayout: parsePeg(a.minpayout) };
}
