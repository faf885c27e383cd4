import { RateLimitedError } from './http-get.js';
import type { PriceSource, SourceReading } from './sources/types.js';

/**
 * Wraps a source so that a good reading is reused for `ttlMs` (providers' free tiers allow a few
 * calls per block, not one per job), concurrent callers share one request, and after a 429 the
 * provider is left alone until its Retry-After (or `rateLimitBackoffMs`) has passed.
 */
export interface CachedSourceOptions {
  ttlMs: number;
  now: () => number;
  rateLimitBackoffMs?: number;
}

export class CachedSource implements PriceSource {
  readonly name: string;
  readonly url: string;
  readonly assets: readonly string[];
  private last: SourceReading | undefined;
  private inflight: Promise<SourceReading> | undefined;
  private blockedUntil = 0;
  private blockedBy: RateLimitedError | undefined;

  constructor(private readonly inner: PriceSource, private readonly opts: CachedSourceOptions) {
    this.name = inner.name;
    this.url = inner.url;
    this.assets = inner.assets;
  }

  read(signal?: AbortSignal): Promise<SourceReading> {
    const now = this.opts.now();
    if (this.last && now - this.last.takenAt < this.opts.ttlMs && now >= this.last.takenAt) return Promise.resolve(this.last);
    if (this.blockedBy && now < this.blockedUntil) return Promise.reject(this.blockedBy);
    if (this.inflight) return this.inflight;
    const p = this.inner.read(signal).then(
      (r) => { this.last = r; this.blockedBy = undefined; return r; },
      (err: unknown) => {
        if (err instanceof RateLimitedError) {
          this.blockedBy = err;
          this.blockedUntil = this.opts.now() + (err.retryAfterMs ?? this.opts.rateLimitBackoffMs ?? 60_000);
        }
        throw err;
      },
    ).finally(() => { this.inflight = undefined; });
    this.inflight = p;
    return p;
  }

  /** Forgets the cached reading (used by `datasources pull`, which wants fresh answers). */
  invalidate(): void {
    this.last = undefined;
  }
}
