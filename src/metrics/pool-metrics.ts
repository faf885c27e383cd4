import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus series the pool exports, by name. Areas import these names (tests and
 * dashboards too) instead of spelling strings again.
 */
export const METRIC_NAMES = {
  stratumSessions: 'prosper_stratum_sessions',
  shares: 'prosper_shares_total',
  validationQueueDepth: 'prosper_validation_queue_depth',
  validationLatency: 'prosper_validation_latency_seconds',
  workerUtilisation: 'prosper_worker_utilisation_ratio',
  submissions: 'prosper_submissions_total',
  ecBalance: 'prosper_ec_balance',
  syncHeight: 'prosper_sync_height',
  syncLag: 'prosper_sync_lag_blocks',
  datasourceErrors: 'prosper_datasource_errors_total',
  poolHashrate: 'prosper_pool_hashrate_hps',
  poolHashrateLow: 'prosper_pool_hashrate_low_hps',
  poolHashrateHigh: 'prosper_pool_hashrate_high_hps',
  poolHashrateShares: 'prosper_pool_hashrate_window_shares',
  blocksWon: 'prosper_blocks_won_total',
  oprsWon: 'prosper_oprs_won_total',
  webRequests: 'prosper_web_requests_total',
  webSocketClients: 'prosper_web_websocket_clients',
  loginFailures: 'prosper_web_login_failures_total',
  notifyDeliveries: 'prosper_notify_deliveries_total',
  notifyDropped: 'prosper_notify_dropped_total',
  notifyQueued: 'prosper_notify_queued',
  payoutScheme: 'prosper_payout_scheme',
  ppsReserve: 'prosper_pps_reserve_peg',
  ppsReserveFloor: 'prosper_pps_reserve_floor_peg',
  ppsRuin: 'prosper_pps_ruin_probability',
  ppsRate: 'prosper_pps_rate_peg_per_share',
  ppsFallback: 'prosper_pps_fallback',
} as const;

/** What the payout series are read from at each scrape (accounting's payoutFigures, in PEG as numbers). */
export interface PayoutSeries {
  scheme: string;
  reserve: number;
  floor: number;
  ruin: number;
  /** PEG per difficulty-1 share; null without a rate estimate. */
  ratePerShare: number | null;
  fallback: boolean;
}

const PAYOUT_SCHEMES = ['prop', 'pplns', 'pps'] as const;

/** Share results as counted by `prosper_shares_total{result}`. */
export type ShareResult = 'accepted' | 'low-difficulty' | 'stale' | 'duplicate' | 'invalid' | 'unauthorized';
/** Submission outcomes as counted by `prosper_submissions_total{outcome}`. */
export type SubmissionOutcome = 'committed' | 'blocked' | 'failed';

export interface PoolMetrics {
  readonly registry: Registry;
  readonly stratumSessions: Gauge<string>;
  readonly shares: Counter<'result'>;
  readonly validationQueueDepth: Gauge<string>;
  readonly validationLatency: Histogram<string>;
  readonly workerUtilisation: Gauge<string>;
  readonly submissions: Counter<'outcome'>;
  readonly ecBalance: Gauge<string>;
  readonly syncHeight: Gauge<string>;
  readonly syncLag: Gauge<string>;
  readonly datasourceErrors: Counter<'source'>;
  readonly poolHashrate: Gauge<string>;
  readonly poolHashrateLow: Gauge<string>;
  readonly poolHashrateHigh: Gauge<string>;
  readonly poolHashrateShares: Gauge<string>;
  readonly blocksWon: Counter<string>;
  readonly oprsWon: Counter<string>;
  readonly webRequests: Counter<'route' | 'status'>;
  readonly webSocketClients: Gauge<string>;
  readonly loginFailures: Counter<string>;
  readonly notifyDeliveries: Counter<'outcome'>;
  readonly notifyDropped: Counter<'reason'>;
  readonly notifyQueued: Gauge<string>;
  /** Payout series read at each scrape from `source` (absent: they stay unset). */
  watchPayouts(source: () => Promise<PayoutSeries>): void;
  /** The Prometheus text exposition of every series in the registry. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface PoolMetricsOptions {
  /** Share a registry (e.g. one process-wide); by default each call gets its own so tests never collide. */
  registry?: Registry;
  /** Also export Node process metrics (event loop lag, heap, GC) with the `prosper_` prefix. */
  processMetrics?: boolean;
}

/**
 * Builds the pool's metric instruments on one registry. The engine creates this once and hands
 * it to each area (stratum, validation, submit, pegnet sync, oracle, web); areas only call
 * inc/set/observe on the instruments they own.
 */
export function createPoolMetrics(opts: PoolMetricsOptions = {}): PoolMetrics {
  const registry = opts.registry ?? new Registry();
  const registers = [registry];
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'prosper_' });
  const n = METRIC_NAMES;
  // One read of the payout figures serves every payout series of a scrape.
  let payoutSource: (() => Promise<PayoutSeries>) | undefined;
  let lastRead: { at: number; figures: Promise<PayoutSeries | undefined> } | undefined;
  const payouts = (): Promise<PayoutSeries | undefined> => {
    if (!payoutSource) return Promise.resolve(undefined);
    if (!lastRead || Date.now() - lastRead.at > 1000) lastRead = { at: Date.now(), figures: payoutSource().catch(() => undefined) };
    return lastRead.figures;
  };
  const payoutGauge = (name: string, help: string, pick: (p: PayoutSeries) => number | null) =>
    new Gauge({
      name, help, registers,
      async collect() {
        const p = await payouts();
        const v = p ? pick(p) : null;
        if (v === null) this.reset();
        else this.set(v);
      },
    });
  new Gauge({
    name: n.payoutScheme, help: 'The configured payout scheme: 1 for it, 0 for the others', labelNames: ['scheme'] as const, registers,
    async collect() {
      const p = await payouts();
      if (p) for (const scheme of PAYOUT_SCHEMES) this.set({ scheme }, p.scheme === scheme ? 1 : 0);
    },
  });
  payoutGauge(n.ppsReserve, 'The PPS reserve in PEG: operator deposits plus what PPS blocks kept', (p) => p.reserve);
  payoutGauge(n.ppsReserveFloor, 'PEG the PPS reserve must keep ([accounting] ppsfloor)', (p) => p.floor);
  payoutGauge(n.ppsRuin, 'Estimated probability that the PPS reserve ever falls to its floor', (p) => p.ruin);
  payoutGauge(n.ppsRate, 'The PPS rate in PEG per difficulty-1 share', (p) => p.ratePerShare);
  payoutGauge(n.ppsFallback, '1 when the newest settled block was a PPS block paid by PPLNS (reserve at its floor or no history)', (p) => (p.fallback ? 1 : 0));
  return {
    watchPayouts(source) {
      payoutSource = source;
      lastRead = undefined;
    },
    registry,
    stratumSessions: new Gauge({ name: n.stratumSessions, help: 'Open Stratum sessions', registers }),
    shares: new Counter({ name: n.shares, help: 'Shares received, by result', labelNames: ['result'] as const, registers }),
    validationQueueDepth: new Gauge({ name: n.validationQueueDepth, help: 'Shares waiting for LXRHash validation', registers }),
    validationLatency: new Histogram({
      name: n.validationLatency,
      help: 'Time from share receipt to validation result',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    workerUtilisation: new Gauge({ name: n.workerUtilisation, help: 'Fraction of time validation workers are busy (0..1)', registers }),
    submissions: new Counter({ name: n.submissions, help: 'OPR entry submissions, by outcome', labelNames: ['outcome'] as const, registers }),
    ecBalance: new Gauge({ name: n.ecBalance, help: 'Entry credit balance of the pool EC address', registers }),
    syncHeight: new Gauge({ name: n.syncHeight, help: 'Last directory block height synced', registers }),
    syncLag: new Gauge({ name: n.syncLag, help: 'Blocks between factomd height and the synced height', registers }),
    datasourceErrors: new Counter({ name: n.datasourceErrors, help: 'Price datasource errors, by source', labelNames: ['source'] as const, registers }),
    poolHashrate: new Gauge({ name: n.poolHashrate, help: 'Pool hashrate in hashes per second: credited expected hashes of the accepted shares over the hashrate window', registers }),
    poolHashrateLow: new Gauge({ name: n.poolHashrateLow, help: 'Lower end of the 95 % interval of the pool hashrate, hashes per second', registers }),
    poolHashrateHigh: new Gauge({ name: n.poolHashrateHigh, help: 'Upper end of the 95 % interval of the pool hashrate, hashes per second', registers }),
    poolHashrateShares: new Gauge({ name: n.poolHashrateShares, help: 'Accepted shares in the hashrate window the pool hashrate is estimated from', registers }),
    blocksWon: new Counter({ name: n.blocksWon, help: 'Blocks in which at least one pool OPR was among the winners', registers }),
    oprsWon: new Counter({ name: n.oprsWon, help: 'Pool OPRs among the winners of graded blocks', registers }),
    webRequests: new Counter({ name: n.webRequests, help: 'Web requests, by route and status', labelNames: ['route', 'status'] as const, registers }),
    webSocketClients: new Gauge({ name: n.webSocketClients, help: 'Connected dashboard WebSockets', registers }),
    loginFailures: new Counter({ name: n.loginFailures, help: 'Failed or rate-limited web logins', registers }),
    notifyDeliveries: new Counter({ name: n.notifyDeliveries, help: 'Webhook delivery attempts, by outcome (sent, failed, dropped after [notify] retries)', labelNames: ['outcome'] as const, registers }),
    notifyDropped: new Counter({ name: n.notifyDropped, help: 'Webhook deliveries lost without an attempt, by reason (queue-full, unreadable)', labelNames: ['reason'] as const, registers }),
    notifyQueued: new Gauge({ name: n.notifyQueued, help: 'Webhook deliveries waiting in the queue for their endpoint', registers }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
