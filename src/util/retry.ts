/**
 * The one retry policy: how many attempts, how long to wait between them (exponential backoff
 * with jitter) and which errors are worth another attempt. The factomd client's reads and the
 * entry writer's commit and reveal both run through `retry`, each at one level only (a retried
 * call never wraps another retried call, so one read is at most `attempts` requests).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  readonly attempts: number;
  /** Wait before the second attempt (ms); doubled for each further one. */
  readonly backoffMs: number;
  /** Longest wait (ms). */
  readonly maxBackoffMs: number;
  /** Fraction of each wait taken off at random (0..1), so many callers do not retry in step. */
  readonly jitter: number;
  /** Whether a failure may succeed on another attempt. */
  readonly retryable: (err: unknown) => boolean;
}

export interface RetryHooks {
  /** Injected for tests; default setTimeout (unref'd). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; default Math.random. */
  readonly random?: () => number;
  /** Told before each wait (for a log line). */
  readonly onRetry?: (info: { attempt: number; waitMs: number; err: unknown }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The wait after failed attempt `attempt` (1-based): backoff * 2^(attempt-1), capped, less jitter. */
export function retryWait(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const full = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.round(full * (1 - policy.jitter * random()));
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or the attempts run out. */
export async function retry<T>(policy: RetryPolicy, fn: () => Promise<T>, hooks: RetryHooks = {}): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt };
    } catch (err) {
      if (attempt >= policy.attempts || !policy.retryable(err)) throw err;
      const waitMs = retryWait(policy, attempt, hooks.random);
      hooks.onRetry?.({ attempt, waitMs, err });
      await (hooks.sleep ?? defaultSleep)(waitMs);
    }
  }
}
