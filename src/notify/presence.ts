import type { WireUserId } from '../domain/index.js';
import type { Clock, TimerHandle } from '../util/clock.js';

export interface MinerRef {
  /** As the share carried it; the user's own webhook is looked up by userIdOf(userId). */
  userId: WireUserId;
  username: string;
  miner: string;
}

interface Seen extends MinerRef {
  lastShare: number;
  offline: boolean;
}

/**
 * Which miners went silent: every accepted share marks its miner (user + miner name) as seen at
 * the clock's monotonic time; a sweep on the clock announces a miner offline once it sent
 * nothing for `offlineAfterMs`, and online again at its next share. A miner first seen is not
 * announced (it was never offline). Costs one map write per share, nothing else on that path.
 */
export class MinerPresence {
  private readonly miners = new Map<string, Seen>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly o: {
      clock: Clock;
      offlineAfterMs: number;
      onOffline: (m: MinerRef, silentMs: number) => void;
      onOnline: (m: MinerRef, silentMs: number) => void;
    },
  ) {}

  start(): void {
    // Sweeping ten times per offlineafter announces a silence at most 10 % late.
    const every = Math.max(100, Math.floor(this.o.offlineAfterMs / 10));
    this.timer = this.o.clock.setInterval(() => this.sweep(), every).unref();
  }

  stop(): void {
    this.o.clock.clearInterval(this.timer);
  }

  seen(m: MinerRef): void {
    const key = `${m.userId} ${m.miner}`;
    const now = this.o.clock.monotonic();
    const known = this.miners.get(key);
    if (!known) {
      this.miners.set(key, { ...m, lastShare: now, offline: false });
      return;
    }
    if (known.offline) {
      known.offline = false;
      this.o.onOnline(m, now - known.lastShare);
    }
    known.lastShare = now;
  }

  private sweep(): void {
    const now = this.o.clock.monotonic();
    for (const m of this.miners.values()) {
      if (!m.offline && now - m.lastShare >= this.o.offlineAfterMs) {
        m.offline = true;
        this.o.onOffline({ userId: m.userId, username: m.username, miner: m.miner }, now - m.lastShare);
      }
    }
  }
}
