// Durations in Stratum use the one clock module's monotonic time.
export { monotonicMs } from '../util/clock.js';
