/**
 * The Merkle-sum tree over one job's credit (docs/verifiable-accounting.md):
 *   leaf = SHA-256(0x00 || creditKey (32 bytes) || credit (16-byte big-endian)), sum = credit
 *   node = SHA-256(0x01 || left hash || left sum (16 BE) || right hash || right sum (16 BE)),
 *          sum = left sum + right sum
 * leaves sorted by creditKey bytewise, shaped as RFC 6962: over n > 1 leaves, node(first k,
 * rest) with k the largest power of two below n. Sums make a hidden leaf impossible: every
 * sibling's sum is part of what the signed root commits to, and no sum is negative.
 */
import { createHash } from 'node:crypto';
import { ProsperError } from '../errors.js';

/** Sums are 16-byte unsigned integers. */
export const SUM_LIMIT = 1n << 128n;

export interface CreditLeaf {
  /** 64 lowercase hex characters (32 bytes). */
  creditKey: string;
  credit: bigint;
}

export interface TreeNode {
  /** 32 bytes. */
  hash: Buffer;
  sum: bigint;
}

/** One step of an inclusion proof: `side` is where the sibling stands. */
export interface ProofStep {
  side: 'L' | 'R';
  hash: string;
  sum: bigint;
}

const CREDIT_KEY = /^[0-9a-f]{64}$/;

function treeError(message: string): ProsperError {
  return new ProsperError('PROSPER_E_VERIFY_TREE', message);
}

export function isCreditKey(s: unknown): s is string {
  return typeof s === 'string' && CREDIT_KEY.test(s);
}

/** A sum as 16 big-endian bytes. */
export function sumBytes(sum: bigint): Buffer {
  if (sum < 0n || sum >= SUM_LIMIT) throw treeError(`sum out of the 16-byte range: ${sum}`);
  const out = Buffer.alloc(16);
  out.writeBigUInt64BE(sum >> 64n, 0);
  out.writeBigUInt64BE(sum & 0xffffffffffffffffn, 8);
  return out;
}

export function leafNode(creditKey: string, credit: bigint): TreeNode {
  if (!isCreditKey(creditKey)) throw treeError('a credit key is 64 lowercase hex characters');
  const hash = createHash('sha256').update(Buffer.from([0])).update(Buffer.from(creditKey, 'hex')).update(sumBytes(credit)).digest();
  return { hash, sum: credit };
}

export function parentNode(left: TreeNode, right: TreeNode): TreeNode {
  const sum = left.sum + right.sum;
  sumBytes(sum); // the total must fit too
  const hash = createHash('sha256').update(Buffer.from([1])).update(left.hash).update(sumBytes(left.sum)).update(right.hash).update(sumBytes(right.sum)).digest();
  return { hash, sum };
}

/** The largest power of two smaller than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Leaves in tree order: sorted by credit key; a key twice is an error. */
export function sortLeaves(leaves: readonly CreditLeaf[]): CreditLeaf[] {
  // Lowercase hex sorts exactly as its bytes do.
  const sorted = [...leaves].sort((a, b) => (a.creditKey < b.creditKey ? -1 : a.creditKey > b.creditKey ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.creditKey === sorted[i - 1]!.creditKey) throw treeError(`credit key ${sorted[i]!.creditKey} appears twice`);
  }
  return sorted;
}

/** A built tree: its root and the sorted leaves' nodes, to answer proofs. */
export class CreditTree {
  readonly leaves: readonly CreditLeaf[];
  private readonly nodes: TreeNode[];
  readonly root: TreeNode;

  /** Throws for no leaves: no tree is published for a job without credit. */
  constructor(leaves: readonly CreditLeaf[]) {
    if (leaves.length === 0) throw treeError('a tree needs at least one leaf');
    this.leaves = sortLeaves(leaves);
    this.nodes = this.leaves.map((l) => leafNode(l.creditKey, l.credit));
    this.root = this.subtree(0, this.nodes.length);
  }

  get size(): number {
    return this.leaves.length;
  }

  private subtree(lo: number, hi: number): TreeNode {
    if (hi - lo === 1) return this.nodes[lo]!;
    const k = splitPoint(hi - lo);
    return parentNode(this.subtree(lo, lo + k), this.subtree(lo + k, hi));
  }

  indexOf(creditKey: string): number {
    let lo = 0;
    let hi = this.leaves.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const key = this.leaves[mid]!.creditKey;
      if (key === creditKey) return mid;
      if (key < creditKey) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The siblings from the leaf up to the root, or null when the key has no leaf. */
  proof(creditKey: string): { leaf: CreditLeaf; path: ProofStep[] } | null {
    const index = this.indexOf(creditKey);
    if (index < 0) return null;
    const path: ProofStep[] = [];
    const walk = (lo: number, hi: number): void => {
      if (hi - lo === 1) return;
      const k = splitPoint(hi - lo);
      if (index < lo + k) {
        walk(lo, lo + k);
        const sib = this.subtree(lo + k, hi);
        path.push({ side: 'R', hash: sib.hash.toString('hex'), sum: sib.sum });
      } else {
        walk(lo + k, hi);
        const sib = this.subtree(lo, lo + k);
        path.push({ side: 'L', hash: sib.hash.toString('hex'), sum: sib.sum });
      }
    };
    walk(0, this.leaves.length);
    return { leaf: this.leaves[index]!, path };
  }
}

/** Folds a proof path from a leaf up: the root it reaches. */
export function rootFromPath(leaf: CreditLeaf, path: readonly ProofStep[]): TreeNode {
  let node = leafNode(leaf.creditKey, leaf.credit);
  for (const step of path) {
    if (!/^[0-9a-f]{64}$/.test(step.hash)) throw treeError('a proof hash is 64 lowercase hex characters');
    const sibling: TreeNode = { hash: Buffer.from(step.hash, 'hex'), sum: step.sum };
    node = step.side === 'L' ? parentNode(sibling, node) : step.side === 'R' ? parentNode(node, sibling) : (() => { throw treeError(`proof side must be "L" or "R", got ${String(step.side)}`); })();
  }
  return node;
}
