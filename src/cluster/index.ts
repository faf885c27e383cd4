/**
 * The NATS JetStream link between a coordinator and its Stratum edges (issue 12).
 *
 * Wiring (done by the engine per role):
 * - both: `new NatsLink({ servers })`, `clusterNames(prefix)`.
 * - coordinator: `ensureClusterStreams(await link.jetstreamManager(), names)`; a `JobPublisher`
 *   fed by the job builder; a `ShareConsumer` whose `handle` credits through the ShareLedger and
 *   routes `submit` shares through the one SoftMaxLimit gate; an `EdgeRegistry` for the web UI.
 * - edge: a `JobSubscriber` whose `onJob` calls Stratum `setJob`; an `EdgeShareSink` (with
 *   `createEdgeSpool`) as the Stratum server's sink; an `EdgeReporter` with the server's figures.
 */
export { clusterNames, checkToken, type ClusterNames } from './subjects.js';
export {
  WIRE_VERSION, encodeJob, decodeJob, encodeShare, decodeShare, encodeReport, decodeReport, shareMsgId, u64ToBytes,
  encodeAuthRequest, decodeAuthRequest, encodeAuthReply, decodeAuthReply, encodeLiveView, decodeLiveView, LIVE_VIEW_MAX_SESSIONS,
  type JobAnnouncement, type EdgeShare, type EdgeReport, type AuthRelayRequest, type EdgeLiveView,
} from './codec.js';
export { ensureClusterStreams, deleteClusterStreams, type ClusterStreamOptions } from './streams.js';
export { NatsLink, type NatsLinkOptions } from './link.js';
export { JobPublisher, JobSubscriber, type NewJobAnnouncement } from './job-fanout.js';
export { createEdgeSpool, type EdgeSpool } from './edge-spool.js';
export { EdgeShareSink, type EdgeShareSinkOptions } from './edge-share-sink.js';
export { ShareConsumer, type ShareConsumerOptions, type ShareDelivery } from './share-consumer.js';
export { EdgeReporter, EdgeRegistry, type EdgeStatus } from './edge-health.js';
export { RemoteAuthorizer, AuthResponder, AUTH_UNAVAILABLE } from './auth-relay.js';
export { LiveViewResponder, requestLiveViews } from './live-view.js';
