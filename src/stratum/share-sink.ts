/**
 * Where accepted shares go (accounting implements it); called on the main thread, must not
 * block. A sink that returns a promise holds the miner's "accepted" until it resolves (the
 * credit is durable); a rejection is answered as an internal error, not as accepted.
 */
export interface AcceptedShare {
  jobId: number;
  userId: string;
  username: string;
  minerId: string;
  sessionId: string;
  ip: string;
  nonce: Uint8Array;
  /** The target the share reached (what the validator proved). */
  target: bigint;
  /** The target the session was assigned for this job. */
  assignedTarget: bigint;
  /** Credit: the difficulty of the assigned target, never of the (luck-driven) reached one. */
  difficulty: number;
  /** The validator marked it good enough to compete for the job's network submission. */
  submit: boolean;
  receivedAt: number;
}

export interface ShareSink {
  accept(share: AcceptedShare): void | Promise<void>;
}

/** A sink that keeps nothing (stratum-only mode); `count` says how many it saw. */
export function countingSink(): ShareSink & { count: number; difficulty: number } {
  const sink = {
    count: 0,
    difficulty: 0,
    accept(share: AcceptedShare) {
      sink.count += 1;
      sink.difficulty += share.difficulty;
    },
  };
  return sink;
}
