import { ProsperError } from '../errors.js';
import { seededRandom } from './prng.js';
import { allocSoftMax, OFFER_ADMITTED, SoftMaxLimit } from './softmax.js';

export interface SoftMaxSimResult {
  k: number;
  n: number;
  trials: number;
  mean_admitted: number;
}

/**
 * Drives the real SoftMaxLimit with `n` shares of uniformly random quality per trial (all
 * above the job threshold) and averages how many were admitted for submission. With
 * distinct random targets the expectation is K + sum_{i=K+1..n} K/i (`expectedAdmitted`).
 */
export function simulateSoftMax(k: number, n: number, trials: number, seed = 1): SoftMaxSimResult {
  for (const [name, v, min] of [['n', n, 0], ['trials', trials, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new ProsperError('PROSPER_E_VALIDATION_SIM', `${name} must be an integer >= ${min}, got ${v}`);
  }
  const limit = new SoftMaxLimit(allocSoftMax(k, 1));
  const rng = seededRandom(seed);
  let admitted = 0;
  for (let t = 0; t < trials; t++) {
    limit.reset(0, 0n);
    for (let i = 0; i < n; i++) {
      // Zero is the one target that can never pass a threshold of 0; draw again.
      let target = rng.u64();
      while (target === 0n) target = rng.u64();
      if (limit.offer(0, target) === OFFER_ADMITTED) admitted++;
    }
  }
  return { k, n, trials, mean_admitted: admitted / trials };
}

/** The exact expectation of admitted shares for distinct targets in random order. */
export function expectedAdmitted(k: number, n: number): number {
  if (k === 0 || n <= k) return n;
  let sum = k;
  for (let i = k + 1; i <= n; i++) sum += k / i;
  return sum;
}
