import { expandPath } from '../config/index.js';
import type { StratumCounters, StratumServer } from '../stratum/index.js';
import type { EdgeStatus } from '../cluster/index.js';
import type { BanView, ConnectedMinerView, EdgeView } from '../web/index.js';
import { siteInfoFromConfig } from '../web/site-info.js';
import { startPoolWeb } from '../web/start-pool-web.js';
import type { EngineContext } from './context.js';
import { FiguresFeed, HistoryRecorder, idleHashrate, type HashrateFigure } from '../accounting/index.js';
import { MetricsFeed } from '../metrics/metrics-feed.js';
import type { PoolCore } from './pool-core.js';
import { WebFeed } from '../web/web-feed.js';
import { createSqlWebHistory } from '../store/web-history-sql.js';
import { createSqlNotifyStore } from '../store/index.js';
import { notifyWebData } from '../notify/index.js';

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
 * Starts what reads the pool and shows it: the Prometheus feed, the web (UI, API, live feed) and
 * the hashrate figures they all show, each subscribed to the pool's events. Returns the web
 * port, if any, and the figures feed.
 */
export async function startPoolOutputs(ctx: EngineContext, core: PoolCore, activity: PoolActivity): Promise<{ webPort: number | undefined; figures: FiguresFeed }> {
  const { config: c, logger, clock } = ctx;
  const now = () => clock.now();
  const { bus } = core;
  const figures = new FiguresFeed({
    accountant: core.accountant, windowSeconds: c.accounting.hashratewindow, everyMs: c.accounting.figuresinterval * 1000, logger: logger.child({ module: 'figures' }), now, clock,
  });
  // Every snapshot is kept (at most once per historyinterval): the history charts span restarts.
  const history = new HistoryRecorder({
    store: core.store, everyMs: c.accounting.historyinterval * 1000, retentionMs: c.accounting.historyretention * 1000, logger: logger.child({ module: 'history' }),
  });
  figures.onSample((rates) => history.onSample(rates));
  const metricsFeed = new MetricsFeed({
    metrics: core.metrics, stratum: activity.stratum, validator: activity.validator, ecBalance: () => core.writer.ecBalance(),
    factomdHeight: async () => (await core.factomd.heights()).directoryBlockHeight, clock,
  });
  bus.on('SubmissionWritten', ({ record }) => metricsFeed.onSubmission(record));
  bus.on('BlockSynced', ({ event }) => metricsFeed.onBlock(event));
  bus.on('BlockWon', (won) => metricsFeed.onBlockWon(won));
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
    notify: notifyWebData(core.notifier, createSqlNotifyStore(core.db), now),
    site: { siteDb: core.db, info: siteInfoFromConfig(c) },
    payouts: core.payouts,
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
  live.setDatasourceHealth(() => core.oracle.health.snapshot());
  const webFeed = new WebFeed({
    live, stratum: activity.stratum, sessions: activity.sessions,
    ecBalance: () => core.writer.ecBalance(), minuteGuard: core.minuteGuard, logger: logger.child({ module: 'web-feed' }), now,
  });
  webFeed.start();
  ctx.onStop('web feed', () => webFeed.stop());
  figures.onSample((rates) => webFeed.window(rates));
  figures.onHistory((rates) => live.recordHistory(rates));
  bus.on('JobOpened', ({ job }) => live.setJob({ jobId: job.jobId, height: job.jobId, startedAt: new Date(job.createdAt) }));
  bus.on('BlockSynced', ({ event, ema }) => webFeed.onBlock(event, ema));
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
