import { checkPayoutAddress, generateInviteCode, hashPassword, verifyPassword, type ScryptCost } from '../auth/index.js';
import { ProsperError } from '../errors.js';
import { pageOf } from './paging.js';
import type {
  BanView, EdgeView, BlockRow, ConnectedMinerView, CurrentJob, EarningRow, HashratePoint, InviteView, MinerView,
  PayoutBatchView, PayoutView, PoolEvent, PoolStats, RewardRow, SubmissionRow, SubmitSyncStatus, UserAdminView,
  WebAccounts, WebAdminData, WebEvents, WebPoolData, WebPorts, WebUser, WebUserData,
} from './ports.js';

/** What the engine reports after each share window (e.g. every 10 s). */
export interface ShareWindow {
  at: number;
  accepted: number;
  rejected: number;
  hashrate: number;
  miners: { userId: bigint; miner: string; hashrate: number; shares: number }[];
}

export interface MemoryWebDataOptions {
  now: () => number;
  /** How many history points to keep per series (pool, user, miner). */
  historyPoints?: number;
  scryptCost?: ScryptCost;
  randomBytes?: (n: number) => Buffer;
}

interface MemUser extends WebUser {
  passwordHash: string;
  createdAt: Date;
}

/** Rows the live view keeps per table (newest kept): the store holds the full history. */
export const LIVE_ROWS_KEPT = 20_000;

function pushBounded<T>(rows: T[], row: T): void {
  rows.push(row);
  if (rows.length > LIVE_ROWS_KEPT) rows.splice(0, rows.length - LIVE_ROWS_KEPT);
}

/** A bounded series of points, oldest first. */
class Series {
  readonly points: HashratePoint[] = [];
  constructor(private readonly max: number) {}
  push(p: HashratePoint): void {
    this.points.push(p);
    if (this.points.length > this.max) this.points.splice(0, this.points.length - this.max);
  }
  since(t: number): HashratePoint[] {
    return this.points.filter((p) => p.t >= t);
  }
}

/**
 * The pool's live state in memory: the engine records jobs, share windows, blocks, submissions
 * and connections here, and the web reads it through the ports. It is also a complete
 * implementation of every port (accounts included), which tests and a store-less devnet use.
 */
export class MemoryWebData implements WebPorts {
  private readonly now: () => number;
  private readonly historyPoints: number;
  private readonly listeners = new Set<(e: PoolEvent) => void>();
  private readonly usersByEmail = new Map<string, MemUser>();
  private nextUserId = 1n;
  private job: CurrentJob | null = null;
  private network = { networkDifficulty: 0n, ema: 0n, ecBalance: 0n, syncHeight: 0 };
  private sync: SubmitSyncStatus = { submitting: false, submitHeight: 0, syncing: false, lastNonZero: 0 };
  private accepted = 0;
  private rejected = 0;
  private lastWindow: ShareWindow | null = null;
  private readonly poolSeries: Series;
  private readonly userSeries = new Map<bigint, Series>();
  private readonly minerSeries = new Map<string, Series>();
  private readonly minerState = new Map<string, { userId: bigint; name: string; hashrate: number; shares: number; lastSeen: Date }>();
  private readonly rewardRows: RewardRow[] = [];
  private readonly submissionRows: SubmissionRow[] = [];
  private submissionSeq = 0n;
  private readonly blockRows: BlockRow[] = [];
  private readonly earningRows = new Map<bigint, EarningRow[]>();
  private readonly payoutRows = new Map<bigint, PayoutView[]>();
  private readonly batches: PayoutBatchView[] = [];
  private readonly connected = new Map<string, ConnectedMinerView & { userId: bigint | null }>();
  private readonly banList = new Map<string, BanView>();
  private edgeSource: () => EdgeView[] = () => [];
  private remoteLive: (() => Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }>) | undefined;
  private readonly invites: InviteView[] = [];

  constructor(private readonly opts: MemoryWebDataOptions) {
    this.now = opts.now;
    this.historyPoints = opts.historyPoints ?? 8640;
    this.poolSeries = new Series(this.historyPoints);
  }

  // ---- recording (called by the engine) ----

  private emit(event: PoolEvent): void {
    for (const l of this.listeners) l(event);
  }

  async addUser(email: string, password: string, role: 'user' | 'admin' = 'user', payoutAddress = ''): Promise<WebUser> {
    const passwordHash = await hashPassword(password, { cost: this.opts.scryptCost, randomBytes: this.opts.randomBytes });
    const user: MemUser = { id: this.nextUserId++, email: email.toLowerCase(), role, payoutAddress, passwordHash, createdAt: new Date(this.now()) };
    this.usersByEmail.set(user.email, user);
    return publicUser(user);
  }

  setJob(job: CurrentJob): void {
    this.job = job;
    this.emit({ type: 'job', jobId: job.jobId.toString(), height: job.height, at: this.now() });
  }

  setNetwork(n: Partial<typeof this.network>): void {
    this.network = { ...this.network, ...n };
  }

  setSubmitSync(s: SubmitSyncStatus): void {
    this.sync = { ...s };
  }

  recordShareWindow(w: ShareWindow): void {
    this.accepted += w.accepted;
    this.rejected += w.rejected;
    this.lastWindow = w;
    this.poolSeries.push({ t: w.at, hashrate: w.hashrate });
    const perUser = new Map<bigint, number>();
    for (const m of w.miners) {
      const key = `${m.userId}/${m.miner}`;
      const series = this.minerSeries.get(key) ?? new Series(this.historyPoints);
      series.push({ t: w.at, hashrate: m.hashrate });
      this.minerSeries.set(key, series);
      const prev = this.minerState.get(key);
      this.minerState.set(key, { userId: m.userId, name: m.miner, hashrate: m.hashrate, shares: (prev?.shares ?? 0) + m.shares, lastSeen: new Date(w.at) });
      perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + m.hashrate);
    }
    for (const [userId, hashrate] of perUser) {
      const series = this.userSeries.get(userId) ?? new Series(this.historyPoints);
      series.push({ t: w.at, hashrate });
      this.userSeries.set(userId, series);
    }
    // Miners that sent nothing in this window are idle now.
    for (const [key, state] of this.minerState) {
      if (!w.miners.some((m) => `${m.userId}/${m.miner}` === key)) state.hashrate = 0;
    }
    this.emit({
      type: 'shares', at: w.at, hashrate: w.hashrate, accepted: w.accepted, rejected: w.rejected,
      miners: w.miners.map((m) => ({ userId: m.userId.toString(), miner: m.miner, hashrate: m.hashrate })),
    });
  }

  recordBlock(block: BlockRow): void {
    pushBounded(this.blockRows, { ...block });
    this.emit({ type: 'block', height: block.height, won: block.won, reward: block.reward.toString(), at: block.time.getTime() });
  }

  recordReward(row: RewardRow, perUser: { userId: bigint; credit: bigint; amount: bigint }[] = []): void {
    pushBounded(this.rewardRows, { ...row });
    for (const u of perUser) {
      const list = this.earningRows.get(u.userId) ?? [];
      list.push({ jobId: row.jobId, credit: u.credit, amount: u.amount });
      this.earningRows.set(u.userId, list);
    }
  }

  recordSubmission(row: Omit<SubmissionRow, 'id'>): void {
    pushBounded(this.submissionRows, { ...row, id: ++this.submissionSeq });
  }

  recordPayoutBatch(batch: Omit<PayoutBatchView, 'total' | 'items'>, items: { userId: bigint; address: string; amount: bigint }[]): void {
    this.batches.push({ ...batch, total: items.reduce((s, i) => s + i.amount, 0n), items: items.length });
    for (const i of items) {
      const list = this.payoutRows.get(i.userId) ?? [];
      list.push({ batchId: batch.id, status: batch.status, amount: i.amount, address: i.address, createdAt: batch.createdAt, entryHash: batch.entryHash });
      this.payoutRows.set(i.userId, list);
    }
  }

  connect(view: ConnectedMinerView, userId: bigint | null = null): void {
    this.connected.set(view.sessionId, { ...view, userId });
  }

  disconnect(sessionId: string): void {
    this.connected.delete(sessionId);
  }

  /** Where the admin page's edge list comes from (the coordinator's registry). */
  setEdgeSource(source: () => EdgeView[]): void {
    this.edgeSource = source;
  }

  /** Sessions and bans held by other processes (a coordinator's edges), asked for when an admin looks. */
  setRemoteLive(source: () => Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }>): void {
    this.remoteLive = source;
  }

  /** Sessions open on the edges that report (a coordinator's miners are there, not here). */
  private edgeSessions(): number {
    return this.edgeSource().reduce((n, e) => n + (e.stale ? 0 : e.sessions), 0);
  }

  ban(ban: BanView): void {
    this.banList.set(ban.ip, { ...ban });
  }

  // ---- ports ----

  readonly events: WebEvents = {
    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  readonly accounts: WebAccounts = {
    login: async (email, password) => {
      const user = this.usersByEmail.get(String(email).trim().toLowerCase());
      if (!user) return null;
      return (await verifyPassword(password, user.passwordHash)) ? publicUser(user) : null;
    },
    findUser: async (email) => {
      const user = this.usersByEmail.get(email);
      return user ? publicUser(user) : null;
    },
    changePassword: async (email, current, next) => {
      const user = this.usersByEmail.get(email);
      if (!user || !(await verifyPassword(current, user.passwordHash))) {
        throw new ProsperError('PROSPER_E_WEB_PASSWORD', 'current password is wrong');
      }
      user.passwordHash = await hashPassword(next, { cost: this.opts.scryptCost, randomBytes: this.opts.randomBytes });
    },
    setPayoutAddress: async (userId, address) => {
      const user = [...this.usersByEmail.values()].find((u) => u.id === userId);
      if (!user) throw new ProsperError('PROSPER_E_WEB_NO_USER', 'no such user');
      user.payoutAddress = checkPayoutAddress(address);
    },
  };

  readonly pool: WebPoolData = {
    poolStats: async (): Promise<PoolStats> => {
      const total = this.accepted + this.rejected;
      return {
        hashrate: this.lastWindow?.hashrate ?? 0,
        connectedMiners: this.connected.size + this.edgeSessions(),
        activeUsers: new Set((this.lastWindow?.miners ?? []).filter((m) => m.hashrate > 0).map((m) => m.userId)).size,
        currentJob: this.job,
        ...this.network,
        acceptRate: total === 0 ? 1 : this.accepted / total,
      };
    },
    rewards: async (q) => pageOf(this.rewardRows, q, {
      job_id: (r) => r.jobId, pool_reward: (r) => r.poolReward, winning: (r) => r.winningOprs, graded: (r) => r.gradedOprs,
      pool_fee: (r) => r.poolFee, dust: (r) => r.dust, pool_difficulty: (r) => r.poolDifficulty, total_hashrate: (r) => r.totalHashrate,
    }),
    submissions: async (q, jobId) => pageOf(jobId === 0n ? this.submissionRows : this.submissionRows.filter((s) => s.jobId === jobId), q, {
      id: (s) => s.id, job_id: (s) => s.jobId, target: (s) => s.target, created_at: (s) => s.createdAt,
    }),
    submitSync: async () => ({ ...this.sync }),
    blocks: async (q) => pageOf(this.blockRows, q, { height: (b) => b.height, won: (b) => b.won, reward: (b) => b.reward }),
    poolHashrateHistory: async (since) => this.poolSeries.since(since),
  };

  readonly users: WebUserData = {
    miners: async (userId): Promise<MinerView[]> => {
      const connectedNames = new Set([...this.connected.values()].filter((c) => c.userId === userId).map((c) => c.miner));
      const seen = [...this.minerState.values()].filter((m) => m.userId === userId);
      const views: MinerView[] = seen.map((m) => ({ name: m.name, hashrate: m.hashrate, shares: m.shares, lastSeen: m.lastSeen, connected: connectedNames.has(m.name) }));
      for (const name of connectedNames) {
        if (!seen.some((m) => m.name === name)) views.push({ name, hashrate: 0, shares: 0, lastSeen: null, connected: true });
      }
      return views.sort((a, b) => a.name.localeCompare(b.name));
    },
    hashrateHistory: async (userId, since, miner) => {
      const series = miner === undefined ? this.userSeries.get(userId) : this.minerSeries.get(`${userId}/${miner}`);
      return series?.since(since) ?? [];
    },
    balance: async (userId) => {
      const owed = (this.earningRows.get(userId) ?? []).reduce((s, e) => s + e.amount, 0n);
      const payouts = this.payoutRows.get(userId) ?? [];
      const sum = (status: PayoutView['status']) => payouts.filter((p) => p.status === status).reduce((s, p) => s + p.amount, 0n);
      const user = [...this.usersByEmail.values()].find((u) => u.id === userId);
      return { owed, paid: sum('paid'), pending: sum('pending'), payoutAddress: user?.payoutAddress ?? '' };
    },
    earnings: async (userId, q) => pageOf(this.earningRows.get(userId) ?? [], q, { job_id: (e) => e.jobId, amount: (e) => e.amount }),
    payouts: async (userId) => [...(this.payoutRows.get(userId) ?? [])].reverse(),
  };

  readonly admin: WebAdminData = {
    connectedMiners: async () => [
      ...[...this.connected.values()].map(({ userId: _u, ...v }) => v),
      ...((await this.remoteLive?.())?.miners ?? []),
    ],
    users: async (): Promise<UserAdminView[]> => [...this.usersByEmail.values()].map((u) => ({
      id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress, createdAt: u.createdAt,
    })),
    inviteCodes: async () => this.invites.map((i) => ({ ...i })),
    createInviteCodes: async (count) => {
      const codes = Array.from({ length: count }, () => generateInviteCode(this.opts.randomBytes));
      for (const code of codes) this.invites.push({ code, createdAt: new Date(this.now()), claimedBy: null, claimedAt: null });
      return codes;
    },
    bans: async () => [
      ...[...this.banList.values()].filter((b) => b.until.getTime() > this.now()),
      ...((await this.remoteLive?.())?.bans ?? []),
    ],
    payoutBatches: async () => [...this.batches].reverse(),
    edges: async () => this.edgeSource(),
  };
}

function publicUser(u: MemUser): WebUser {
  return { id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress };
}
