import { GRADE_CUTOFF, gradeList, type GradingOpr } from '../pegnet/index.js';
import type { SeededRandom } from '../validation/prng.js';

/** Assets priced per simulated OPR: enough for price grading to rank OPRs, few enough to grade fast. */
const SIM_ASSETS = 8;
/** Relative price error of one OPR per asset (standard deviation): about the grading band (1 %). */
const PRICE_NOISE = 0.01;

/** Poisson(lambda) by inversion for small lambda, a rounded normal beyond (accurate there to well under 1 %). */
export function poisson(rng: SeededRandom, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.random();
  while (p > limit) {
    k++;
    p *= rng.random();
  }
  return k;
}

/** Standard normal (Box-Muller). */
export function normal(rng: SeededRandom): number {
  const u = 1 - rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
}

function simulatedOpr(rank: number, prices: number[]): GradingOpr {
  const none = new Uint8Array(0);
  return {
    entryHash: none, nonce: none, oprHash: none, address: '', identity: '',
    // Only the order matters to grading: the best PoW first.
    selfReportedDifficulty: BigInt(GRADE_CUTOFF - rank),
    opr: { version: 5, proto: { address: '', id: '', height: 0, winners: [], assets: [] } },
    prices, grade: 0, position: 0, payout: 0n,
  };
}

/**
 * One block's reward to the pool (1e-8 PEG) by PegNet's grading odds. PoW first: the network's
 * 50 best hashes of the block (the graded set) are drawn against the network difficulty, each
 * the pool's with probability poolShare, so the pool holds Binomial(50, poolShare) of them at
 * ranks drawn uniformly. Then price accuracy: every OPR's prices carry independent errors
 * (the pool's OPRs all carry the pool's one set of prices), and the real V5 grader
 * (pegnet gradeList) picks and pays the 25 winners. The pool gets the rewards of its winners.
 */
export function poolBlockReward(rng: SeededRandom, poolShare: number): bigint {
  const poolPrices = Array.from({ length: SIM_ASSETS }, () => 1 + PRICE_NOISE * normal(rng));
  const list: GradingOpr[] = [];
  const pool = new Set<GradingOpr>();
  for (let rank = 0; rank < GRADE_CUTOFF; rank++) {
    const ours = rng.random() < poolShare;
    const o = simulatedOpr(rank, ours ? poolPrices : Array.from({ length: SIM_ASSETS }, () => 1 + PRICE_NOISE * normal(rng)));
    if (ours) pool.add(o);
    list.push(o);
  }
  if (pool.size === 0) return 0n;
  gradeList(5, list, GRADE_CUTOFF);
  let reward = 0n;
  for (const o of pool) reward += o.payout;
  return reward;
}
