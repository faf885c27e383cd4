import type { PoolJob } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { SyncBlockEvent } from '../pegnet/index.js';
import type { SettlementRecord } from '../store/index.js';
import type { SubmissionRecord } from '../submit/index.js';
import { EventBus } from '../util/event-bus.js';
import type { ProvenShare } from '../domain/index.js';

/**
 * What the pool's policy tells the rest of the process. Producers: the share router
 * (ShareAccepted), the block handler (JobOpened, MiningStopped, BlockSynced, BlockWon,
 * JobSettled), the entry writer's record (SubmissionWritten) and the outage trackers
 * (ServiceHealth: the PegNet sync for factomd, the user store for the database, a
 * coordinator's NATS link). Subscribers: where jobs go (local Stratum or the edges), the web
 * feed, /metrics, the credit roots, webhooks (src/notify/).
 */
export interface PoolEvents {
  /** A share's credit is durable (`shareId`: the relay's id, when it came from an edge). */
  ShareAccepted: { share: ProvenShare; shareId?: string };
  /** A new job for miners, with the threshold shares must beat to be written. */
  JobOpened: { job: PoolJob; submitThreshold: bigint };
  /** No job can be built (prices fail): miners are told to stop. */
  MiningStopped: Record<string, never>;
  /** A synced block has been handled (EMA updated, settlement planned, next job built). */
  BlockSynced: { event: SyncBlockEvent; ema: bigint };
  /** The pool's OPRs were among a block's winners. */
  BlockWon: { height: number; winning: number; reward: bigint };
  /** A job's reward was split (`created`: false when it had been settled before). */
  JobSettled: { record: SettlementRecord; created: boolean; winning: number; graded: number };
  /** An OPR entry was written (or its state changed), with its job's OPR hash when known. */
  SubmissionWritten: { record: SubmissionRecord; oprHash: Uint8Array | undefined };
  /**
   * A dependency's outage tracker saw it away (`up`: false) or answering again. Repeats are
   * allowed (every failed step may say so); subscribers act on changes.
   */
  ServiceHealth: { service: 'database' | 'factomd' | 'nats'; up: boolean; reason?: string };
}

export type PoolBus = EventBus<PoolEvents>;

export function createPoolBus(log: Logger): PoolBus {
  return new EventBus<PoolEvents>(log.child({ module: 'events' }));
}
