import type { InheritedListeners } from '../stratum/index.js';
import type { PoolConfig } from '../config/index.js';
import type { Logger } from '../log.js';
import { mapBitsFromEnv } from '../lxr/index.js';
import type { Clock } from '../util/clock.js';

/** What every part of the engine is built with: the config, a logger, the clock, and a place to register its stop. */
export interface EngineContext {
  config: PoolConfig;
  logger: Logger;
  /** Wall time for what is shown or stored, monotonic time for durations, and timers. */
  clock: Clock;
  /** Registers a closer; the engine runs them in reverse order of registration. */
  onStop(name: string, close: () => Promise<void> | void): void;
  /** The listening Stratum sockets handed over by the process this one replaces (restart in place). */
  stratumListeners?: InheritedListeners;
}

/**
 * The LXRHash table size of a pool process: LXRBITSIZE; else an edge's configured size (which
 * each job announcement checks); else the devnet's small table, or the network's 30 bits.
 */
export function tableBits(c: PoolConfig, embeddedDevnet: boolean): number {
  if (process.env.LXRBITSIZE !== undefined) return mapBitsFromEnv();
  if (c.cluster.role === 'edge') return c.cluster.lxrbits;
  return embeddedDevnet ? c.devnet.lxrbits : 30;
}
