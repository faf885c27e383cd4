import { ProsperError } from '../errors.js';
import { expectedHashes, PDIFF } from '../lxr/difficulty.js';
import { UINT64_MAX } from '../lxr/pow.js';

export { PDIFF };
/** Credit of one PDiff share: 2^64 / (2^64 - PDiff) = 65 536 expected hashes. */
export const CREDIT_PER_PDIFF = expectedHashes(PDIFF);

/**
 * Credit for a share = expectedHashes of its ASSIGNED target (lxr/difficulty.ts holds the one
 * formula). Integer, so splits stay exact; a PDiff share is 65 536.
 */
export function creditForTarget(target: bigint): bigint {
  if (target < 0n || target > UINT64_MAX) {
    throw new ProsperError('PROSPER_E_ACCOUNTING_TARGET', `target out of uint64 range: ${target}`);
  }
  return expectedHashes(target);
}

/** Credit expressed in pool-difficulty units, for display only. */
export function creditToDifficulty(credit: bigint): number {
  return Number(credit) / Number(CREDIT_PER_PDIFF);
}
