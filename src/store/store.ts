import type { JobId } from '../domain/index.js';
import type {
  BalanceRow, HandleOutcome, HistoryPoint, HistoryQuery, HistorySample, PublicHandle, ReserveMove, SettlementHistory, InviteCodeRecord, JobCreditRow, MinerRecord, NewUser, PayoutBatch, RecordOutcome,
  RegisterOutcome, Role, SettlementPlan, SettlementRecord, ShareCredit, UserCredit, UserOwedRow, UserRecord, WorkWindowRow,
} from './types.js';

/**
 * The one repository interface. Both backends (PostgreSQL via pg, embedded PGlite) implement
 * it through the same SQL (see sql-store.ts); callers never see which one they have.
 */
export interface Store {
  readonly backend: 'postgres' | 'pglite';

  // users, invites, miners
  createInviteCodes(codes: readonly string[], now: Date): Promise<void>;
  listInviteCodes(): Promise<InviteCodeRecord[]>;
  /** Claims the code and creates the user in one transaction: exactly one caller can win a code. */
  registerWithInvite(user: NewUser, code: string, now: Date): Promise<RegisterOutcome>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Returns false when no such user. */
  setRole(email: string, role: Role): Promise<boolean>;
  setPayoutAddress(userId: bigint, address: string): Promise<void>;
  /** Replaces a user's password hash (web password change). */
  setPasswordHash(userId: bigint, passwordHash: string): Promise<void>;
  touchMiner(userId: bigint, name: string, now: Date): Promise<void>;
  listMiners(userId?: bigint): Promise<MinerRecord[]>;

  // share credit
  /**
   * Durably credits a batch of shares in one transaction. batchId makes a replay of the same
   * batch (e.g. after a lost commit acknowledgement) a no-op; returns false in that case.
   */
  creditShares(batchId: string, shares: readonly ShareCredit[]): Promise<boolean>;
  jobCredits(jobId: JobId): Promise<JobCreditRow[]>;
  /** Credit per (user, miner) from raw shares received at or after `since` (and at or before `until`). */
  workSince(since: Date, until?: Date): Promise<WorkWindowRow[]>;
  /** workSince(since, until) for each window, in one query (the figures' history at start). */
  workInWindows(windows: readonly { since: Date; until: Date }[]): Promise<WorkWindowRow[][]>;
  /** Deletes raw shares (not aggregates) received before `before`; returns how many. */
  pruneShares(before: Date): Promise<number>;

  // settlement
  /**
   * Splits a job's reward once: plan() gets the job's credit per user (and, for PPLNS and PPS,
   * the earlier jobs' credit and the pool's running figures) and returns the split, which is
   * stored with the owed amounts. Settlements run one at a time. A second call returns the
   * first result unchanged.
   */
  settleJob(
    jobId: JobId,
    plan: (credits: UserCredit[], history: SettlementHistory) => SettlementPlan | Promise<SettlementPlan>,
    now: Date,
  ): Promise<{ record: SettlementRecord; created: boolean }>;
  getSettlement(jobId: JobId): Promise<SettlementRecord | null>;
  /** Newest settlements first (job id descending), with their payouts. */
  listSettlements(limit: number, offset?: number): Promise<SettlementRecord[]>;
  /** A user's owed amounts per job, newest first. */
  userOwed(userId: bigint, limit: number): Promise<UserOwedRow[]>;

  // balances and payouts
  /** Every user's balance; with the pool's ppsfee (scheme pps) also what open jobs are accruing. */
  balances(ppsFeeE8?: bigint | null): Promise<BalanceRow[]>;
  /** A user's own payout threshold (1e-8 PEG); null returns them to the pool's minimum. */
  setMinPayout(userId: bigint, amount: bigint | null): Promise<void>;
  /**
   * Locks every balance (owed - paid - pending) that reaches its user's threshold (their own,
   * never below `minimum`) for users with a payout address into a new pending batch. Returns
   * null when nobody is due.
   */
  createPayoutBatch(id: string, minimum: bigint, now: Date): Promise<PayoutBatch | null>;
  getPayoutBatch(id: string): Promise<PayoutBatch | null>;
  /** Newest batches first. */
  listPayoutBatches(limit: number): Promise<PayoutBatch[]>;
  /** Marks a pending batch paid by the transaction entryHash; idempotent for the same hash. */
  recordPayout(id: string, entryHash: string, now: Date): Promise<RecordOutcome>;
  /** Releases a pending batch that was never sent; false if it was not pending. */
  cancelPayoutBatch(id: string, now: Date): Promise<boolean>;

  // hashrate history (charts that span restarts)
  /** Writes one sample of the figures; a sample already written at `at` is kept. */
  recordHistory(at: Date, samples: readonly HistorySample[]): Promise<void>;
  /** One series, oldest first, one point (the newest sample) per step. */
  hashrateHistory(q: HistoryQuery): Promise<HistoryPoint[]>;
  /** Deletes samples older than `before`; returns how many. */
  pruneHistory(before: Date): Promise<number>;

  // public handles
  /** 'taken' when another user has it (in any case); null clears it. */
  setPublicHandle(userId: bigint, handle: string | null): Promise<HandleOutcome>;
  publicHandle(userId: bigint): Promise<string | null>;
  /** Whatever the case; the email is for finding the user's sessions, never for showing. */
  findByHandle(handle: string): Promise<(PublicHandle & { email: string }) | null>;
  publicHandles(): Promise<PublicHandle[]>;

  // the PPS reserve
  /** The reserve now: operator moves plus every settlement's reserve delta. */
  ppsReserve(): Promise<bigint>;
  /** Deposit (positive) or withdraw (negative); returns the reserve after it. */
  moveReserve(amount: bigint, note: string, now: Date): Promise<bigint>;
  reserveMoves(limit: number): Promise<ReserveMove[]>;
  /** Rewards of the newest settlements, newest first. */
  recentRewards(blocks: number): Promise<bigint[]>;

  close(): Promise<void>;
}
