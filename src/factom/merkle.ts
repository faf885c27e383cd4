import { sha256, ZERO32 } from './bytes.js';

/**
 * Factom merkle root: pairwise sha256(left ‖ right) per level, an odd last node paired with
 * itself, one leaf → that leaf, no leaves → 32 zero bytes.
 */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return Buffer.from(ZERO32);
  let level: Buffer[] = leaves.map((l) => Buffer.from(l));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = i + 1 < level.length ? level[i + 1] : left;
      next.push(sha256(left, right));
    }
    level = next;
  }
  return level[0];
}

/** A block's KeyMR: sha256(sha256(header) ‖ bodyMR). */
export function blockKeyMr(header: Uint8Array, bodyMr: Uint8Array): Buffer {
  return sha256(sha256(header), bodyMr);
}

/** One step of a merkle proof: top = sha256(left ‖ right). */
export interface MerkleStep {
  readonly left: Buffer;
  readonly right: Buffer;
  readonly top: Buffer;
}

/**
 * The path from leaf `index` to the root under the Factom rule (odd last node paired with
 * itself): one step per level; empty for a single leaf.
 */
export function merkleBranch(leaves: readonly Uint8Array[], index: number): MerkleStep[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError('leaf index out of range');
  const steps: MerkleStep[] = [];
  let level: Buffer[] = leaves.map((l) => Buffer.from(l));
  let at = index;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = i + 1 < level.length ? level[i + 1] : left;
      const top = sha256(left, right);
      if (i === at || i + 1 === at) steps.push({ left, right, top });
      next.push(top);
    }
    level = next;
    at = Math.floor(at / 2);
  }
  return steps;
}
