import { join } from 'node:path';
import { createEdgeSpool, EdgeReporter, EdgeShareSink, JobSubscriber, LIVE_VIEW_MAX_SESSIONS, LiveViewResponder, RemoteAuthorizer, type JobAnnouncement } from '../cluster/index.js';
import { expandPath } from '../config/index.js';
import { loadOrCreateTable } from '../lxr/index.js';
import type { StratumServer } from '../stratum/index.js';
import type { ShareValidatorEngine } from '../validation/index.js';
import { edgeIdOf, openClusterLink } from './cluster-link.js';
import { tableBits, type EngineContext } from './context.js';
import { startLocalStratum } from './local-stratum.js';
import { startEdgeMetrics } from './edge-metrics.js';
import { createPoolMetrics } from '../metrics/index.js';

export interface Edge {
  edgeId: string;
  lxrBits: number;
  stratum: StratumServer;
  validator: ShareValidatorEngine;
  sink: EdgeShareSink;
  subscriber: JobSubscriber;
  stratumPort: number;
  stratumTlsPort: number | undefined;
  /** The edge's /metrics port (`[web] port`; undefined when 0). */
  metricsPort: number | undefined;
}

/**
 * The edge role: Stratum sessions, vardiff, bans and the validation engine on the edge's own
 * table, with no store. Jobs come from the coordinator's announcements; each accepted share is
 * acknowledged to its miner once JetStream stored it (or, while NATS is away, once it is in the
 * local spool); authorizations are relayed to the coordinator; health goes out on a timer.
 */
export async function startEdge(ctx: EngineContext): Promise<Edge> {
  const { config: c, logger } = ctx;
  const now = () => ctx.clock.now();
  const edgeId = edgeIdOf(c);
  const log = logger.child({ edge: edgeId });
  const { link, names } = openClusterLink(ctx, `prosper-edge-${edgeId}`);
  const lxrBits = tableBits(c, false);
  const table = await loadOrCreateTable({ bits: lxrBits, logger });

  // Per edge id, so that several edges on one host never replay each other's shares.
  const spool = createEdgeSpool({ dir: join(expandPath(c.cluster.spooldir), edgeId), maxBytes: c.cluster.spoolmaxbytes, now });
  const sink = new EdgeShareSink({ link, names, edgeId, spool, publishTimeoutMs: c.cluster.publishtimeout * 1000, log: log.child({ module: 'share-sink' }) });
  ctx.onStop('edge share sink', () => sink.close());
  if (sink.backlog > 0) log.info({ spooled: sink.backlog }, 'shares spooled by an earlier run go out when NATS is reachable');
  const authorizer = new RemoteAuthorizer({ link, names, edgeId, log: log.child({ module: 'auth-relay' }) });
  const metrics = createPoolMetrics({ processMetrics: true });
  const { validator, stratum, port, tlsPort } = await startLocalStratum(ctx, { table, sink, authorizer, latency: metrics.validationLatency });
  const metricsPort = await startEdgeMetrics(ctx, metrics, { stratum, validator });

  const onJob = (job: JobAnnouncement) => {
    if (job.lxrBits !== lxrBits) {
      // Every verdict would be wrong: better no work than shares the coordinator cannot use.
      log.error({ jobId: job.jobId, coordinatorBits: job.lxrBits, edgeBits: lxrBits }, 'the coordinator proves shares on another LXRHash table; set [cluster] lxrbits (or LXRBITSIZE) to match. Miners told to stop');
      stratum.stopMining();
      return;
    }
    if (job.stop) {
      stratum.stopMining();
      return;
    }
    const fanout = stratum.setJob({ jobId: job.jobId, oprHash: job.oprHash, submitThreshold: job.submitThreshold });
    log.info({ jobId: job.jobId, relayMs: Math.max(0, now() - job.issuedAt), sent: fanout.sent, fanoutMs: fanout.ms }, 'job from the coordinator');
  };
  const subscriber = new JobSubscriber({ link, names, onJob, log: log.child({ module: 'jobs' }) });
  ctx.onStop('job subscriber', () => subscriber.close());

  let lastAccepted = 0;
  let lastAt = now();
  const reporter = new EdgeReporter({
    link, names, edgeId, now, intervalMs: c.cluster.reportinterval * 1000,
    snapshot: () => {
      const counters = { ...stratum.counters };
      const t = now();
      const rate = t > lastAt ? ((counters.accepted - lastAccepted) * 1000) / (t - lastAt) : 0;
      lastAccepted = counters.accepted;
      lastAt = t;
      return {
        sessions: stratum.sessionCount, sharesPerSecond: Math.max(0, rate), spooled: sink.backlog, counters, validationPending: validator.stats().pending,
        ...(subscriber.current ? { lastJobId: subscriber.current.jobId } : {}),
      };
    },
  });
  reporter.start();
  ctx.onStop('edge reporter', () => reporter.stop());
  const liveView = new LiveViewResponder({
    link, names, edgeId, log,
    view: () => {
      const sessions = stratum.listSessions();
      return {
        total: sessions.length,
        sessions: sessions.slice(0, LIVE_VIEW_MAX_SESSIONS).map((x) => ({
          sessionId: x.sessionId, username: x.username, minerId: x.minerId, agent: x.agent, ip: x.ip, authorized: x.authorized, subscribed: x.subscribed, target: x.target, nonce: x.nonce,
        })),
        bans: stratum.listBans(),
      };
    },
  });
  // Not awaited: the edge serves its miners whether or not NATS is there yet.
  void liveView.start();
  ctx.onStop('live view', () => liveView.stop());
  return { edgeId, lxrBits, stratum, validator, sink, subscriber, stratumPort: port, stratumTlsPort: tlsPort, metricsPort };
}
