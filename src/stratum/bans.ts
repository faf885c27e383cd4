/**
 * Ban score per IP: garbage and bad shares add points that decay over time; reaching the
 * threshold bans the IP for a while. Clock injected: `now` measures decay and expiry (monotonic
 * time in the server), `wall` dates a ban for display (defaults to `now`).
 */
export interface BanConfig {
  /** Points at which an IP is banned. */
  threshold: number;
  /** How long a ban lasts, ms. */
  banMs: number;
  /** Points forgotten per second. */
  decayPerSecond: number;
}

interface Entry {
  score: number;
  at: number;
  bannedUntil: number;
}

export class BanList {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly config: BanConfig,
    private readonly now: () => number,
    private readonly wall: () => number = now,
  ) {}

  private entry(ip: string): Entry {
    const t = this.now();
    let e = this.entries.get(ip);
    if (!e) {
      e = { score: 0, at: t, bannedUntil: 0 };
      this.entries.set(ip, e);
    } else {
      e.score = Math.max(0, e.score - ((t - e.at) / 1000) * this.config.decayPerSecond);
      e.at = t;
    }
    return e;
  }

  /** Adds points; true when this pushed the IP over the threshold (it is now banned). */
  add(ip: string, points: number): boolean {
    if (points <= 0) return this.isBanned(ip);
    const e = this.entry(ip);
    e.score += points;
    if (e.score >= this.config.threshold) {
      e.bannedUntil = this.now() + this.config.banMs;
      e.score = 0;
      return true;
    }
    return false;
  }

  isBanned(ip: string): boolean {
    const e = this.entries.get(ip);
    return e !== undefined && e.bannedUntil > this.now();
  }

  score(ip: string): number {
    return this.entries.has(ip) ? this.entry(ip).score : 0;
  }

  unban(ip: string): void {
    this.entries.delete(ip);
  }

  /** Lists current bans (for the console and admin), `until` in wall-clock ms. */
  banned(): { ip: string; until: number }[] {
    const t = this.now();
    const toWall = this.wall() - t;
    return [...this.entries].filter(([, e]) => e.bannedUntil > t).map(([ip, e]) => ({ ip, until: e.bannedUntil + toWall }));
  }

  /** Forgets decayed, unbanned entries so the map stays bounded. */
  sweep(): void {
    const t = this.now();
    for (const [ip, e] of this.entries) {
      const score = Math.max(0, e.score - ((t - e.at) / 1000) * this.config.decayPerSecond);
      if (score === 0 && e.bannedUntil <= t) this.entries.delete(ip);
    }
  }
}
