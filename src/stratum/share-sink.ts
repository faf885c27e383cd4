import type { ProvenShare } from '../domain/index.js';

/** A share the validator proved (one type across the layers: see domain/share.ts). */
export type AcceptedShare = ProvenShare;

/**
 * Where accepted shares go (the pool's share router, or an edge's relay, implements it); called
 * on the main thread, must not block. A sink that returns a promise holds the miner's "accepted"
 * until it resolves (the credit is durable); a rejection is answered as an internal error, not
 * as accepted.
 */
export interface ShareSink {
  accept(share: AcceptedShare): void | Promise<void>;
}

/** A sink that keeps nothing (stratum-only mode); `count` says how many it saw. */
export function countingSink(): ShareSink & { count: number } {
  const sink = {
    count: 0,
    accept() {
      sink.count += 1;
    },
  };
  return sink;
}
