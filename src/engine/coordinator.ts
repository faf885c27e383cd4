import { logFields } from '../errors.js';
import { creditForTarget, WorkWindow } from '../accounting/index.js';
import { AuthResponder, EdgeRegistry, ensureClusterStreams, JobPublisher, requestLiveViews, ShareConsumer, type EdgeStatus } from '../cluster/index.js';
import { zeroCounters, type StratumCounters } from '../stratum/index.js';
import { openClusterLink } from './cluster-link.js';
import type { EngineContext } from './context.js';
import type { PoolActivity } from './pool-outputs.js';
import { startPoolCore, type PoolCore } from './pool-core.js';
import { RelayedShares } from '../pool/index.js';
import { connectedMinerView } from '../web/web-feed.js';

/** Longer than the block handler's longest settlement hold (10 min). */
const EDGE_FORGET_MS = 15 * 60_000;

export interface Coordinator {
  core: PoolCore;
  consumer: ShareConsumer;
  registry: EdgeRegistry;
  activity: PoolActivity;
}

/**
 * The coordinator role: the pool core with Stratum replaced by NATS. Jobs go to the edges
 * through the jobs stream; shares come from the shares stream, each credited once by its id and
 * routed through the one submission gate; edges' authorizations are answered from the store;
 * their health reports feed /metrics and the admin page.
 */
export async function startCoordinator(ctx: EngineContext): Promise<Coordinator> {
  const { logger } = ctx;
  const now = () => ctx.clock.now();
  const { link, names } = openClusterLink(ctx, 'prosper-coordinator');
  logger.info({ nats: ctx.config.cluster.nats, prefix: names.prefix }, 'coordinator: connecting to NATS');
  await ensureClusterStreams(await link.jetstreamManager(), names, { replicas: ctx.config.cluster.replicas });
  const publisher = new JobPublisher({ link, names, now, log: logger.child({ module: 'job-publisher' }) });
  ctx.onStop('job publisher', () => publisher.close());

  const registry = new EdgeRegistry({ link, names, now, staleAfterMs: ctx.config.cluster.reportinterval * 3000, log: logger.child({ module: 'edges' }) });
  await registry.start();
  ctx.onStop('edge registry', () => registry.stop());
  // An edge silent past the longest settlement hold is taken as gone (decommissioned): it no
  // longer holds every job's settlement for that long. It reappears with its next report.
  const pruner = ctx.clock.setInterval(() => {
    const gone = registry.prune(EDGE_FORGET_MS);
    if (gone > 0) logger.warn({ edges: gone, silentForMs: EDGE_FORGET_MS }, 'forgot edges that stopped reporting');
  }, 60_000).unref();
  ctx.onStop('edge pruning', () => ctx.clock.clearInterval(pruner));
  // Each edge's hashrate, from the shares credited for it (the store keeps shares by miner, not edge).
  const edgeWork = new WorkWindow({ windowSeconds: ctx.config.accounting.hashratewindow, now });
  const relayed = new RelayedShares(registry, () => link.jetstreamManager(), names.sharesStream);
  const c = await startPoolCore(ctx, { settleReady: (jobId, closedAt) => relayed.allIn(jobId, closedAt) });
  // The link is the coordinator's NATS outage tracker (pool.degraded / pool.recovered webhooks).
  link.onDown(() => c.bus.publish('ServiceHealth', { service: 'nats', up: false, reason: 'NATS link down' }));
  link.onUp(() => c.bus.publish('ServiceHealth', { service: 'nats', up: true }));
  announceJobs(c, publisher, logger);
  const consumer = new ShareConsumer({
    link, names, log: logger.child({ module: 'share-consumer' }),
    // Credited under the share's id: a share delivered again (a lost ack, a replay through another
    // edge) counts once, so acks need no confirmation round trip.
    handle: async (d) => {
      await c.router.accept(d.share, d.id);
      edgeWork.add(d.share.edgeId, creditForTarget(d.share.assignedTarget));
    },
    confirmAcks: false,
  });
  const responder = new AuthResponder({ link, names, authorizer: c.authorizer, log: logger.child({ module: 'auth-relay' }) });
  await responder.start();
  ctx.onStop('auth relay', () => responder.stop());
  await consumer.start();
  // Stops first: shares being credited finish before the ledger and the store close.
  ctx.onStop('share consumer', () => consumer.stop({ waitMs: 10_000 }));

  const live = (): EdgeStatus[] => registry.list().filter((e) => !e.stale);
  const activity: PoolActivity = {
    stratum: {
      get counters() {
        const sum = zeroCounters();
        for (const e of registry.list()) for (const k of Object.keys(sum) as (keyof StratumCounters)[]) sum[k] += e.report.counters[k];
        return sum;
      },
      get sessionCount() {
        return live().reduce((n, e) => n + e.report.sessions, 0);
      },
    },
    validator: { stats: () => ({ pending: live().reduce((n, e) => n + e.report.validationPending, 0) }) },
    edges: () => registry.list(),
    edgeHashrate: (edgeId) => edgeWork.figure(edgeId),
    remoteLive: async () => {
      const views = await requestLiveViews(link, names, live().map((e) => e.report.edgeId), 2000, logger);
      return {
        miners: views.flatMap((v) => v.sessions.map((x) => connectedMinerView({ ...x, sessionId: `${v.edgeId}/${x.sessionId}` }))),
        bans: views.flatMap((v) => v.bans.map((b) => ({ ip: b.ip, reason: `ban score on edge ${v.edgeId}`, until: new Date(b.until) }))),
      };
    },
  };
  return { core: c, consumer, registry, activity };
}

/** The core's jobs go to the edges through the jobs stream (a stop too, with the last job's id). */
function announceJobs(core: PoolCore, publisher: JobPublisher, logger: EngineContext['logger']): void {
  let lastJobId = 0;
  const announce = (job: Parameters<JobPublisher['publish']>[0]) => {
    // A failed publish is kept as the newest and sent again when the link returns.
    publisher.publish(job).catch((err: unknown) => logger.warn({ ...logFields(err), jobId: job.jobId }, 'job not announced yet; sent again when NATS returns'));
  };
  core.bus.on('JobOpened', ({ job, submitThreshold }) => {
    lastJobId = job.jobId;
    announce({ jobId: job.jobId, oprVersion: job.version, oprHash: job.oprHash, submitThreshold, lxrBits: core.lxrBits });
  });
  core.bus.on('MiningStopped', () => announce({ jobId: lastJobId, oprVersion: 1, oprHash: new Uint8Array(32), submitThreshold: 0n, lxrBits: core.lxrBits, stop: true }));
}
