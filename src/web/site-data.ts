import { idleHashrate, parseMinerKey, type PoolHashrates } from '../accounting/index.js';
import type { HistoryPoint, HistoryQuery, Store } from '../store/index.js';
import type { HistoryPointView, HistorySpan, LeaderRow, WebSiteData } from './ports-site.js';

function view(p: HistoryPoint): HistoryPointView {
  return { t: p.at.getTime(), hashrate: p.value, low: p.low, high: p.high, shares: p.shares, workers: p.workers };
}

/**
 * The site's data over the Store (history, handles) and the current figures snapshot
 * (leaderboard): every hashrate is the estimator's figure as the pool took it.
 */
export function createSiteData(store: Store, latest: () => PoolHashrates | null, windowSeconds: () => number): WebSiteData {
  const series = async (q: Omit<HistoryQuery, 'since' | 'stepSeconds'>, span: HistorySpan) =>
    (await store.hashrateHistory({ ...q, since: new Date(span.sinceMs), stepSeconds: span.stepSeconds })).map(view);
  return {
    poolHistory: (span) => series({ kind: 'pool', userId: 0n, miner: '' }, span),
    userHistory: (userId, span, miner) => series(miner === undefined ? { kind: 'user', userId, miner: '' } : { kind: 'miner', userId, miner }, span),
    findHandle: (handle) => store.findByHandle(handle),
    handleOf: (userId) => store.publicHandle(userId),
    setHandle: (userId, handle) => store.setPublicHandle(userId, handle),
    async leaderboard(): Promise<LeaderRow[]> {
      const rates = latest();
      const workers = new Map<bigint, { count: number; last: number }>();
      for (const key of rates?.miners.keys() ?? []) {
        const { userId } = parseMinerKey(key);
        const w = workers.get(userId) ?? { count: 0, last: 0 };
        w.count += 1;
        w.last = Math.max(w.last, rates?.lastShares.get(key) ?? 0);
        workers.set(userId, w);
      }
      const rows = (await store.publicHandles()).map((h) => ({
        handle: h.handle,
        hashrate: rates?.users.get(h.userId) ?? idleHashrate(windowSeconds()),
        workers: workers.get(h.userId)?.count ?? 0,
        lastShareAt: workers.get(h.userId)?.last || null,
      }));
      return rows.sort((a, b) => b.hashrate.value - a.hashrate.value || a.handle.localeCompare(b.handle));
    },
  };
}
