import { logFields } from '../errors.js';
import type { Accountant } from './accountant.js';
import type { PoolHashrates } from './hashrate.js';
import type { Logger } from '../log.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';

export interface FiguresFeedOptions {
  accountant: Pick<Accountant, 'hashrates'>;
  /** The window every hashrate is estimated over (`[accounting] hashratewindow`). */
  windowSeconds: number;
  /** How often the figures are taken again. */
  everyMs: number;
  /** At start, the history charts are filled back this far (from the stored shares). Default 1 hour. */
  backfillSeconds?: number;
  logger: Logger;
  now: () => number;
  /** The sampling timer's clock (default: the system's). */
  clock?: Pick<Clock, 'setInterval' | 'clearInterval'>;
}

/** Most history points filled back at start. */
const MAX_BACKFILL_POINTS = 120;

/**
 * Takes the pool's hashrate figures (pool, each user, each miner) from the stored credit at one
 * moment and hands the same snapshot to every surface (web API and dashboard, live feed,
 * /metrics), so they agree with each other. The first snapshot is taken at start, from the store,
 * so a restarted pool shows the current window at once.
 */
export class FiguresFeed {
  private timer: TimerHandle | undefined;
  private readonly listeners: ((rates: PoolHashrates) => void | Promise<void>)[] = [];
  private readonly historyListeners: ((rates: PoolHashrates) => void)[] = [];
  latest: PoolHashrates | undefined;

  constructor(private readonly o: FiguresFeedOptions) {}

  onSample(listener: (rates: PoolHashrates) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Past snapshots for the history charts (at start, oldest first). */
  onHistory(listener: (rates: PoolHashrates) => void): void {
    this.historyListeners.push(listener);
  }

  async start(): Promise<void> {
    await this.backfill();
    await this.sample();
    this.timer = (this.o.clock ?? systemClock).setInterval(() => void this.sample(), this.o.everyMs).unref();
  }

  stop(): void {
    (this.o.clock ?? systemClock).clearInterval(this.timer);
  }

  /**
   * The snapshots the pool would have taken over the last hour, each exact over its own window
   * from the stored shares: a restarted pool's charts show the recent past, not "no data yet".
   */
  private async backfill(): Promise<void> {
    if (this.historyListeners.length === 0) return;
    const step = this.o.everyMs;
    const points = Math.min(MAX_BACKFILL_POINTS, Math.floor(((this.o.backfillSeconds ?? 3600) * 1000) / step));
    try {
      const end = this.o.now();
      for (let i = points; i >= 1; i--) {
        const rates = await this.o.accountant.hashrates(this.o.windowSeconds, end - i * step);
        for (const l of this.historyListeners) l(rates);
      }
    } catch (err) {
      this.o.logger.warn({ ...logFields(err) }, 'hashrate history not filled back');
    }
  }

  /** One snapshot, handed to every listener; returns it (undefined when the store could not be read). */
  async sample(): Promise<PoolHashrates | undefined> {
    try {
      const rates = await this.o.accountant.hashrates(this.o.windowSeconds);
      this.latest = rates;
      for (const l of this.listeners) await l(rates);
      return rates;
    } catch (err) {
      this.o.logger.warn({ ...logFields(err) }, 'hashrate figures not taken');
      return undefined;
    }
  }
}
