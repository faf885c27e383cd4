/**
 * The JSON shapes of GET /api/pool/credit/<H> and .../proof/<creditKey> (as values: bigints
 * become decimal strings on the wire). One definition for the pool that serves them and the
 * miner that reads them.
 */
import type { ProofStep } from './credit-tree.js';

export interface CreditRootJson {
  jobId: number;
  root: string;
  total: bigint;
  leaves: number;
  signature: string;
  reward: bigint;
  /** The fee rate the job's split used, a decimal string ("0.05"): poolFee = floor(reward x feeRate). */
  feeRate: string;
  poolFee: bigint;
  dust: bigint;
}

export interface CreditProofJson {
  jobId: number;
  creditKey: string;
  credit: bigint;
  path: ProofStep[];
  root: string;
  total: bigint;
  leaves: number;
  signature: string;
}
