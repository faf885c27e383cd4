import { ProsperError } from '../errors.js';
import type { SettlementPlan, UserCredit } from '../store/index.js';
import { FEE_RATE_ONE } from './fee-rate.js';

/**
 * Splits one job's reward (1e-8 PEG units) pro rata to credited work, exactly:
 *   fee    = floor(reward * feeRate)
 *   amount = floor((reward - fee) * credit_u / totalCredit)   for each user
 *   dust   = (reward - fee) - sum(amount)                     kept by the pool, recorded
 * so fee + sum(amount) + dust == reward always, and 0 <= dust < number of users.
 * With no credited work the whole remainder is dust. Output is ordered by userId and does
 * not depend on input order.
 */
export function splitReward(reward: bigint, feeRateE8: bigint, credits: readonly UserCredit[]): SettlementPlan {
  if (reward < 0n) throw new ProsperError('PROSPER_E_ACCOUNTING_REWARD', `negative reward: ${reward}`);
  if (feeRateE8 < 0n || feeRateE8 > FEE_RATE_ONE) throw new ProsperError('PROSPER_E_ACCOUNTING_FEE', `fee rate out of [0, 1]: ${feeRateE8}`);
  const merged = new Map<bigint, bigint>();
  for (const c of credits) {
    if (c.credit < 0n) throw new ProsperError('PROSPER_E_ACCOUNTING_CREDIT', `negative credit for user ${c.userId}`);
    merged.set(c.userId, (merged.get(c.userId) ?? 0n) + c.credit);
  }
  const users = [...merged.entries()].filter(([, credit]) => credit > 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fee = (reward * feeRateE8) / FEE_RATE_ONE;
  const remaining = reward - fee;
  const totalCredit = users.reduce((s, [, c]) => s + c, 0n);
  const payouts = totalCredit === 0n
    ? []
    : users.map(([userId, credit]) => ({ userId, credit, amount: (remaining * credit) / totalCredit }));
  const dust = remaining - payouts.reduce((s, p) => s + p.amount, 0n);
  return { reward, feeRateE8, fee, dust, totalCredit, payouts };
}
