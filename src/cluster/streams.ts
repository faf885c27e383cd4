import { DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import type { ClusterNames } from './subjects.js';

export interface ClusterStreamOptions {
  /** How long JetStream remembers a share's Nats-Msg-Id: a replay older than this is stored again. Default 1 h. */
  duplicateWindowMs?: number;
  /** Shares kept while the coordinator is away (oldest dropped beyond). Default 10 million. */
  maxShares?: number;
  /** How long dead-lettered shares are kept for inspection. Default 7 days. */
  deadMaxAgeMs?: number;
  /** Replicas in a NATS cluster (1 on a single server). */
  replicas?: number;
}

/** Creates the cluster's streams, or brings existing ones to this configuration (coordinator start). */
export async function ensureClusterStreams(jsm: JetStreamManager, names: ClusterNames, opts: ClusterStreamOptions = {}): Promise<void> {
  const replicas = opts.replicas ?? 1;
  // Jobs: only the newest announcement matters; an edge that (re)connects reads it.
  await ensureStream(jsm, { name: names.jobsStream, subjects: [names.jobsSubject], max_msgs_per_subject: 1, storage: StorageType.File, num_replicas: replicas });
  // Shares: a work queue (a credited share is deleted by its ack), deduplicated by share id.
  await ensureStream(jsm, {
    name: names.sharesStream,
    subjects: [names.sharesWildcard],
    retention: RetentionPolicy.Workqueue,
    duplicate_window: nanos(opts.duplicateWindowMs ?? 3_600_000),
    max_msgs: opts.maxShares ?? 10_000_000,
    discard: DiscardPolicy.Old,
    storage: StorageType.File,
    num_replicas: replicas,
  });
  await ensureStream(jsm, { name: names.deadStream, subjects: [names.deadSubject], max_age: nanos(opts.deadMaxAgeMs ?? 7 * 86_400_000), storage: StorageType.File, num_replicas: replicas });
}

async function ensureStream(jsm: JetStreamManager, cfg: Partial<StreamConfig> & { name: string }): Promise<void> {
  const exists = await jsm.streams.info(cfg.name).then(() => true, () => false);
  if (exists) await jsm.streams.update(cfg.name, cfg);
  else await jsm.streams.add(cfg);
}

/** Removes the cluster's streams (tests, decommissioning). Missing streams are not an error. */
export async function deleteClusterStreams(jsm: JetStreamManager, names: ClusterNames): Promise<void> {
  for (const s of [names.jobsStream, names.sharesStream, names.deadStream]) {
    await jsm.streams.delete(s).catch((err: unknown) => {
      if (!/not found/i.test((err as Error).message)) throw err;
    });
  }
}
