/** The Stratum server's running totals (console `stats`, metrics, the edge's heartbeat). */
export interface StratumCounters {
  connections: number;
  accepted: number;
  stale: number;
  duplicate: number;
  invalid: number;
  rejected: number;
  garbage: number;
  banned: number;
  refused: number;
}

/** Counters at zero (a new server; a sum over several). */
export function zeroCounters(): StratumCounters {
  return { connections: 0, accepted: 0, stale: 0, duplicate: 0, invalid: 0, rejected: 0, garbage: 0, banned: 0, refused: 0 };
}
