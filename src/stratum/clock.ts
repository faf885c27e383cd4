/**
 * Monotonic milliseconds from process.hrtime. performance.now() was seen to lag wall time
 * badly on this project's VMs (a 348 ms loop measured as 0.4 ms), so durations use this.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
