import type { JobId } from '../domain/index.js';
import { silentLogger, type Logger } from '../log.js';
import type { JobCreditRow, SettlementRecord, Store } from '../store/index.js';
import { hashratesFromWork, type PoolHashrates } from './hashrate.js';
import type { ShareLedger } from './share-ledger.js';
import { planSettlement, type SchemeSettings } from './settle-plan.js';

export interface AccountantOptions {
  store: Pick<Store, 'settleJob' | 'jobCredits' | 'workSince' | 'workInWindows' | 'pruneShares'>;
  ledger: Pick<ShareLedger, 'flush'>;
  /** Pool fee in 1e-8 units (parseFeeRate). */
  feeRateE8: bigint;
  /** The payout scheme and its settings (schemeSettingsFromConfig); absent: PROP at feeRateE8. */
  payouts?: SchemeSettings;
  now: () => number;
  /** Raw shares older than this are pruned (aggregates stay). Default 7 days. */
  shareRetentionMs?: number;
  log?: Logger;
}

/** What the engine calls once sync knows the pool's reward, plus the read side for web/API. */
export interface Accountant {
  /**
   * Splits the pool's reward for a job (1e-8 PEG) over the job's credited work. Flushes the
   * ledger first so every acknowledged share counts. Idempotent: a second call returns the
   * stored split (created = false).
   */
  settleJob(jobId: JobId, reward: bigint): Promise<{ record: SettlementRecord; created: boolean }>;
  /** Credit of one job per (user, miner), straight from the store (survives restarts). */
  jobCredits(jobId: JobId): Promise<JobCreditRow[]>;
  /** Pool, user and miner hashrates over the windowSeconds of raw shares ending at `at` (default now). */
  hashrates(windowSeconds: number, at?: number): Promise<PoolHashrates>;
  /** hashrates(windowSeconds, at) for each of `ats`, in one read of the store (the charts' history). */
  hashratesAt(windowSeconds: number, ats: readonly number[]): Promise<PoolHashrates[]>;
  /** Deletes raw shares past the retention window; returns how many. */
  prune(): Promise<number>;
}

/** Pool, user and miner hashrates over the window of stored shares ending at `at`: the one read behind every figure. */
export async function hashratesFromStore(store: Pick<Store, 'workSince'>, windowSeconds: number, at: number): Promise<PoolHashrates> {
  // The window ends at `at`: a share stamped later belongs to the next snapshot.
  const rows = await store.workSince(new Date(at - windowSeconds * 1000), new Date(at));
  return hashratesFromWork(rows, windowSeconds, at);
}

/** The figures' read side over a store: what the pool's accountant and the web alone both use. */
export function storeFigures(store: Pick<Store, 'workSince' | 'workInWindows'>, now: () => number): Pick<Accountant, 'hashrates' | 'hashratesAt'> {
  return {
    hashrates: (windowSeconds, at = now()) => hashratesFromStore(store, windowSeconds, at),
    async hashratesAt(windowSeconds, ats) {
      const work = await store.workInWindows(ats.map((at) => ({ since: new Date(at - windowSeconds * 1000), until: new Date(at) })));
      return work.map((rows, i) => hashratesFromWork(rows, windowSeconds, ats[i]!));
    },
  };
}

export function createAccountant(opts: AccountantOptions): Accountant {
  const log = opts.log ?? silentLogger();
  const retention = opts.shareRetentionMs ?? 7 * 24 * 3600 * 1000;
  const settings: SchemeSettings = opts.payouts ?? { scheme: 'prop', feeRateE8: opts.feeRateE8, pplnsFactorE4: 20_000n, ppsFeeE8: opts.feeRateE8, ppsWindow: 144, ppsFloor: 0n };
  return {
    async settleJob(jobId, reward) {
      await opts.ledger.flush();
      // Loud on purpose: the operator chose PPS and miners are being paid by PPLNS instead.
      const onFallback = (reason: string) => log.error({ jobId: jobId.toString(), reason }, 'PPS FALLBACK: this block is paid by PPLNS');
      const out = await opts.store.settleJob(jobId, (credits, history) => planSettlement(jobId, reward, credits, history, settings, onFallback), new Date(opts.now()));
      if (out.created) {
        const r = out.record;
        log.info({ jobId: jobId.toString(), scheme: r.scheme, reward: r.reward.toString(), fee: r.fee.toString(), dust: r.dust.toString(), reserveDelta: r.reserveDelta.toString(), users: r.payouts.length }, 'job settled');
      } else if (out.record.reward !== reward) {
        log.warn({ jobId: jobId.toString(), stored: out.record.reward.toString(), offered: reward.toString() }, 'job already settled with a different reward; kept the first');
      }
      return out;
    },
    jobCredits: (jobId) => opts.store.jobCredits(jobId),
    ...storeFigures(opts.store, opts.now),
    prune: () => opts.store.pruneShares(new Date(opts.now() - retention)),
  };
}
