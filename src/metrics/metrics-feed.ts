import type { PoolHashrates } from '../accounting/index.js';
import type { PoolMetrics, ShareResult } from './pool-metrics.js';
import type { SyncBlockEvent } from '../pegnet/index.js';
import type { StratumCounters } from '../stratum/index.js';
import type { SubmissionRecord } from '../submit/index.js';
import type { ShareToValidate, ShareValidator } from '../validation/index.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';

export interface MetricsFeedOptions {
  metrics: PoolMetrics;
  /** The Stratum server's running counters and open sessions. */
  stratum: { readonly counters: StratumCounters; readonly sessionCount: number };
  validator: { stats(): { pending: number; utilization?: number } };
  ecBalance?: () => Promise<bigint>;
  /** factomd's newest height, for the sync lag. */
  factomdHeight?: () => Promise<number>;
  everyMs?: number;
  /** The sampling timer's clock (default: the system's). */
  clock?: Pick<Clock, 'setInterval' | 'clearInterval'>;
}

/** Stratum counters are totals; Prometheus counters take the increase since the last look. */
const SHARE_COUNTERS: [keyof StratumCounters, ShareResult][] = [
  ['accepted', 'accepted'], ['stale', 'stale'], ['duplicate', 'duplicate'], ['invalid', 'invalid'], ['rejected', 'low-difficulty'],
];

/** Keeps the pool's Prometheus series (served at /metrics) in step with the engine. */
export class MetricsFeed {
  private timer: TimerHandle | undefined;
  private readonly seen = new Map<keyof StratumCounters, number>();
  private syncHeight = 0;

  constructor(private readonly o: MetricsFeedOptions) {}

  start(): void {
    this.timer = (this.o.clock ?? systemClock).setInterval(() => void this.sample(), this.o.everyMs ?? 5000).unref();
  }

  stop(): void {
    (this.o.clock ?? systemClock).clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    const m = this.o.metrics;
    m.stratumSessions.set(this.o.stratum.sessionCount);
    for (const [key, result] of SHARE_COUNTERS) {
      const now = this.o.stratum.counters[key];
      const delta = now - (this.seen.get(key) ?? 0);
      if (delta > 0) m.shares.inc({ result }, delta);
      this.seen.set(key, now);
    }
    const v = this.o.validator.stats();
    m.validationQueueDepth.set(v.pending);
    if (v.utilization !== undefined) m.workerUtilisation.set(v.utilization);
    try {
      if (this.o.ecBalance) m.ecBalance.set(Number(await this.o.ecBalance()));
      if (this.o.factomdHeight) m.syncLag.set(Math.max(0, (await this.o.factomdHeight()) - this.syncHeight));
    } catch {
      // factomd unreachable: the gauges keep their last value; the sync logs the outage.
    }
  }

  /** The pool's hashrate of the same snapshot the web shows. */
  onHashrates(rates: PoolHashrates): void {
    const m = this.o.metrics;
    m.poolHashrate.set(rates.pool.value);
    m.poolHashrateLow.set(rates.pool.low);
    m.poolHashrateHigh.set(rates.pool.high);
    m.poolHashrateShares.set(rates.pool.shares);
  }

  /** A synced block (BlockSynced): the sync height and lag. */
  onBlock(e: SyncBlockEvent): void {
    this.syncHeight = e.block.height;
    this.o.metrics.syncHeight.set(e.block.height);
  }

  /** A block the pool's OPRs won (BlockWon): counted once, its winning OPRs apart. */
  onBlockWon(won: { winning: number }): void {
    this.o.metrics.blocksWon.inc();
    this.o.metrics.oprsWon.inc(won.winning);
  }

  onSubmission(r: SubmissionRecord): void {
    if (r.status === 'acknowledged') return; // the same entry, confirmed
    this.o.metrics.submissions.inc({ outcome: r.status === 'failed' ? 'failed' : 'committed' });
  }
}

/** The validator as Stratum sees it, timing every verdict into the latency histogram. */
export function timedValidator<V extends ShareValidator>(validator: V, histogram: PoolMetrics['validationLatency']): V {
  return new Proxy(validator, {
    get(target, prop, receiver) {
      if (prop !== 'validate') return Reflect.get(target, prop, receiver);
      return async (share: ShareToValidate) => {
        const end = histogram.startTimer();
        try {
          return await target.validate(share);
        } finally {
          end();
        }
      };
    },
  });
}
