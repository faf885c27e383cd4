/** Position of the block clock: the block being built and its minute. */
export interface ClockPosition {
  readonly height: number;
  readonly minute: number;
  readonly blockStartMs: number;
  readonly minuteStartMs: number;
}

/**
 * Block clock arithmetic: a block of `blockMs` is split into 10 minutes. Pure: the devnet
 * advances `blockStartMs` when it closes a block.
 */
export function clockPosition(height: number, blockStartMs: number, blockMs: number, nowMs: number): ClockPosition {
  const minuteMs = blockMs / 10;
  const minute = Math.max(0, Math.min(9, Math.floor((nowMs - blockStartMs) / minuteMs)));
  return { height, minute, blockStartMs, minuteStartMs: blockStartMs + minute * minuteMs };
}

/** True once the block that started at blockStartMs has run its full 10 minutes. */
export function blockIsOver(blockStartMs: number, blockMs: number, nowMs: number): boolean {
  return nowMs >= blockStartMs + blockMs;
}

/** Milliseconds → nanoseconds as an exact bigint (current-minute reports ns). */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1_000_000));
}
