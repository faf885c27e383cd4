import type { RewardSplit, UserCredit } from '../store/index.js';
import { FEE_RATE_ONE } from './fee-rate.js';

/** PPS rates are 1e-8 PEG per unit of credit scaled by 1e18: a unit of credit is worth far less than 1e-8 PEG. */
export const RATE_ONE = 10n ** 18n;

/**
 * One step of the pool's exponential moving average over `blocks` blocks (alpha = 2 / (blocks + 1)),
 * in integers so every process computes the same figure; the first value starts it.
 */
export function emaStep(previous: bigint | null, value: bigint, blocks: number): bigint {
  if (previous === null) return value;
  return previous + ((value - previous) * 2n) / BigInt(blocks + 1);
}

/**
 * The PPS rate: (1 - ppsfee) x the pool's expected reward per unit of credit, estimated as
 * EMA(reward per block) / EMA(credit per block) over the blocks before this one. null while
 * there is no estimate (no history, or no credit in it).
 */
export function ppsRate(emaReward: bigint | null, emaCredit: bigint | null, ppsFeeE8: bigint): bigint | null {
  if (emaReward === null || emaCredit === null || emaCredit <= 0n) return null;
  return (emaReward * (FEE_RATE_ONE - ppsFeeE8) * RATE_ONE) / (FEE_RATE_ONE * emaCredit);
}

/**
 * PPS for one job: each user is owed floor(credit x rate) whatever the pool won; the reward goes
 * into the reserve, the amounts come out of it. dust = floor(total credit x rate) - sum(amount)
 * (less than one unit per user) stays with the pool like the fee, so
 * fee (0) + dust + sum(amount) + reserveDelta == reward.
 */
export function splitPps(reward: bigint, ppsFeeE8: bigint, rateE18: bigint, credits: readonly UserCredit[]): RewardSplit & { reserveDelta: bigint } {
  const merged = new Map<bigint, bigint>();
  for (const c of credits) if (c.credit > 0n) merged.set(c.userId, (merged.get(c.userId) ?? 0n) + c.credit);
  const users = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const totalCredit = users.reduce((s, [, c]) => s + c, 0n);
  const payouts = users.map(([userId, credit]) => ({ userId, credit, amount: (credit * rateE18) / RATE_ONE }));
  const paid = payouts.reduce((s, p) => s + p.amount, 0n);
  const dust = (totalCredit * rateE18) / RATE_ONE - paid;
  return { reward, feeRateE8: ppsFeeE8, fee: 0n, dust, totalCredit, payouts, reserveDelta: reward - paid - dust };
}

export interface ReserveRisk {
  /** Expected gain of the reserve per block: ppsfee x mean reward. */
  driftPerBlock: number;
  /** Variance of the reserve's change per block: that of the pool's reward per block. */
  variancePerBlock: number;
  /**
   * Probability that the reserve ever falls to the floor, by the random-walk (Brownian)
   * approximation exp(-2 x drift x (reserve - floor) / variance); 1 at or below the floor or
   * without a positive drift, 0 when rewards never vary.
   */
  ruin: number;
}

/** Risk of ruin of the PPS reserve from the rewards of the recent blocks (1e-8 PEG each). */
export function reserveRisk(reserve: bigint, floor: bigint, recentRewards: readonly bigint[], ppsFeeE8: bigint): ReserveRisk {
  const n = recentRewards.length;
  const mean = n ? recentRewards.reduce((s, r) => s + Number(r), 0) / n : 0;
  const variance = n > 1 ? recentRewards.reduce((s, r) => s + (Number(r) - mean) ** 2, 0) / (n - 1) : 0;
  const drift = (mean * Number(ppsFeeE8)) / Number(FEE_RATE_ONE);
  const headroom = Number(reserve - floor);
  let ruin: number;
  if (headroom <= 0 || drift <= 0) ruin = 1;
  else if (variance === 0) ruin = 0;
  else ruin = Math.min(1, Math.exp((-2 * drift * headroom) / variance));
  return { driftPerBlock: drift, variancePerBlock: variance, ruin };
}
