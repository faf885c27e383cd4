import { ProsperError } from '../errors.js';

const TWO_64 = 1n << 64n;
export const UINT64_MAX = TWO_64 - 1n;
/** Pool difficulty 1: the seed's PDiff. */
export const PDIFF = 0xffff000000000000n;
/** Credit of one PDiff share: 2^64 / (2^64 - PDiff) = 65 536 expected hashes. */
export const CREDIT_PER_PDIFF = 65_536n;

/**
 * Credit for a share = the expected number of hashes needed to beat its ASSIGNED target
 * (a hash "beats" a target when it is greater): floor(2^64 / (2^64 - target)), at least 1,
 * capped at uint64. Integer, so splits stay exact; a PDiff share is 65 536.
 */
export function creditForTarget(target: bigint): bigint {
  if (target < 0n || target > UINT64_MAX) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_TARGET', `target out of uint64 range: ${target}`);
  }
  const c = TWO_64 / (TWO_64 - target);
  return c > UINT64_MAX ? UINT64_MAX : c < 1n ? 1n : c;
}

/** Credit expressed in pool-difficulty units, for display only. */
export function creditToDifficulty(credit: bigint): number {
  return Number(credit) / Number(CREDIT_PER_PDIFF);
}
