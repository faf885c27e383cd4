// Durations in Stratum use the one clock module's monotonic time.
import { systemClock, type Clock } from '../util/clock.js';

export { monotonicMs } from '../util/clock.js';

/**
 * The clock a Stratum server runs on. A `clock` wins. A bare `now` (the older dependency) is a
 * test's fake time: wall and monotonic both read it, so advancing it drives timeouts and vardiff
 * alike. Neither: the system clock.
 */
export function stratumClock(deps: { clock?: Clock; now?: () => number }): Clock {
  if (deps.clock) return deps.clock;
  const now = deps.now;
  if (!now) return systemClock;
  return { ...systemClock, now, monotonic: now };
}

