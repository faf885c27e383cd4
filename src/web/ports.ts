/**
 * The narrow read (and few write) interfaces the web needs. The server only talks to these;
 * live-state.ts holds the live state the engine feeds, store-data.ts adapts the Store and
 * AuthService onto them. uint64 values and PEG amounts (1e-8 units) are bigint.
 */

import type { JobId, WireUserId } from '../domain/index.js';
import type { WebNotifyData } from './routes-notify.js';
import type { HashrateFigure } from '../accounting/index.js';
import type { SourceHealth } from '../oracle/health.js';

export type { HashrateFigure };
import type { WebCreditData } from './routes-credit.js';
import type { WebSiteData } from './ports-site.js';
import type { WebPayoutData } from './routes-payouts.js';

export type SortOrder = 'asc' | 'desc';

/** A validated page request: column is always one of the resource's allow-listed names. */
export interface PageQuery<Column extends string = string> {
  limit: number;
  offset: number;
  order: SortOrder;
  column: Column;
}

export interface Page<T> {
  data: T[];
  /** Rows matching before limit/offset. */
  total: number;
}

// ---- pool ----

export interface CurrentJob {
  jobId: JobId;
  /** The directory block height the job's OPR is for. */
  height: number;
  startedAt: Date;
}

export interface PoolStats {
  /** The pool's hashrate over the hashrate window, with its 95 % band. */
  hashrate: HashrateFigure;
  /** Unix ms at which the hashrate figures (pool, users, miners) were taken; null before the first. */
  figuresAt: number | null;
  /** Open Stratum sessions (here and on the edges). */
  connectedMiners: number;
  /** Users with an accepted share in the hashrate window or an open authorized session. */
  activeUsers: number;
  currentJob: CurrentJob | null;
  /** Lowest winning target of the last graded block (a uint64). */
  networkDifficulty: bigint;
  /** The submitter's EMA of graded targets. */
  ema: bigint;
  /** Entry credits on the pool's EC address. */
  ecBalance: bigint;
  syncHeight: number;
  /** factomd's head height as the PegNet sync last saw it (0 before its first pass): the sync lag is head - synced. */
  headHeight: number;
  /** From 0 to 1 when no share was rejected. */
  acceptRate: number;
}

/** One job's reward split: the original's owed_payouts row. */
export interface RewardRow {
  jobId: JobId;
  poolReward: bigint;
  winningOprs: number;
  gradedOprs: number;
  /** Decimal string, e.g. "0.05". */
  poolFeeRate: string;
  poolFee: bigint;
  dust: bigint;
  poolDifficulty: number;
  totalHashrate: number;
  /** The payout scheme that paid the job (prop, pplns, pps); absent where unknown. */
  scheme?: string;
}
export const REWARD_COLUMNS = ['job_id', 'pool_reward', 'winning', 'graded', 'pool_fee', 'dust', 'pool_difficulty', 'total_hashrate'] as const;
export type RewardColumn = (typeof REWARD_COLUMNS)[number];

export interface SubmissionRow {
  id: bigint;
  jobId: JobId;
  email: string;
  miner: string;
  /** Hex; empty when blocked before an entry was made. */
  oprHash: string;
  nonce: string;
  target: bigint;
  entryHash: string;
  commitTxId: string;
  /** Held back by the soft-max (the original's blocked = -1). */
  blocked: boolean;
  createdAt: Date;
}
export const SUBMISSION_COLUMNS = ['id', 'job_id', 'target', 'created_at'] as const;
export type SubmissionColumn = (typeof SUBMISSION_COLUMNS)[number];

/** The minute keeper's view, as api.SubmitSync returned it. */
export interface SubmitSyncStatus {
  submitting: boolean;
  submitHeight: number;
  syncing: boolean;
  lastNonZero: number;
}

export interface BlockRow {
  height: number;
  graded: boolean;
  /** Pool OPRs among the winners (0 = not won). */
  won: number;
  /** PEG (1e-8 units) the pool received for this block. */
  reward: bigint;
  time: Date;
}
export const BLOCK_COLUMNS = ['height', 'won', 'reward'] as const;
export type BlockColumn = (typeof BLOCK_COLUMNS)[number];

// ---- users ----

export interface WebUser {
  id: bigint;
  email: string;
  role: 'user' | 'admin';
  payoutAddress: string;
}

export interface MinerView {
  name: string;
  /** Over the hashrate window; `hashrate.shares` is the window's accepted shares. */
  hashrate: HashrateFigure;
  /** The last authorize or accepted share. */
  lastSeen: Date | null;
  /** The last accepted share. */
  lastShareAt: Date | null;
  /** A session of this miner is open now (here or on an edge). */
  connected: boolean;
}

/** A user's money in 1e-8 PEG, one meaning everywhere (see the store's balances). */
export interface BalanceView {
  /** Every settled job's share, for ever. */
  earned: bigint;
  /** In payout batches recorded as paid. */
  paid: bigint;
  /** Locked in payout batches written but not recorded yet. */
  pending: bigint;
  /** earned - paid - pending. */
  owed: bigint;
  /** Under PPS: what credited shares of jobs not yet settled will be owed at their rate (not in earned or owed). */
  accruing: bigint;
  payoutAddress: string;
}

export interface EarningRow {
  jobId: JobId;
  credit: bigint;
  amount: bigint;
}
export const EARNING_COLUMNS = ['job_id', 'amount'] as const;
export type EarningColumn = (typeof EARNING_COLUMNS)[number];

export interface PayoutView {
  batchId: string;
  status: 'pending' | 'paid' | 'cancelled';
  amount: bigint;
  address: string;
  createdAt: Date;
  entryHash: string | null;
}

// ---- admin ----

export interface ConnectedMinerView {
  sessionId: string;
  email: string;
  miner: string;
  agent: string;
  ip: string;
  authorized: boolean;
  subscribed: boolean;
  /** The session's preferred target (uint64). */
  target: bigint;
  nonce: number;
}

export interface UserAdminView {
  id: bigint;
  email: string;
  role: 'user' | 'admin';
  payoutAddress: string;
  createdAt: Date;
  balance: Omit<BalanceView, 'payoutAddress'>;
  /** The user's hashrate figure of the current snapshot (as /api/me shows it). */
  hashrate: HashrateFigure;
}

export interface InviteView {
  code: string;
  createdAt: Date;
  claimedBy: string | null;
  claimedAt: Date | null;
}

export interface BanView {
  ip: string;
  reason: string;
  until: Date;
}

/** One Stratum edge of a scaled-out pool, as its latest health report tells. */
export interface EdgeView {
  edgeId: string;
  sessions: number;
  sharesPerSecond: number;
  /** Over the figures' window, from the shares the coordinator credited for this edge. */
  hashrate: HashrateFigure;
  /** The job the edge serves (null before its first). */
  lastJobId: number | null;
  /** Shares waiting in the edge's spool for NATS. */
  spooled: number;
  validationPending: number;
  accepted: number;
  rejected: number;
  lastSeen: Date;
  /** Silent for longer than the registry allows. */
  stale: boolean;
}

export interface PayoutBatchView {
  id: string;
  status: 'pending' | 'paid' | 'cancelled';
  createdAt: Date;
  entryHash: string | null;
  total: bigint;
  items: number;
}

// ---- live events ----

export type PoolEvent =
  | { type: 'job'; jobId: string; height: number; at: number }
  | {
    type: 'shares'; at: number; hashrate: HashrateFigure; accepted: number; rejected: number;
    users: { userId: WireUserId; hashrate: HashrateFigure }[];
    miners: { userId: WireUserId; miner: string; hashrate: HashrateFigure }[];
  }
  | { type: 'block'; height: number; won: number; reward: string; at: number };

// ---- the ports ----

export interface WebAccounts {
  /** The user for a correct email/password, else null (unknown email and wrong password look alike). */
  login(email: string, password: string): Promise<WebUser | null>;
  /** Looks a session's user up again (role or address may have changed). */
  findUser(email: string): Promise<WebUser | null>;
  /** Throws ProsperError PROSPER_E_WEB_PASSWORD when `current` is wrong. */
  changePassword(email: string, current: string, next: string): Promise<void>;
  /** Throws ProsperError PROSPER_E_AUTH_ADDRESS when the address is not a valid FA address. */
  setPayoutAddress(userId: bigint, address: string): Promise<void>;
}

export interface WebPoolData {
  poolStats(): Promise<PoolStats>;
  rewards(q: PageQuery<RewardColumn>): Promise<Page<RewardRow>>;
  /** jobId 0n means every job. */
  submissions(q: PageQuery<SubmissionColumn>, jobId: JobId): Promise<Page<SubmissionRow>>;
  submitSync(): Promise<SubmitSyncStatus>;
  /** Each price source's last success, last error and failures in a row (empty without an oracle). */
  datasourceHealth(): Promise<SourceHealth[]>;
  blocks(q: PageQuery<BlockColumn>): Promise<Page<BlockRow>>;
}

export interface WebUserData {
  /** The user's miners; `email` finds their sessions on edges, which know miners by email. */
  miners(userId: bigint, email: string): Promise<MinerView[]>;
  /** The user's hashrate over the hashrate window (the sum of their miners'). */
  hashrate(userId: bigint): Promise<HashrateFigure>;
  balance(userId: bigint): Promise<BalanceView>;
  earnings(userId: bigint, q: PageQuery<EarningColumn>): Promise<Page<EarningRow>>;
  payouts(userId: bigint): Promise<PayoutView[]>;
}

export interface WebAdminData {
  connectedMiners(): Promise<ConnectedMinerView[]>;
  users(): Promise<UserAdminView[]>;
  inviteCodes(): Promise<InviteView[]>;
  createInviteCodes(count: number): Promise<string[]>;
  bans(): Promise<BanView[]>;
  payoutBatches(): Promise<PayoutBatchView[]>;
  /** The coordinator's edges (empty on a standalone pool). */
  edges(): Promise<EdgeView[]>;
}

export interface WebEvents {
  /** Calls listener for every pool event until the returned function is called. */
  subscribe(listener: (event: PoolEvent) => void): () => void;
}

/** Everything the web server is handed. */
export interface WebPorts {
  accounts: WebAccounts;
  pool: WebPoolData;
  users: WebUserData;
  admin: WebAdminData;
  events: WebEvents;
  /** Verifiable accounting (routes-credit.ts); absent where no pool publishes roots. */
  credit?: WebCreditData;
  /** Webhooks (routes-notify.ts); absent where no pool sends them. */
  notify?: WebNotifyData;
  /** History kept in the store and public handles (ports-site.ts); absent without a store. */
  site?: WebSiteData;
  /** Payout scheme, PPS reserve and per-user thresholds (routes-payouts.ts); absent: those routes answer 404. */
  payouts?: WebPayoutData;
}
