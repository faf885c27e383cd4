import { logFields } from '../errors.js';
import type { PoolHashrates } from '../accounting/index.js';
import { userIdOf } from '../domain/index.js';
import type { Logger } from '../log.js';
import type { SyncBlockEvent } from '../pegnet/index.js';
import type { SessionSnapshot, StratumCounters, StratumServer } from '../stratum/index.js';
import type { MinuteGuard } from '../submit/index.js';
import type { ConnectedMinerView } from './ports.js';
import type { LiveState } from './live-state.js';

export interface WebFeedOptions {
  live: LiveState;
  /** Running share counters (a local Stratum server, or the sum of the edges' reports). */
  stratum: { readonly counters: StratumCounters };
  /** Session events, when this process holds the miners' sockets itself. */
  sessions?: StratumServer;
  /** Reads the EC balance the entry writer last saw. */
  ecBalance?: () => Promise<bigint>;
  minuteGuard?: MinuteGuard;
  logger: Logger;
  now: () => number;
}

/**
 * Keeps the web's live view (dashboard, API, WebSocket feed) in step with the pool: sessions
 * from the Stratum server's events, blocks and the EMA from the pool's BlockSynced, and each
 * snapshot of the hashrate figures (FiguresFeed). The history lists (blocks, rewards,
 * submissions) are read from the store, not kept here.
 */
export class WebFeed {
  private lastAccepted = 0;
  private lastRejected = 0;
  // The user id is known once the session is authorized: the user's miners list shows it connected.
  private readonly onConnect = (s: SessionSnapshot) => this.o.live.connect(this.view(s), userIdOf(s.userId) ?? null);
  private readonly onAuthorize = (s: SessionSnapshot) => this.o.live.connect(this.view(s), userIdOf(s.userId) ?? null);
  private readonly onDisconnect = (id: string) => this.o.live.disconnect(id);
  private readonly onBan = (ip: string, until: number) => this.o.live.ban({ ip, reason: 'ban score: invalid shares or garbage', until: new Date(until) });

  constructor(private readonly o: WebFeedOptions) {}

  private view(s: SessionSnapshot) {
    return connectedMinerView(s);
  }

  start(): void {
    this.o.sessions?.on('connect', this.onConnect);
    this.o.sessions?.on('authorize', this.onAuthorize);
    this.o.sessions?.on('disconnect', this.onDisconnect);
    this.o.sessions?.on('ban', this.onBan);
    // Sessions opened before the feed started (none in the engine; a late start in tests).
    for (const s of this.o.sessions?.listSessions() ?? []) this.onConnect(s);
  }

  stop(): void {
    this.o.sessions?.off('connect', this.onConnect);
    this.o.sessions?.off('authorize', this.onAuthorize);
    this.o.sessions?.off('disconnect', this.onDisconnect);
    this.o.sessions?.off('ban', this.onBan);
  }

  /** One snapshot of the figures: accepted/rejected since the last one and the hashrates. */
  async window(rates: PoolHashrates): Promise<void> {
    try {
      const c = this.o.stratum.counters;
      const rejected = c.rejected + c.invalid + c.stale + c.duplicate;
      this.o.live.recordShareWindow({
        // Totals summed over edges drop when an edge restarts: a window never counts below zero.
        accepted: Math.max(0, c.accepted - this.lastAccepted),
        rejected: Math.max(0, rejected - this.lastRejected),
        rates,
      });
      this.lastAccepted = c.accepted;
      this.lastRejected = rejected;
      if (this.o.minuteGuard) {
        const g = this.o.minuteGuard.snapshot();
        this.o.live.setSubmitSync({ submitting: g.submit, submitHeight: g.submitHeight, syncing: g.syncing, lastNonZero: g.lastNonZero });
      }
      if (this.o.ecBalance) this.o.live.setNetwork({ ecBalance: await this.o.ecBalance() });
    } catch (err) {
      this.o.logger.warn({ ...logFields(err) }, 'web share window failed');
    }
  }

  onBlock(e: SyncBlockEvent, ema: bigint): void {
    const graded = e.block.graded;
    this.o.live.recordBlock({
      height: e.block.height,
      graded: graded !== undefined,
      won: graded?.poolReward.winning ?? 0,
      reward: graded?.poolReward.reward ?? 0n,
      time: new Date(this.o.now()),
    });
    this.o.live.setNetwork({ syncHeight: e.block.height, headHeight: e.headHeight, ema, ...(graded ? { networkDifficulty: graded.difficulty.minimum } : {}) });
  }
}

/** A Stratum session as the admin page lists it (`sessionId` as given: an edge's are prefixed with its name). */
export function connectedMinerView(s: Pick<SessionSnapshot, 'sessionId' | 'username' | 'minerId' | 'agent' | 'ip' | 'authorized' | 'subscribed' | 'target' | 'nonce'>): ConnectedMinerView {
  return {
    sessionId: s.sessionId, email: s.username, miner: s.minerId, agent: s.agent, ip: s.ip,
    authorized: s.authorized, subscribed: s.subscribed, target: BigInt(`0x${s.target || '0'}`), nonce: s.nonce,
  };
}
