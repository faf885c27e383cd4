import { expandPath } from '../config/index.js';
import { PegnetSync, workerDifficultyComputer } from '../pegnet/index.js';
import type { StratumCounters, StratumServer } from '../stratum/index.js';
import type { EdgeStatus } from '../cluster/index.js';
import type { BanView, ConnectedMinerView, EdgeView } from '../web/index.js';
import { startPoolWeb } from '../web/start-pool-web.js';
import type { EngineContext } from './context.js';
import { MetricsFeed } from './metrics-feed.js';
import type { PoolCore } from './pool-core.js';
import { WebFeed } from './web-feed.js';
import { createSqlWebHistory } from './web-history-sql.js';
import { webSessionSecret } from './web-secret.js';

/** What the pool's miners are doing, from a local Stratum server or summed over the edges. */
export interface PoolActivity {
  stratum: { readonly counters: StratumCounters; readonly sessionCount: number };
  validator: { stats(): { pending: number; utilization?: number } };
  /** Session events, when this process holds the sockets. */
  sessions?: StratumServer;
  /** The coordinator's edges, for the web. */
  edges?: () => EdgeStatus[];
  /** The edges' sessions and bans, asked for when an admin looks. */
  remoteLive?: () => Promise<{ miners: ConnectedMinerView[]; bans: BanView[] }>;
}

/**
 * Starts what reads the pool and shows it: the PegNet sync that drives the block handler, the
 * Prometheus feed, and the web (UI, API, live feed). Returns the web port, if any.
 */
export async function startPoolOutputs(ctx: EngineContext, core: PoolCore, activity: PoolActivity): Promise<number | undefined> {
  const { config: c, logger, now } = ctx;
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
  const web = await startPoolWeb({
    section: { ...c.web, assetsdir: c.web.assetsdir || undefined, sessionsecret: webSessionSecret(c.web.sessionsecret, expandPath('$HOME/.prosper')) },
    store: core.store,
    auth: core.auth,
    metrics: core.metrics,
    log: logger,
    now,
    history: createSqlWebHistory(core.db),
    credit: core.credit.web,
  });
  if (!web) return undefined;
  ctx.onStop('web', () => web.server.close());
  const live = web.live;
  const edges = activity.edges;
  if (edges) live.setEdgeSource(() => edges().map(edgeView));
  if (activity.remoteLive) live.setRemoteLive(activity.remoteLive);
  const webFeed = new WebFeed({
    live, accountant: core.accountant, stratum: activity.stratum, sessions: activity.sessions, feeRate: c.pool.poolfeerate,
    ecBalance: () => core.writer.ecBalance(), minuteGuard: core.minuteGuard, logger: logger.child({ module: 'web-feed' }), now,
  });
  feed = webFeed;
  webFeed.start();
  ctx.onStop('web feed', () => webFeed.stop());
  core.handler.onJob = (job) => live.setJob({ jobId: BigInt(job.jobId), height: job.jobId, startedAt: new Date(job.createdAt) });
  core.handler.onSettled = (record, winning, graded) => webFeed.onSettled(record, winning, graded);
  if (core.handler.current) core.handler.onJob(core.handler.current);
  return web.server.port;
}

function edgeView(e: EdgeStatus): EdgeView {
  const r = e.report;
  const c = r.counters;
  return {
    edgeId: r.edgeId, sessions: r.sessions, sharesPerSecond: r.sharesPerSecond, lastJobId: r.lastJobId ?? null, spooled: r.spooled,
    validationPending: r.validationPending, accepted: c.accepted, rejected: c.rejected + c.invalid + c.stale + c.duplicate,
    lastSeen: new Date(e.receivedAt), stale: e.stale,
  };
}
