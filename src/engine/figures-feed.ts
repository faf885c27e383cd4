import type { Accountant, PoolHashrates } from '../accounting/index.js';
import type { Logger } from '../log.js';

export interface FiguresFeedOptions {
  accountant: Pick<Accountant, 'hashrates'>;
  /** The window every hashrate is estimated over (`[accounting] hashratewindow`). */
  windowSeconds: number;
  /** How often the figures are taken again. */
  everyMs: number;
  logger: Logger;
}

/**
 * Takes the pool's hashrate figures (pool, each user, each miner) from the stored credit at one
 * moment and hands the same snapshot to every surface (web API and dashboard, live feed,
 * /metrics), so they agree with each other. The first snapshot is taken at start, from the store,
 * so a restarted pool shows the current window at once.
 */
export class FiguresFeed {
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((rates: PoolHashrates) => void | Promise<void>)[] = [];
  latest: PoolHashrates | undefined;

  constructor(private readonly o: FiguresFeedOptions) {}

  onSample(listener: (rates: PoolHashrates) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample(), this.o.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One snapshot, handed to every listener; returns it (undefined when the store could not be read). */
  async sample(): Promise<PoolHashrates | undefined> {
    try {
      const rates = await this.o.accountant.hashrates(this.o.windowSeconds);
      this.latest = rates;
      for (const l of this.listeners) await l(rates);
      return rates;
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'hashrate figures not taken');
      return undefined;
    }
  }
}
