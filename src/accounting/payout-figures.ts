import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import type { SchemeName, Store } from '../store/index.js';
import { CREDIT_PER_PDIFF } from './credit.js';
import { formatPeg, parsePeg } from './peg-amount.js';
import { ppsRate, RATE_ONE, reserveRisk } from './pps.js';
import type { SchemeSettings } from './settle-plan.js';

/** The payout settings the web and /metrics show, with the pool's minimum payout. */
export interface PayoutSettings extends SchemeSettings {
  /** `[accounting] minpayout`, 1e-8 PEG. */
  minPayout: bigint;
}

/** The pool's payout state: one definition behind the admin page, its API and /metrics. */
export interface PayoutFigures {
  /** The configured scheme (it pays from the next settled block). */
  scheme: SchemeName;
  /** The scheme of the newest settled block, and whether it was a PPS fallback; null before any. */
  lastScheme: SchemeName | null;
  lastJobId: JobId | null;
  fallback: boolean;
  reserve: bigint;
  floor: bigint;
  /** The PPS rate the next block would pay: 1e-8 PEG per unit of credit x 1e18; null without history. */
  ppsRateE18: bigint | null;
  /** The same rate per difficulty-1 share, 1e-8 PEG (floored). */
  ppsPerShare: bigint | null;
  /** Probability the reserve ever reaches the floor (pps.ts reserveRisk), from the last ppswindow blocks. */
  ruin: number;
  minPayout: bigint;
}

export async function payoutFigures(store: Pick<Store, 'ppsReserve' | 'recentRewards' | 'listSettlements'>, s: PayoutSettings): Promise<PayoutFigures> {
  const [newest] = await store.listSettlements(1);
  const reserve = await store.ppsReserve();
  const rewards = await store.recentRewards(s.ppsWindow);
  const rate = newest ? ppsRate(newest.emaReward, newest.emaCredit, s.ppsFeeE8) : null;
  return {
    scheme: s.scheme,
    lastScheme: newest?.scheme ?? null,
    lastJobId: newest?.jobId ?? null,
    fallback: newest?.fallback ?? false,
    reserve,
    floor: s.ppsFloor,
    ppsRateE18: rate,
    ppsPerShare: rate === null ? null : (rate * CREDIT_PER_PDIFF) / RATE_ONE,
    ruin: reserveRisk(reserve, s.ppsFloor, rewards, s.ppsFeeE8).ruin,
    minPayout: s.minPayout,
  };
}

/** The figures as JSON: amounts as PEG decimal strings. */
export function payoutFiguresJson(f: PayoutFigures): Record<string, unknown> {
  return {
    scheme: f.scheme,
    lastScheme: f.lastScheme,
    lastJobId: f.lastJobId,
    fallback: f.fallback,
    reserve: formatPeg(f.reserve),
    floor: formatPeg(f.floor),
    ppsRateE18: f.ppsRateE18 === null ? null : f.ppsRateE18.toString(),
    ppsPerShare: f.ppsPerShare === null ? null : formatPeg(f.ppsPerShare),
    ruin: f.ruin,
    minPayout: formatPeg(f.minPayout),
  };
}

/**
 * A user's own payout threshold from what they typed: a PEG amount at least the pool's minimum,
 * or "" / null to follow the pool's minimum again (returned as null).
 */
export function parseUserThreshold(text: unknown, poolMinimum: bigint): bigint | null {
  if (text === null || text === '') return null;
  if (typeof text !== 'string') throw new ProsperError('PROSPER_E_ACCOUNTING_THRESHOLD', 'the payout threshold must be a PEG amount such as "2.5", or empty for the pool minimum');
  const amount = parsePeg(text);
  if (amount < poolMinimum) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_THRESHOLD', `the payout threshold ${formatPeg(amount)} PEG is below the pool's minimum payout of ${formatPeg(poolMinimum)} PEG`);
  }
  return amount;
}
