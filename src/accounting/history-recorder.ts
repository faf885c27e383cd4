import type { Logger } from '../log.js';
import type { HistorySample, Store } from '../store/index.js';
import { parseMinerKey, type PoolHashrates } from './hashrate.js';

export interface HistoryRecorderOptions {
  store: Pick<Store, 'recordHistory' | 'pruneHistory'>;
  /** `[accounting] historyinterval`: a snapshot is kept at most this often. */
  everyMs: number;
  /** `[accounting] historyretention`: older samples are pruned. */
  retentionMs: number;
  logger: Logger;
}

/** Samples between two prunes of the old history. */
const PRUNE_EVERY_SAMPLES = 60;

/** The rows of one snapshot: the pool, each user and each miner, the figures exactly as shown. */
export function historySamples(rates: PoolHashrates): HistorySample[] {
  const workersOf = new Map<bigint, number>();
  const samples: HistorySample[] = [];
  for (const [key, f] of rates.miners) {
    const { userId, miner } = parseMinerKey(key);
    workersOf.set(userId, (workersOf.get(userId) ?? 0) + 1);
    samples.push({ kind: 'miner', userId, miner, value: f.value, low: f.low, high: f.high, shares: f.shares, workers: 1 });
  }
  for (const [userId, f] of rates.users) {
    samples.push({ kind: 'user', userId, miner: '', value: f.value, low: f.low, high: f.high, shares: f.shares, workers: workersOf.get(userId) ?? 0 });
  }
  const p = rates.pool;
  samples.push({ kind: 'pool', userId: 0n, miner: '', value: p.value, low: p.low, high: p.high, shares: p.shares, workers: rates.miners.size });
  return samples;
}

/**
 * Keeps the figures' snapshots in the store (FiguresFeed.onSample), at most one per interval,
 * so the history charts span restarts; prunes what is older than the retention now and then.
 */
export class HistoryRecorder {
  private lastAt = -Infinity;
  private written = 0;

  constructor(private readonly o: HistoryRecorderOptions) {}

  async onSample(rates: PoolHashrates): Promise<void> {
    if (rates.at - this.lastAt < this.o.everyMs) return;
    this.lastAt = rates.at;
    try {
      await this.o.store.recordHistory(new Date(rates.at), historySamples(rates));
      if (this.written++ % PRUNE_EVERY_SAMPLES === 0) await this.o.store.pruneHistory(new Date(rates.at - this.o.retentionMs));
    } catch (err) {
      // A missed sample is a gap in a chart, never a reason to stop the pool.
      this.o.logger.warn({ err: (err as Error).message }, 'hashrate history sample not kept');
    }
  }
}
