/**
 * Where the grader gets LXR difficulties from. The engine can route this through the
 * validation worker pool; the default hashes on the calling thread in batches.
 */
import { createHasher, powInput, targetOfHash, type LxrHasher, type LxrTable } from '../lxr/index.js';

export interface DifficultyItem {
  readonly oprHash: Uint8Array;
  readonly nonce: Uint8Array;
}

export interface DifficultyComputer {
  /** first 8 bytes (BE uint64) of LXR(oprHash || nonce) for each item, in order. */
  computeTargets(items: readonly DifficultyItem[]): Promise<bigint[]>;
}

export function inThreadDifficultyComputer(hasherOrTable: LxrHasher | LxrTable): DifficultyComputer {
  const hasher = 'hashMany' in hasherOrTable ? hasherOrTable : createHasher(hasherOrTable);
  return {
    async computeTargets(items) {
      // Let other work (stratum, HTTP) run between the grader's batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const hashes = hasher.hashMany(items.map((it) => powInput(it.oprHash, it.nonce)));
      return hashes.map((h) => targetOfHash(h));
    },
  };
}
