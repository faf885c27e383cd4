import { expandPath } from '../config/index.js';
import { PegnetSync, workerDifficultyComputer } from '../pegnet/index.js';
import type { StratumCounters, StratumServer } from '../stratum/index.js';
import type { EdgeStatus } from '../cluster/index.js';
import type { BanView, ConnectedMinerView, EdgeView } from '../web/index.js';
import { PAYOUT_SCHEME } from '../web/ports-site.js';
import { startPoolWeb } from '../web/start-pool-web.js';
import type { EngineContext } from './context.js';
import { FiguresFeed, HistoryRecorder, idleHashrate, type HashrateFigure } from '../accounting/index.js';
import { MetricsFeed } from './metrics-feed.js';
import type { PoolCore } from './pool-core.js';
import { WebFeed } from './web-feed.js';
import { createSqlWebHistory } from './web-history-sql.js';

/** What the pool's miners are doing, from a local Stratum server or summed over the edges. */
export interface PoolActivity {
  stratum: { readonly counters: StratumCounters; readonly sessionCount: number };
  validator: { stats(): { pending: number; utilization?: number } };
  /** Session events, when this process holds the sockets. */
  sessions?: StratumServer;
  /** The coordinator's edges, for the web. */
  edges?: () => EdgeStatus[];
  /** An edge's hashrate over the figures' window, from the shares credited for it. */
  edgeHashrate?: (edgeId: string) => HashrateFigure;
  /** The edges' sessions and bans, asked for when an admin looks. */
  remoteLive?: () => Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }>;
}

/**
 * Starts what reads the pool and shows it: the PegNet sync that drives the block handler, the
 * Prometheus feed, the web (UI, API, live feed) and the hashrate figures they all show. Returns
 * the web port, if any, and the figures feed.
 */
export async function startPoolOutputs(ctx: EngineContext, core: PoolCore, activity: PoolActivity): Promise<{ webPort: number | undefined; figures: FiguresFeed }> {
  const { config: c, logger, now } = ctx;
  const figures = new FiguresFeed({
    accountant: core.accountant, windowSeconds: c.accounting.hashratewindow, everyMs: c.accounting.figuresinterval * 1000, logger: logger.child({ module: 'figures' }), now,
  });
  // Every snapshot is kept (at most once per historyinterval): the history charts span restarts.
  const history = new HistoryRecorder({
    store: core.store, everyMs: c.accounting.historyinterval * 1000, retentionMs: c.accounting.historyretention * 1000, logger: logger.child({ module: 'history' }),
  });
  figures.onSample((rates) => history.onSample(rates));
  let feed: WebFeed | undefined;
  const metricsFeed = new MetricsFeed({
    metrics: core.metrics, stratum: activity.stratum, validator: activity.validator, ecBalance: () => core.writer.ecBalance(),
    factomdHeight: async () => (await core.factomd.heights()).directoryBlockHeight,
  });
  core.listeners.onSubmission = (r) => {
    metricsFeed.onSubmission(r);
    const job = core.handler.jobOf(r.jobId);
    if (job) feed?.onSubmission(r, job.oprHash);
  };

  // PegNet sync drives everything. Grading hashes on its own worker thread so a block (or a long
  // catch-up) never holds the main thread.
  const gradingComputer = workerDifficultyComputer(core.table, { threads: 1, kernel: c.validation.kernel });
  ctx.onStop('grading worker', () => gradingComputer.close());
  const sync = new PegnetSync({
    factomd: core.factomd,
    store: core.syncStore,
    computer: gradingComputer,
    activations: core.activations,
    oprChainId: core.oprChainId,
    pool: { identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase },
    logger: logger.child({ module: 'sync' }),
    pollMs: c.pegnet.pollingperiod * 1000,
    retryMs: c.pegnet.retryperiod * 1000,
    now,
    onBlock: async (e) => {
      await core.handler.onBlock(e);
      metricsFeed.onBlock(e);
      feed?.onBlock(e, core.gate.threshold());
    },
  });
  sync.start();
  ctx.onStop('pegnet sync', () => sync.stop());

  metricsFeed.start();
  ctx.onStop('metrics', () => metricsFeed.stop());
  figures.onSample((rates) => metricsFeed.onHashrates(rates));
  ctx.onStop('hashrate figures', () => figures.stop());
  const web = await startPoolWeb({
    section: c.web,
    secretDir: expandPath('$HOME/.prosper'),
    store: core.store,
    auth: core.auth,
    loginGuard: core.loginGuard,
    metrics: core.metrics,
    log: logger,
    now,
    history: createSqlWebHistory(core.db),
    credit: core.credit.web,
    site: { siteDb: core.db, info: { feeRate: c.pool.poolfeerate, scheme: PAYOUT_SCHEME, stratumPort: c.stratum.stratumport } },
  });
  if (!web) {
    await figures.start();
    return { webPort: undefined, figures };
  }
  ctx.onStop('web', () => web.server.close());
  const live = web.live;
  const edges = activity.edges;
  if (edges) {
    const rate = activity.edgeHashrate ?? ((): HashrateFigure => idleHashrate(c.accounting.hashratewindow));
    live.setEdgeSource(() => edges().map((e) => edgeView(e, rate(e.report.edgeId))));
  }
  if (activity.remoteLive) live.setRemoteLive(activity.remoteLive);
  const webFeed = new WebFeed({
    live, accountant: core.accountant, stratum: activity.stratum, sessions: activity.sessions, feeRate: c.pool.poolfeerate,
    ecBalance: () => core.writer.ecBalance(), minuteGuard: core.minuteGuard, logger: logger.child({ module: 'web-feed' }), now,
  });
  feed = webFeed;
  webFeed.start();
  ctx.onStop('web feed', () => webFeed.stop());
  figures.onSample((rates) => webFeed.window(rates));
  figures.onHistory((rates) => live.recordHistory(rates));
  core.handler.onJob = (job) => live.setJob({ jobId: BigInt(job.jobId), height: job.jobId, startedAt: new Date(job.createdAt) });
  core.handler.onSettled = (record, winning, graded) => void webFeed.onSettled(record, winning, graded);
  if (core.handler.current) core.handler.onJob(core.handler.current);
  // The first figures come from the store now: a restarted pool shows the current window at once.
  await figures.start();
  return { webPort: web.server.port, figures };
}

function edgeView(e: EdgeStatus, hashrate: HashrateFigure): EdgeView {
  const r = e.report;
  const c = r.counters;
  return {
    edgeId: r.edgeId, sessions: r.sessions, sharesPerSecond: r.sharesPerSecond, hashrate, lastJobId: r.lastJobId ?? null, spooled: r.spooled,
    validationPending: r.validationPending, accepted: c.accepted, rejected: c.rejected + c.invalid + c.stale + c.duplicate,
    lastSeen: new Date(e.receivedAt), stale: e.stale,
  };
}
