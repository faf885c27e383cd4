/**
 * The network's hashrate, the pool's share of it and a block's effort: one definition each,
 * for every page and API (README "Hashrate" and docs/web.md say the same in words).
 *
 * The graded set of a block is the best OPRs by difficulty, its cutoff the lowest of them. A
 * hash reaches the cutoff with chance (2^64 - cutoff) / 2^64, so k records at or above it stand
 * for k * 2^64 / (2^64 - cutoff) hashes. That count is true for the competitors, who submit what
 * they find; the pool holds most of its records back (the soft-max submits its best few), so its
 * own OPRs in the set would undercount it. The pool's work is its own measured figure instead,
 * and the network is the pool plus the competitors: the share can never exceed 100 %.
 */
import { effectiveHashRate, MINING_PERIOD_SECONDS } from '../lxr/index.js';

/** Winner slots of a graded block from V2 on (V1 paid 10). */
export const WINNERS_PER_BLOCK = 25;

/** A graded block as the figures need it. */
export interface GradedCounts {
  /** OPRs in the graded set. */
  spot: number;
  /** Of them, the pool's. */
  poolGraded: number;
  /** The lowest difficulty (uint64 target) in the graded set. */
  cutoff: bigint;
}

/** Hashes the competitors did for one block: their records at or above the cutoff, scaled by its odds. 0 when they had none. */
export function competitorWork(b: GradedCounts): number {
  const others = b.spot - b.poolGraded;
  return others > 0 ? effectiveHashRate(b.cutoff, others, 1) : 0;
}

/** The network's hashrate (H/s): the pool's own figure plus the competitors' of the block. */
export function networkHashrate(poolRate: number, b: GradedCounts): number {
  return Math.max(0, poolRate) + competitorWork(b) / MINING_PERIOD_SECONDS;
}

/** The pool's share of the network, 0..1 (0 when nothing is known to mine). */
export function poolShare(poolRate: number, network: number): number {
  return network > 0 && poolRate > 0 ? Math.min(1, poolRate / network) : 0;
}

/** The winner slots a block paid: its version's winners, fewer when fewer OPRs were graded (a small devnet). */
export function winnerSlots(b: GradedCounts, winners: number = WINNERS_PER_BLOCK): number {
  return b.spot > 0 ? Math.min(winners, b.spot) : winners;
}

/**
 * A block's effort: the pool's work (its credit, expected hashes) over the work expected for the
 * winner slots it took, i.e. its share of the block's work divided by its share of the slots:
 * (poolWork / (poolWork + competitorWork)) / (won / winnerSlots). 1 is par, below is luck; a pool
 * that takes every slot alone is at 1. Null when nothing was won or no work was credited.
 */
export function blockEffort(poolWork: number, won: number, b: GradedCounts, winners: number = WINNERS_PER_BLOCK): number | null {
  const slots = winnerSlots(b, winners);
  if (won <= 0 || !(poolWork > 0) || slots <= 0) return null;
  return (poolWork / (poolWork + competitorWork(b))) / (Math.min(won, slots) / slots);
}
