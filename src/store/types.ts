/** Records the store hands out and takes in. uint64 and money are bigint; times are Date. */

import type { JobId } from '../domain/index.js';

export type Role = 'user' | 'admin';

export interface UserRecord {
  id: bigint;
  email: string;
  passwordHash: string;
  role: Role;
  /** '' until the user sets one. */
  payoutAddress: string;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  payoutAddress: string;
}

export interface InviteCodeRecord {
  code: string;
  createdAt: Date;
  claimedBy: string | null;
  claimedAt: Date | null;
}

export type RegisterOutcome =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: 'code-invalid' | 'email-taken' };

export interface MinerRecord {
  userId: bigint;
  name: string;
  firstSeen: Date;
  /** The last authorize or accepted share of this miner. */
  lastSeen: Date;
  /** The last accepted (credited) share; null before the first. */
  lastShareAt: Date | null;
}

/** One accepted share, credited by the target it was assigned. */
export interface ShareCredit {
  jobId: JobId;
  userId: bigint;
  miner: string;
  target: bigint;
  /** Credit units for that target (see accounting/credit.ts). */
  credit: bigint;
  receivedAt: Date;
  /** When set, a share with an id already credited is skipped (at-least-once delivery, exactly-once credit). */
  shareId?: string;
}

export interface JobCreditRow {
  jobId: JobId;
  userId: bigint;
  miner: string;
  credit: bigint;
  shares: bigint;
  firstShare: Date;
  lastShare: Date;
}

export interface UserCredit {
  userId: bigint;
  credit: bigint;
}

/** The payout scheme that paid a settled job (accounting/scheme.ts). */
export type SchemeName = 'prop' | 'pplns' | 'pps';

/** A job's reward split, computed by accounting from the job's credit per user. */
export interface RewardSplit {
  reward: bigint;
  feeRateE8: bigint;
  fee: bigint;
  dust: bigint;
  /** The credit the amounts are pro rata to: the job's (PROP, PPS) or the PPLNS window's. */
  totalCredit: bigint;
  payouts: { userId: bigint; credit: bigint; amount: bigint }[];
}

/**
 * How a job was paid, and the pool's running figures after it. In every scheme
 * fee + dust + sum(amount) + reserveDelta == reward (PROP and PPLNS leave the reserve alone).
 */
export interface SchemeFields {
  scheme: SchemeName;
  /** PPS was configured but fell back to PPLNS (reserve at its floor, or no reward history yet). */
  fallback: boolean;
  /** What the PPS reserve gained (negative: lost) with this job. */
  reserveDelta: bigint;
  /** PPS: 1e-8 PEG per unit of credit, times 1e18. */
  ppsRateE18: bigint | null;
  /** The job's own credit (the signed credit root's total). */
  jobCredit: bigint;
  /** PPLNS: the window in credit units. */
  pplnsWindow: bigint | null;
  /** EMAs of reward (1e-8 PEG) and credit per block, this job included. */
  emaReward: bigint;
  emaCredit: bigint;
}

/** A plan may leave the scheme fields out: then it is a PROP split of the job's credit. */
export type SettlementPlan = RewardSplit & Partial<SchemeFields>;

export interface SettlementRecord extends RewardSplit, SchemeFields {
  jobId: JobId;
  settledAt: Date;
}

/** The pool's running figures before a job is settled: what PPLNS and PPS are computed from. */
export interface PoolPayState {
  /** EMAs after the newest earlier settlement; null before the first. */
  emaReward: bigint | null;
  emaCredit: bigint | null;
  /** The PPS reserve: deposits plus every settlement's reserveDelta. */
  reserve: bigint;
}

/** What a settlement plan may read besides the job's own credit (inside the settling transaction). */
export interface SettlementHistory {
  state(): Promise<PoolPayState>;
  /** Credit per user of up to `limit` jobs with credit before `jobId`, newest first. */
  jobsBefore(jobId: JobId, limit: number): Promise<{ jobId: JobId; credits: UserCredit[] }[]>;
  /** A job's raw shares, newest first, as (user, credit); fewer (or none) once they are pruned. */
  sharesOf(jobId: JobId): Promise<UserCredit[]>;
  /** What the other jobs not settled yet have accrued under PPS (shown to users as accruing); none when absent. */
  openAccrued?(ppsFeeE8: bigint): Promise<bigint>;
}

export interface WorkWindowRow {
  userId: bigint;
  miner: string;
  credit: bigint;
  shares: bigint;
  /** The newest share of the rows. */
  lastShare: Date;
}

export interface BalanceRow {
  userId: bigint;
  email: string;
  payoutAddress: string;
  /** The user's own payout threshold (1e-8 PEG); null: the pool's minimum. */
  minPayout: bigint | null;
  /** Every settled job's share of this user, for ever. */
  earned: bigint;
  /** In payout batches recorded as paid. */
  paid: bigint;
  /** Locked in a payout batch that is written but not yet recorded as paid. */
  pending: bigint;
  /** earned - paid - pending: what the next payout batch would pay. */
  owed: bigint;
  /**
   * Under PPS: floor(credit x rate) of each job not yet settled, at the rate its settlement will
   * use; not in earned or owed (never paid) until the job settles. 0 under PROP and PPLNS.
   */
  accruing: bigint;
}

export interface PayoutItem {
  userId: bigint;
  email: string;
  address: string;
  amount: bigint;
}

export type PayoutStatus = 'pending' | 'paid' | 'cancelled';

export interface PayoutBatch {
  id: string;
  status: PayoutStatus;
  createdAt: Date;
  entryHash: string | null;
  items: PayoutItem[];
}

export type RecordOutcome = 'recorded' | 'already-recorded';

/** One job's owed amount for one user (the web's "owed payouts" list). */
export interface UserOwedRow {
  jobId: JobId;
  credit: bigint;
  amount: bigint;
  settledAt: Date;
}

export type HistoryKind = 'pool' | 'user' | 'miner';

/** One series' figure at one sample: the pool (user 0, miner ''), a user (miner '') or a miner. */
export interface HistorySample {
  kind: HistoryKind;
  userId: bigint;
  miner: string;
  /** The estimator's value and 95 % band (H/s). */
  value: number;
  low: number;
  high: number;
  /** Accepted shares in the figures' window. */
  shares: number;
  /** Miners with shares in the window (1 for a miner's own series). */
  workers: number;
}

export interface HistoryQuery {
  kind: HistoryKind;
  userId: bigint;
  miner: string;
  since: Date;
  /** One point per step of this many seconds (the newest sample in it). */
  stepSeconds: number;
}

export interface HistoryPoint {
  at: Date;
  value: number;
  low: number;
  high: number;
  shares: number;
  workers: number;
}

export type HandleOutcome = 'set' | 'taken' | 'no-user';

export interface PublicHandle {
  userId: bigint;
  handle: string;
}

/** One change of the PPS reserve made by the operator (a deposit, or a withdrawal when negative). */
export interface ReserveMove {
  id: bigint;
  amount: bigint;
  note: string;
  createdAt: Date;
}
