import type { ChaseResult } from './native-tools.js';

/**
 * Table lookups in one LXRHash of an input of `len` bytes (docs/lxrhash.md 3.2): `len` in the
 * spin, 25 per Step for each input byte and each of the 32 reduction steps, 2 per output byte.
 */
export function lookupsPerHash(len: number): number {
  return 26 * len + 864;
}

/** The memory limit per core (docs/lxrhash.md 3.3): misses in flight / (lookups x latency). */
export function memoryLimitPerCore(chase: Pick<ChaseResult, 'missesInFlight' | 'latencyNs'>, len: number): number {
  return chase.missesInFlight / (lookupsPerHash(len) * chase.latencyNs * 1e-9);
}
