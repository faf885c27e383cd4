/**
 * The JSON shapes of GET /api/pool/credit/<H> and .../proof/<creditKey> (as values: bigints
 * become decimal strings on the wire). One definition for the pool that serves them and the
 * miner that reads them.
 */
import type { JobId } from '../domain/index.js';
import type { ProofStep } from './credit-tree.js';

export interface CreditRootJson {
  jobId: JobId;
  root: string;
  total: bigint;
  leaves: number;
  signature: string;
  reward: bigint;
  /** The fee rate the job's split used, a decimal string ("0.05"): poolFee = floor(reward x feeRate). */
  feeRate: string;
  poolFee: bigint;
  dust: bigint;
  /** prop, pplns or pps (a pool from before payout schemes leaves it out: prop). */
  scheme: string;
  /** PPS: 1e-8 PEG per unit of credit x 1e18, so your pay is floor(credit x ppsRateE18 / 1e18). */
  ppsRateE18: bigint | null;
  /** PPLNS: the window of credit the reward was split over. */
  pplnsWindow: bigint | null;
}

export interface CreditProofJson {
  jobId: JobId;
  creditKey: string;
  credit: bigint;
  path: ProofStep[];
  root: string;
  total: bigint;
  leaves: number;
  signature: string;
}
