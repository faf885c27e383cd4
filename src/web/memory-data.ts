import { DEFAULT_HASHRATE_WINDOW_SECONDS, idleHashrate, minerKey, parseMinerKey, type HashrateFigure, type PoolHashrates } from '../accounting/index.js';
import { checkPayoutAddress, generateInviteCode, hashPassword, verifyPassword, type ScryptCost } from '../auth/index.js';
import { ProsperError } from '../errors.js';
import { pageOf } from './paging.js';
import type {
  BalanceView, BanView, EdgeView, BlockRow, ConnectedMinerView, CurrentJob, EarningRow, HashratePoint, InviteView, MinerView,
  PayoutBatchView, PayoutView, PoolEvent, PoolStats, RewardRow, SubmissionRow, SubmitSyncStatus, UserAdminView,
  WebAccounts, WebAdminData, WebEvents, WebPoolData, WebPorts, WebUser, WebUserData,
} from './ports.js';

/** What the engine reports each time it takes the figures: share counts since the last time and the hashrates. */
export interface ShareWindow {
  accepted: number;
  rejected: number;
  /** Pool, user and miner hashrates of one moment (rates.at). */
  rates: PoolHashrates;
}

export interface MemoryWebDataOptions {
  now: () => number;
  /** How many history points to keep per series (pool, user, miner). */
  historyPoints?: number;
  scryptCost?: ScryptCost;
  randomBytes?: (n: number) => Buffer;
  /** The hashrate window shown before the first figures arrive. */
  hashrateWindowSeconds?: number;
}

interface MemUser extends WebUser {
  passwordHash: string;
  createdAt: Date;
}

/** How long one answer of the edges' live views is reused (ms). */
const EDGE_LIVE_REUSE_MS = 2000;

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
  private rates: PoolHashrates | null = null;
  private readonly poolSeries: Series;
  private readonly userSeries = new Map<bigint, Series>();
  private readonly minerSeries = new Map<string, Series>();
  /** Miners seen with shares, and their last accepted share (unix ms). */
  private readonly minerState = new Map<string, { userId: bigint; name: string; lastShareAt: number }>();
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
  private remoteAsked: { at: number; answer: Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }> } | undefined;
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
    const r = w.rates;
    this.accepted += w.accepted;
    this.rejected += w.rejected;
    this.rates = r;
    this.recordHistory(r);
    this.emit({
      type: 'shares', at: r.at, hashrate: r.pool, accepted: w.accepted, rejected: w.rejected,
      users: [...r.users].map(([userId, hashrate]) => ({ userId: userId.toString(), hashrate })),
      miners: [...r.miners].map(([key, hashrate]) => {
        const { userId, miner } = parseMinerKey(key);
        return { userId: userId.toString(), miner, hashrate };
      }),
    });
  }

  /** A snapshot's points in the history charts (also a past one, filled back at start). */
  recordHistory(r: PoolHashrates): void {
    this.poolSeries.push(point(r.at, r.pool));
    const seriesOf = <K>(map: Map<K, Series>, key: K) => {
      const s = map.get(key) ?? new Series(this.historyPoints);
      map.set(key, s);
      return s;
    };
    for (const [key, figure] of r.miners) {
      const { userId, miner } = parseMinerKey(key);
      seriesOf(this.minerSeries, key).push(point(r.at, figure));
      const last = r.lastShares.get(key) ?? r.at;
      const prev = this.minerState.get(key);
      this.minerState.set(key, { userId, name: miner, lastShareAt: Math.max(last, prev?.lastShareAt ?? 0) });
    }
    for (const [userId, figure] of r.users) seriesOf(this.userSeries, userId).push(point(r.at, figure));
    // A miner or user with no share in the window is idle: their series show it as a 0 point.
    for (const [key, s] of this.minerSeries) if (!r.miners.has(key)) s.push(point(r.at, idleHashrate(r.windowSeconds)));
    for (const [userId, s] of this.userSeries) if (!r.users.has(userId)) s.push(point(r.at, idleHashrate(r.windowSeconds)));
  }

  /** The current snapshot of the figures (null before the first). */
  latestRates(): PoolHashrates | null {
    return this.rates;
  }

  /** The window the figures are estimated over (the configured one before the first snapshot). */
  private windowSeconds(): number {
    return this.rates?.windowSeconds ?? this.opts.hashrateWindowSeconds ?? DEFAULT_HASHRATE_WINDOW_SECONDS;
  }

  /** A user's or miner's figure of the current snapshot (idle when they had no share in its window). */
  private figureOf(userId: bigint, miner?: string): HashrateFigure {
    const f = miner === undefined ? this.rates?.users.get(userId) : this.rates?.miners.get(minerKey(userId, miner));
    return f ?? idleHashrate(this.windowSeconds());
  }

  /**
   * Which of a user's miners have a session open now, by name: sessions held here (known by user
   * id) and on the edges (known by the email the miner authorized with).
   */
  async openMiners(userId: bigint, email: string): Promise<Set<string>> {
    const lower = email.toLowerCase();
    const names = new Set([...this.connected.values()].filter((c) => c.authorized && (c.userId === userId || c.email.toLowerCase() === lower)).map((c) => c.miner));
    for (const s of (await this.edgeLive())?.miners ?? []) if (s.authorized && s.email.toLowerCase() === lower) names.add(s.miner);
    return names;
  }

  /** A miner's figures as the API lists them; `lastShareAt` from the store when it knows better. */
  minerView(userId: bigint, name: string, open: Set<string>, stored?: { lastSeen: Date; lastShareAt: Date | null }): MinerView {
    const seen = this.minerState.get(minerKey(userId, name))?.lastShareAt;
    const lastShareMs = Math.max(stored?.lastShareAt?.getTime() ?? 0, seen ?? 0);
    const lastShareAt = lastShareMs > 0 ? new Date(lastShareMs) : null;
    const lastSeenMs = Math.max(stored?.lastSeen.getTime() ?? 0, lastShareMs);
    return { name, hashrate: this.figureOf(userId, name), lastSeen: lastSeenMs > 0 ? new Date(lastSeenMs) : null, lastShareAt, connected: open.has(name) };
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

  /** A session opened or authorized (userId once it is known). */
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
    this.remoteAsked = undefined;
  }

  /**
   * The edges' sessions and bans, asked at most once per EDGE_LIVE_REUSE_MS: every user's miners
   * list needs them, and each ask is a request to every edge.
   */
  private edgeLive(): Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }> | undefined {
    if (!this.remoteLive) return undefined;
    const t = this.now();
    if (!this.remoteAsked || t - this.remoteAsked.at >= EDGE_LIVE_REUSE_MS || t < this.remoteAsked.at) {
      this.remoteAsked = { at: t, answer: this.remoteLive() };
    }
    return this.remoteAsked.answer;
  }

  /** Sessions open on the edges that report (a coordinator's miners are there, not here). */
  private edgeSessions(): number {
    return this.edgeSource().reduce((n, e) => n + (e.stale ? 0 : e.sessions), 0);
  }

  /** The store's balance definition over the rows kept here (store-less pools and tests). */
  private balanceOf(userId: bigint): Omit<BalanceView, 'payoutAddress'> {
    const earned = (this.earningRows.get(userId) ?? []).reduce((s, e) => s + e.amount, 0n);
    const payouts = this.payoutRows.get(userId) ?? [];
    const sum = (status: PayoutView['status']) => payouts.filter((p) => p.status === status).reduce((s, p) => s + p.amount, 0n);
    const paid = sum('paid');
    const pending = sum('pending');
    return { earned, paid, pending, owed: earned - paid - pending };
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
      const active = new Set(this.rates?.users.keys() ?? []);
      for (const c of this.connected.values()) if (c.authorized && c.userId !== null) active.add(c.userId);
      return {
        hashrate: this.rates?.pool ?? idleHashrate(this.windowSeconds()),
        figuresAt: this.rates?.at ?? null,
        connectedMiners: this.connected.size + this.edgeSessions(),
        activeUsers: active.size,
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
    miners: async (userId, email): Promise<MinerView[]> => {
      const open = await this.openMiners(userId, email);
      const names = new Set([...this.minerState.values()].filter((m) => m.userId === userId).map((m) => m.name));
      for (const name of open) names.add(name);
      return [...names].sort((a, b) => a.localeCompare(b)).map((name) => this.minerView(userId, name, open));
    },
    hashrate: async (userId) => this.figureOf(userId),
    hashrateHistory: async (userId, since, miner) => {
      const series = miner === undefined ? this.userSeries.get(userId) : this.minerSeries.get(`${userId}/${miner}`);
      return series?.since(since) ?? [];
    },
    balance: async (userId) => {
      const user = [...this.usersByEmail.values()].find((u) => u.id === userId);
      return { ...this.balanceOf(userId), payoutAddress: user?.payoutAddress ?? '' };
    },
    earnings: async (userId, q) => pageOf(this.earningRows.get(userId) ?? [], q, { job_id: (e) => e.jobId, amount: (e) => e.amount }),
    payouts: async (userId) => [...(this.payoutRows.get(userId) ?? [])].reverse(),
  };

  readonly admin: WebAdminData = {
    connectedMiners: async () => [
      ...[...this.connected.values()].map(({ userId: _u, ...v }) => v),
      ...((await this.edgeLive())?.miners ?? []),
    ],
    users: async (): Promise<UserAdminView[]> => [...this.usersByEmail.values()].map((u) => ({
      id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress, createdAt: u.createdAt, balance: this.balanceOf(u.id), hashrate: this.figureOf(u.id),
    })),
    inviteCodes: async () => this.invites.map((i) => ({ ...i })),
    createInviteCodes: async (count) => {
      const codes = Array.from({ length: count }, () => generateInviteCode(this.opts.randomBytes));
      for (const code of codes) this.invites.push({ code, createdAt: new Date(this.now()), claimedBy: null, claimedAt: null });
      return codes;
    },
    bans: async () => [
      ...[...this.banList.values()].filter((b) => b.until.getTime() > this.now()),
      ...((await this.edgeLive())?.bans ?? []),
    ],
    payoutBatches: async () => [...this.batches].reverse(),
    edges: async () => this.edgeSource(),
  };
}

function point(t: number, f: HashrateFigure): HashratePoint {
  return { t, hashrate: f.value, low: f.low, high: f.high };
}

function publicUser(u: MemUser): WebUser {
  return { id: u.id, email: u.email, role: u.role, payoutAddress: u.payoutAddress };
}
