/** Block rewards per winning place, in 1e-8 PEG (docs/pegnet.md section 3). */
import type { OprVersion } from './activation.js';

const PEG = 100_000_000n;
const V1_PAYOUTS: readonly bigint[] = [800n, 600n, 450n, 450n, 450n, 450n, 450n, 450n, 450n, 450n].map((p) => p * PEG);

/** The reward of the OPR at 0-based `position` of a graded block; 0 outside the winners. */
export function payoutForPosition(version: OprVersion, position: number): bigint {
  if (!Number.isInteger(position) || position < 0) return 0n;
  if (version === 1) return V1_PAYOUTS[position] ?? 0n;
  if (position >= 25) return 0n;
  return version === 5 ? 360n * PEG : 200n * PEG;
}

/** Total paid per block with a full winner set: 5000 PEG for V1..V4, 9000 PEG for V5. */
export function blockReward(version: OprVersion): bigint {
  let sum = 0n;
  for (let i = 0; i < 25; i++) sum += payoutForPosition(version, i);
  return sum;
}
