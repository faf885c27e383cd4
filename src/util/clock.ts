/**
 * The one source of time for pool code. Wall time (`now`) is for what is shown or stored;
 * `monotonic` is for durations and rates, because wall time can step back (NTP, an operator)
 * and a rate computed over a backwards step freezes or explodes. Timers go through the clock so
 * a test can drive time with ManualClock instead of sleeping.
 */
export interface TimerHandle {
  /** Lets the process exit while the timer is pending (as Node's Timeout#unref). */
  unref(): TimerHandle;
}

export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  now(): number;
  /** Milliseconds from an arbitrary origin that never go back. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/**
 * Monotonic milliseconds from process.hrtime. performance.now() was seen to lag wall time
 * badly on this project's VMs (a 348 ms loop measured as 0.4 ms), so durations use this.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The process's real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: monotonicMs,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout | undefined),
};

interface ManualTimer extends TimerHandle {
  readonly id: number;
  due: number;
  readonly every: number | undefined;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told: `advance(ms)` moves both times forward and fires the timers
 * that fall due, in due order (timers scheduled by a firing timer fire too if they fall within
 * the advance). `stepWall(ms)` moves wall time alone, forward or back, as NTP would.
 */
export class ManualClock implements Clock {
  private wallMs: number;
  private monoMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startWallMs = Date.UTC(2026, 0, 1)) {
    this.wallMs = startWallMs;
  }

  now(): number {
    return this.wallMs;
  }

  monotonic(): number {
    return this.monoMs;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete((handle as ManualTimer).id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Number of timers still pending. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ${ms} is not a non-negative duration`);
    const end = this.monoMs + ms;
    for (;;) {
      const next = this.earliestDue(end);
      if (!next) break;
      this.moveTo(next.due);
      if (next.every === undefined) this.timers.delete(next.id);
      else next.due += next.every;
      next.fn();
    }
    this.moveTo(end);
  }

  stepWall(ms: number): void {
    this.wallMs += ms;
  }

  private moveTo(mono: number): void {
    this.wallMs += mono - this.monoMs;
    this.monoMs = mono;
  }

  private earliestDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    }
    return best;
  }

  private schedule(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const timer: ManualTimer = {
      id: this.nextId++,
      due: this.monoMs + Math.max(0, ms),
      every,
      fn,
      unref() {
        return this;
      },
    };
    this.timers.set(timer.id, timer);
    return timer;
  }
}
