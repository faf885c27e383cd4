import { formatPeg, parseUserThreshold, payoutFigures, payoutFiguresJson, type PayoutSettings } from '../accounting/index.js';
import type { PoolMetrics } from '../metrics/index.js';
import { payoutThreshold, type Store } from '../store/index.js';
import type { WebPayoutData } from './routes-payouts.js';

type PayoutStore = Pick<Store, 'ppsReserve' | 'recentRewards' | 'listSettlements' | 'balances' | 'setMinPayout'>;

/** The payout port over the pool's store; the same figures feed /metrics. */
export function createPayoutWebData(store: PayoutStore, settings: PayoutSettings, metrics?: PoolMetrics): WebPayoutData {
  metrics?.watchPayouts(async () => {
    const f = await payoutFigures(store, settings);
    const peg = (x: bigint) => Number(formatPeg(x));
    return { scheme: f.scheme, reserve: peg(f.reserve), floor: peg(f.floor), ruin: f.ruin, ratePerShare: f.ppsPerShare === null ? null : peg(f.ppsPerShare), fallback: f.fallback };
  });
  return {
    figures: async () => payoutFiguresJson(await payoutFigures(store, settings)),
    async threshold(userId) {
      const own = (await store.balances()).find((b) => b.userId === userId)?.minPayout ?? null;
      return { minPayout: own === null ? null : formatPeg(own), poolMinimum: formatPeg(settings.minPayout), effective: formatPeg(payoutThreshold(settings.minPayout, own)) };
    },
    async setThreshold(userId, text) {
      await store.setMinPayout(userId, parseUserThreshold(text, settings.minPayout));
    },
  };
}
