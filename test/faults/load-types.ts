/** What test/faults/miner-load.ts is told to do, and what it reports. */
export interface LoadStart {
  port: number;
  /** LXRHash table size; must be the pool's. */
  bits: number;
  sessions: number;
  /** Miner ids are `${prefix}${i}`, users `${prefix}${i}@faults.test` (open registration). */
  prefix: string;
  /** Submits outstanding per session at most. */
  inflight: number;
  requestTimeoutMs: number;
  reconnectMs: number;
  /** Share of the time spent grinding (0..1]: below 1 the load leaves CPU to the pool. */
  duty: number;
}

export interface MinerCounts {
  /** Shares the pool answered `true` to. */
  acked: number;
  /** Shares the pool answered with an error or `false`. */
  refused: number;
  /** Shares without an answer: the connection closed or the reply timed out. */
  unanswered: number;
}

export interface LoadTotals {
  acked: number;
  refused: number;
  unanswered: number;
}

export interface LoadProgress extends LoadTotals {
  lastAckAt: number;
  connects: number;
  /** Sessions established per miner. */
  connectsByMiner?: Record<string, number>;
  refusals: Record<string, number>;
}

export interface LoadReport extends LoadTotals {
  miners: Record<string, MinerCounts>;
  refusals: Record<string, number>;
  connects: number;
}
