/** The NATS JetStream link between a coordinator and its Stratum edges (issue 12). */
export { clusterNames, checkToken, type ClusterNames } from './subjects.js';
export {
  WIRE_VERSION, encodeJob, decodeJob, encodeShare, decodeShare, encodeReport, decodeReport, shareMsgId, u64ToBytes,
  type JobAnnouncement, type EdgeShare, type EdgeReport,
} from './codec.js';
export { ensureClusterStreams, deleteClusterStreams, type ClusterStreamOptions } from './streams.js';
export { NatsLink, type NatsLinkOptions } from './link.js';
export { JobPublisher, JobSubscriber, type NewJobAnnouncement } from './job-fanout.js';
export { createEdgeSpool, type EdgeSpool } from './edge-spool.js';
export { EdgeShareSink, type EdgeShareSinkOptions } from './edge-share-sink.js';
export { ShareConsumer, type ShareConsumerOptions, type ShareDelivery } from './share-consumer.js';
export { EdgeReporter, EdgeRegistry, type EdgeStatus } from './edge-health.js';
