import { DEFAULT_HASHRATE_WINDOW_SECONDS, idleHashrate, minerKey, parseMinerKey, type HashrateFigure, type PoolHashrates } from '../accounting/index.js';
import type { SourceHealth } from '../oracle/health.js';
import type {
  BanView, BlockRow, ConnectedMinerView, CurrentJob, EdgeView, MinerView, PoolEvent, PoolStats, SubmitSyncStatus,
  WebAdminData, WebEvents, WebPoolData, WebUserData,
} from './ports.js';

/** What the engine reports each time it takes the figures: share counts since the last time and the hashrates. */
export interface ShareWindow {
  accepted: number;
  rejected: number;
  /** Pool, user and miner hashrates of one moment (rates.at). */
  rates: PoolHashrates;
}

export interface LiveStateOptions {
  now: () => number;
  /** The hashrate window shown before the first figures arrive. */
  hashrateWindowSeconds?: number;
}

/** How long one answer of the edges' live views is reused (ms). */
const EDGE_LIVE_REUSE_MS = 2000;

/**
 * The pool's live state in memory, what the tables do not hold: the current job, network
 * figures, the latest hashrate snapshot and its history charts, open sessions and bans, and
 * the WebSocket feed's events. The engine records here; the web reads it beside the store
 * (store-data.ts), which holds every history list.
 */
export class LiveState {
  protected readonly now: () => number;
  private readonly listeners = new Set<(e: PoolEvent) => void>();
  protected job: CurrentJob | null = null;
  protected network = { networkDifficulty: 0n, ema: 0n, ecBalance: 0n, syncHeight: 0, headHeight: 0 };
  private healthSource: () => SourceHealth[] = () => [];
  private sync: SubmitSyncStatus = { submitting: false, submitHeight: 0, syncing: false, lastNonZero: 0 };
  protected accepted = 0;
  protected rejected = 0;
  protected rates: PoolHashrates | null = null;
  /** Miners seen with shares, and their last accepted share (unix ms). */
  protected readonly minerState = new Map<string, { userId: bigint; name: string; lastShareAt: number }>();
  protected readonly connected = new Map<string, ConnectedMinerView & { userId: bigint | null }>();
  private readonly banList = new Map<string, BanView>();
  private edgeSource: () => EdgeView[] = () => [];
  private remoteLive: (() => Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }>) | undefined;
  private remoteAsked: { at: number; answer: Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }> } | undefined;

  constructor(private readonly liveOpts: LiveStateOptions) {
    this.now = liveOpts.now;
  }

  // ---- recording (called by the engine) ----

  protected emit(event: PoolEvent): void {
    for (const l of this.listeners) l(event);
  }

  setJob(job: CurrentJob): void {
    this.job = job;
    this.emit({ type: 'job', jobId: job.jobId.toString(), height: job.height, at: this.now() });
  }

  setNetwork(n: Partial<typeof this.network>): void {
    this.network = { ...this.network, ...n };
  }

  /** Where the price sources' health comes from (the pool's oracle; none when the web runs alone). */
  setDatasourceHealth(source: () => SourceHealth[]): void {
    this.healthSource = source;
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

  /**
   * The miners a snapshot (also a past one, filled back at start) saw and their last share. The
   * charts read the history kept in the store (site-data.ts), not memory.
   */
  recordHistory(r: PoolHashrates): void {
    for (const key of r.miners.keys()) {
      const { userId, miner } = parseMinerKey(key);
      const last = r.lastShares.get(key) ?? r.at;
      const prev = this.minerState.get(key);
      this.minerState.set(key, { userId, name: miner, lastShareAt: Math.max(last, prev?.lastShareAt ?? 0) });
    }
  }

  /** The current snapshot of the figures (null before the first). */
  latestRates(): PoolHashrates | null {
    return this.rates;
  }

  /** The window the figures are estimated over (the configured one before the first snapshot). */
  protected windowSeconds(): number {
    return this.rates?.windowSeconds ?? this.liveOpts.hashrateWindowSeconds ?? DEFAULT_HASHRATE_WINDOW_SECONDS;
  }

  /** A user's or miner's figure of the current snapshot (idle when they had no share in its window). */
  protected figureOf(userId: bigint, miner?: string): HashrateFigure {
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

  /** A synced block, for the live feed (the blocks list reads the store). */
  recordBlock(block: BlockRow): void {
    this.emit({ type: 'block', height: block.height, won: block.won, reward: block.reward.toString(), at: block.time.getTime() });
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

  ban(ban: BanView): void {
    this.banList.set(ban.ip, { ...ban });
  }

  // ---- what the web reads (store-data.ts adds the store's lists) ----

  readonly events: WebEvents = {
    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  readonly pool: Pick<WebPoolData, 'poolStats' | 'submitSync' | 'datasourceHealth'> = this.livePool();
  readonly users: Pick<WebUserData, 'hashrate'> = this.liveUsers();
  readonly admin: Pick<WebAdminData, 'connectedMiners' | 'bans' | 'edges'> = this.liveAdmin();

  protected livePool(): Pick<WebPoolData, 'poolStats' | 'submitSync' | 'datasourceHealth'> {
    return {
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
      submitSync: async () => ({ ...this.sync }),
      datasourceHealth: async () => this.healthSource(),
    };
  }

  protected liveUsers(): Pick<WebUserData, 'hashrate'> {
    return { hashrate: async (userId) => this.figureOf(userId) };
  }

  protected liveAdmin(): Pick<WebAdminData, 'connectedMiners' | 'bans' | 'edges'> {
    return {
      connectedMiners: async () => [
        ...[...this.connected.values()].map(({ userId: _u, ...v }) => v),
        ...((await this.edgeLive())?.miners ?? []),
      ],
      bans: async () => [
        ...[...this.banList.values()].filter((b) => b.until.getTime() > this.now()),
        ...((await this.edgeLive())?.bans ?? []),
      ],
      edges: async () => this.edgeSource(),
    };
  }
}
